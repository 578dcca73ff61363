#!/usr/bin/env bash
# Benchmark of `pactline serve`: save -> rebuilt and save -> reloaded on the reference site,
# and a body edit on a 10,000-session corpus. Prints medians. Not part of CI.
#   bench/serve.sh [CORPUS_DIR]     (default /dev/shm/c10k; made with gen_corpus.py if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-/dev/shm/c10k}"
gen="${GEN_CORPUS:-../shared/bench/gen_corpus.py}"
if [ ! -d "$corpus" ] && [ -f "$gen" ]; then
  python3 "$gen" 10000 "$corpus" --format ours
fi
cargo build --release --quiet
python3 bench/serve.py "$corpus"
