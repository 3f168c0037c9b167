#!/usr/bin/env bash
# Run every benchmark; one JSON object per line on stdout. Pass --quick for a smoke run.
# Not here, for their length: small_data.py (the README's size table, hours), demo_time.py (two demos, ~10 min) and experiments_time.py (~5 min).
set -euo pipefail
cd "$(dirname "$0")"
for b in train_throughput small_model beam_search feature_cache java_session; do python "$b.py" "$@"; done
