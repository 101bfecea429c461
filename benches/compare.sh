#!/usr/bin/env bash
# slacredit against the reference peers (benches/peers/: a Python program and PostgreSQL 15), on a
# generated dataset: same output bytes, and wall time and peak memory side by side.
#
#   benches/compare.sh SIZE [py] [pg]     SIZE = S | M | L; peers to run (default: py pg)
#
# Datasets and outputs go to $BENCH_WORK (default: a folder under /tmp), never into the repo.
# PostgreSQL is needed only when pg is asked for (peer_pg.sh installs Debian's package if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=${1:?usage: benches/compare.sh S|M|L [py] [pg]}
shift
if [ $# -gt 0 ]; then peers=("$@"); else peers=(py pg); fi
work=${BENCH_WORK:-/tmp/slacredit-bench}
data="$work/data/$size"; out="$work/out/$size"
mkdir -p "$out"
[ -f "$data/outages.csv" ] || python3 "$here/peers/gen.py" --size "$size" --out "$data" >&2
(cd "$root" && cargo build --release --quiet)
# The inputs in the page cache for every side alike: the sides after the first find them there,
# and a build just before may have pushed them out (not timed).
cat "$data"/*.csv "$data"/contracts/* > /dev/null
bin="$root/target/release/slacredit"
columns=subscription,period,downtime_minutes,uptime_percent,credit_percent,credit,currency

# Wall time to the millisecond (GNU time prints hundredths): measured around each command and
# kept beside its `time -v` report.
timed() {
  local name=$1; shift
  # Each side starts with nothing left to write back from the build or the side before it (a
  # release build leaves hundreds of megabytes dirty; L's output is 123 MB): not timed.
  sync
  local t0=$EPOCHREALTIME
  /usr/bin/time -v -o "$out/$name.time" "$@"
  awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", b - a }' > "$out/$name.wall"
}
secs() { cat "${1%.time}.wall"; }
rss() { awk -F': ' '/Maximum resident/ { printf "%d", $2 / 1024 }' "$1"; }

# slacredit: the billing CSV directly (no projection script is needed: --columns and --credited-only).
timed rust "$bin" claim --contracts "$data/contracts" \
  --subscriptions "$data/subscriptions.csv" --outages "$data/outages.csv" --period 2018 \
  --format csv --credited-only --columns "$columns" --output "$out/rust.csv"
# The floor: slacredit's own readers over the same files, then writing the same bytes.
timed parse "$bin" check --contracts "$data/contracts" \
  --subscriptions "$data/subscriptions.csv" --outages "$data/outages.csv" > /dev/null
timed write cp "$out/rust.csv" "$out/floor.csv"

rust=$(secs "$out/rust.time")
floor=$(awk -v a="$(secs "$out/parse.time")" -v b="$(secs "$out/write.time")" 'BEGIN { printf "%.3f", a + b }')
printf '| size | program | wall s | peak RSS | slacredit is faster by |\n|---|---|---|---|---|\n'
printf '| %s | slacredit | %s | %s MiB | |\n' "$size" "$rust" "$(rss "$out/rust.time")"
printf '| %s | floor (parse-only + write) | %s | %s MiB | slacredit / floor = %s |\n' "$size" "$floor" \
  "$(rss "$out/parse.time")" "$(awk -v r="$rust" -v f="$floor" 'BEGIN { printf "%.2f", r / f }')"
status=0
for peer in "${peers[@]}"; do
  case "$peer" in
    py) timed py python3 "$here/peers/peer_py.py" "$data" "$out/py.csv" ;;
    pg) timed pg "$here/peers/peer_pg.sh" "$data" "$out/pg.csv" 2> "$out/pg.log" ;;
    *) echo "unknown peer $peer" >&2; exit 2 ;;
  esac
  t=$(secs "$out/$peer.time")
  mem="$(rss "$out/$peer.time") MiB"
  [ "$peer" = pg ] && mem="$mem client; $(tail -n 1 "$out/pg.log")"
  printf '| %s | %s | %s | %s | %sx |\n' "$size" "$peer" "$t" "$mem" "$(awk -v p="$t" -v r="$rust" 'BEGIN { printf "%.1f", p / r }')"
  if cmp -s "$out/rust.csv" "$out/$peer.csv"; then
    echo "$size: slacredit and $peer outputs are byte-identical" >&2
  else
    echo "$size: slacredit and $peer outputs DIFFER" >&2
    status=1
  fi
done
echo "$size: $(($(wc -l < "$out/rust.csv") - 1)) rows, sha256 $(sha256sum < "$out/rust.csv" | cut -c1-16)" >&2
exit $status
