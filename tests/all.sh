#!/usr/bin/env bash
# Every test, in one command: the Rust suite (cargo test), then the Python package's (pytest)
# against the wheel built from these sources and installed in a fresh virtual environment.
# Needs the Rust toolchain, Python >= 3.9 with venv, and a Java runtime for the Spark test;
# fetches maturin, pytest, pyarrow, pandas and pyspark from PyPI into the environment
# ($SLACREDIT_VENV, default target/py-venv, made anew each run).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== cargo test"
cargo test --locked
echo "== the Python package: a wheel, installed in a fresh virtual environment"
venv=${SLACREDIT_VENV:-target/py-venv}
python3 -m venv --clear "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  "maturin>=1.5,<2" pytest mypy pyarrow "pandas<3" pyspark
rm -rf target/wheels
"$venv/bin/maturin" build --quiet --release --locked -m python/Cargo.toml -o target/wheels
"$venv/bin/pip" install --quiet --no-deps target/wheels/slacredit-*.whl
echo "== pytest"
cargo build --locked --quiet --bin slacredit
SLACREDIT_BIN=target/debug/slacredit "$venv/bin/python" -m pytest -q python/tests \
  --doctest-modules --pyargs slacredit
