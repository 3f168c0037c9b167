#!/usr/bin/env bash
# Run every benchmark; one JSON object per line on stdout. Pass --quick for a smoke run.
set -euo pipefail
cd "$(dirname "$0")"
for b in train_throughput small_model beam_search feature_cache; do python "$b.py" "$@"; done
