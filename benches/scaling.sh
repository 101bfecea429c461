#!/usr/bin/env bash
# No cliffs: time and peak memory of slacredit on a matrix of input shapes, each at n and 2n.
# A shape whose time grows much more than twice from n to 2n has a cliff (a quadratic step).
#
#   benches/scaling.sh [SHAPE...]      default: every shape
#
# Shapes: scopes (subscriptions each with a scope of their own), yaml and json (subscriptions
# files), windows (windows per scope), hours (service-hour rules x scopes), fixed (a `fixed`
# credit with service hours over centuries), json-out (JSON output of dense windows), unknown
# (rows naming a contract that is not loaded). Inputs go to $BENCH_WORK (default a folder under
# /tmp), never into the repository.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=${BENCH_WORK:-/tmp/slacredit-bench}/scaling
mkdir -p "$work"
(cd "$root" && cargo build --release --quiet)
bin="$root/target/release/slacredit"
if [ $# -gt 0 ]; then shapes=("$@"); else shapes=(scopes yaml json windows hours fixed json-out unknown); fi

# Writes the inputs of one shape at size $2 into folder $3.
gen() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, os, sys
shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(f"{out}/contracts", exist_ok=True)
def contract(extra="", credits="credits:\n  tiers: [{ below: 99.9, percent: 10 }, { below: 99.0, percent: 25 }]\n"):
    return f"id: c\napplies_to: {{ service: web }}\nperiod: month\ntimezone: Europe/London\ncommitment: 99.9\n{extra}{credits}"
def subs_csv(rows, labels="region"):
    with open(f"{out}/subs.csv", "w") as f:
        f.write(f"id,customer,contract,currency,fee,{labels}\n")
        for r in rows:
            f.write(",".join(r) + "\n")
def windows(rows):
    with open(f"{out}/out.csv", "w") as f:
        f.write("start,end,region\n")
        for r in rows:
            f.write(",".join(r) + "\n")
c = contract()
if shape == "scopes":
    subs_csv([(f"s{i:07d}", f"C{i}", "c", "USD", "100.00", f"r{i}") for i in range(n)])
    windows([("2018-11-05T10:00:00Z", "2018-11-05T11:00:00Z", f"r{i}") for i in range(0, n, 100)])
elif shape in ("yaml", "json"):
    subs = [{"id": f"s{i:07d}", "customer": f"C{i}", "contract": "c", "scope": {"region": f"r{i % 50}"},
             "fee": {"amount": "100.00", "currency": "USD"}} for i in range(n)]
    if shape == "json":
        json.dump(subs, open(f"{out}/subs.json", "w"), indent=1)
    else:
        with open(f"{out}/subs.yaml", "w") as f:
            for s in subs:
                f.write(f"- id: {s['id']}\n  customer: {s['customer']}\n  contract: c\n  scope: {{ region: {s['scope']['region']} }}\n  fee: {{ amount: 100.00, currency: USD }}\n")
    windows([("2018-11-05T10:00:00Z", "2018-11-05T11:00:00Z", "r1")])
elif shape == "windows":
    subs_csv([(f"s{i:04d}", f"C{i}", "c", "USD", "100.00", "r1") for i in range(10)])
    windows([(f"2018-{1 + i * 12 // n:02d}-{1 + i % 27:02d}T{i % 24:02d}:{i % 60:02d}:00Z",
              f"2018-{1 + i * 12 // n:02d}-{1 + i % 27:02d}T{i % 24:02d}:{i % 60:02d}:30Z", "r1") for i in range(n)])
elif shape == "hours":
    rules = "".join(f"    - {{ days: [{d}], from: \"{h:02d}:{m:02d}\", to: \"{h:02d}:{m + 1:02d}\" }}\n"
                    for k, (d, h, m) in enumerate((d, h, m) for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                                                   for h in range(24) for m in range(0, 58, 2)) if k < 500)
    c = contract(f"service_hours:\n  weekly:\n{rules}")
    subs_csv([(f"s{i:05d}", f"C{i}", "c", "USD", "100.00", f"r{i}") for i in range(n)])
    windows([("2018-11-05T10:00:00Z", "2018-11-05T11:00:00Z", f"r{i}") for i in range(n)])
elif shape == "fixed":
    c = contract("service_hours:\n  weekly: [{ days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\" }]\n",
                 "credits:\n  fixed: { amount: 500, min_incident: 30m }\n")
    subs_csv([("s1", "C1", "c", "USD", "100.00", "r1")])
    windows([(f"{y}-06-04T10:00:00Z", f"{y}-06-04T11:00:00Z", "r1") for y in range(1900, 1900 + n)])
elif shape == "json-out":
    subs_csv([(f"s{i:03d}", f"C{i}", "c", "USD", "100.00", "r1") for i in range(64)])
    # Windows of a minute, two minutes apart from the start of 2018: every one its own incident.
    from datetime import datetime, timedelta, timezone
    t0 = datetime(2018, 1, 1, tzinfo=timezone.utc)
    iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
    windows([(iso(t0 + timedelta(minutes=2 * i)), iso(t0 + timedelta(minutes=2 * i + 1)), "r1") for i in range(n)])
elif shape == "unknown":
    subs_csv([(f"s{i:06d}", f"C{i}", f"nope{i}", "USD", "100.00", "r1") for i in range(n)])
    windows([("2018-11-05T10:00:00Z", "2018-11-05T11:00:00Z", "r1")])
    for i in range(n):
        open(f"{out}/contracts/k{i:06d}.yaml", "w").write(c.replace("id: c", f"id: k{i:06d}"))
open(f"{out}/contracts/c.yaml", "w").write(c)
PY
}

# Runs one shape at size $2 and prints its row.
run() {
  local shape=$1 n=$2 dir="$work/$1-$2"
  [ -f "$dir/done" ] || { rm -rf "$dir"; gen "$shape" "$n" "$dir"; touch "$dir/done"; }
  local subs=subs.csv period=(--period 2018-11) format=(--format csv)
  case "$shape" in
    yaml) subs=subs.yaml ;;
    json) subs=subs.json ;;
    windows) period=(--period 2018) ;;
    fixed) period=(--from 1900-01 --to 2199-12) ;;
    json-out) format=(--format json) period=(--period 2018) ;;
  esac
  local t0=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$dir/rss" "$bin" claim --contracts "$dir/contracts" --subscriptions "$dir/$subs" \
    --outages "$dir/out.csv" "${period[@]}" "${format[@]}" --output "$dir/result" 2> "$dir/stderr" || true
  local wall
  wall=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
  printf '%s\n' "$wall" > "$dir/wall"
  printf '| %s | %s | %s s | %s MiB |\n' "$shape" "$n" "$wall" "$(( $(tail -n 1 "$dir/rss") / 1024 ))"
}

declare -A sizes=(
  [scopes]="50000 100000 200000" [yaml]="10000 20000" [json]="10000 20000"
  [windows]="100000 200000" [hours]="2000 4000 8000" [fixed]="150 300"
  [json-out]="25000 50000" [unknown]="5000 10000"
)
printf '| shape | n | wall | peak RSS |\n|---|---|---|---|\n'
for shape in "${shapes[@]}"; do
  prev=""
  for n in ${sizes[$shape]}; do
    run "$shape" "$n"
    wall=$(cat "$work/$shape-$n/wall")
    if [ -n "$prev" ]; then
      awk -v a="$prev" -v b="$wall" -v s="$shape" 'BEGIN { printf "|  | growth x%.2f | | |\n", (a > 0 ? b / a : 0) }'
    fi
    prev=$wall
  done
done
