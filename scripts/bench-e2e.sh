#!/usr/bin/env bash
# End-to-end figures for BENCHMARKS.md: builds uj and the stand-in server in
# release mode, then drives the real binary in tmux (scripts/bench_e2e.py).
# Needs tmux, curl and python3. Usage: scripts/bench-e2e.sh [RUNS=7]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin uj --example standin --example fill_store
exec python3 scripts/bench_e2e.py
