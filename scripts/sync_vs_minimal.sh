#!/bin/bash
# `uj sync` against the least client on the same stand-in, in one run
# (BENCHMARKS.md, "The sync against a minimal client"):
#   scripts/sync_vs_minimal.sh [INTERVIEWS] [LATENCY_MS] [RUNS] [CONCURRENCY]
# Builds the release binaries, starts the stand-in with a synthetic study,
# then times each alternately, a fresh store for every `uj sync`.
set -euo pipefail
N=${1:-237}; LAT=${2:-100}; RUNS=${3:-5}; CONC=${4:-4}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin uj --example standin --example minimal_sync
KEY=uj_live_standin
STUDY=0b5e55ed-0000-4000-8000-000000000000
OUT=$(mktemp)
target/release/examples/standin --port 0 --latency-ms "$LAT" --synthetic "$N" >"$OUT" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -f "$OUT"' EXIT
while [ ! -s "$OUT" ]; do sleep 0.05; done
URL=$(head -1 "$OUT")
now() { date +%s.%N; }
for run in $(seq "$RUNS"); do
  HOME_DIR=$(mktemp -d)
  s=$(now)
  env -i PATH=/usr/bin:/bin HOME="$HOME_DIR" USERJOURNEYS_API_KEY=$KEY USERJOURNEYS_BASE_URL="$URL" \
    target/release/uj sync --study $STUDY --concurrency "$CONC" >/dev/null 2>&1
  e=$(now)
  rm -rf "$HOME_DIR"
  s2=$(now)
  target/release/examples/minimal_sync "$URL" $KEY $STUDY "$CONC" >/dev/null
  e2=$(now)
  echo "run $run: uj sync $(echo "$e - $s" | bc) s, minimal client $(echo "$e2 - $s2" | bc) s, ratio $(echo "scale=3; ($e - $s) / ($e2 - $s2)" | bc)"
done
