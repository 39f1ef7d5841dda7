#!/usr/bin/env bash
# Progress-query benchmark (criterion, bench/benches/progress.rs) on the generated history of
# bench/gen-history.sh. Prints the median of each query in milliseconds against the goal of
# 20 ms; nothing about time is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
DATA=$PWD/bench/out/history
bench/gen-history.sh "$DATA"
CANDOR_BENCH_DATA=$DATA cargo bench -p candor-bench --bench progress --quiet -- --noplot 2>&1 |
  grep -E '^(progress/|\s+time:)' || true
echo
echo "Median per query (goal: under 20 ms each), load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs:"
for f in target/criterion/progress/*/new/estimates.json; do
  name=$(basename "$(dirname "$(dirname "$f")")")
  python3 - "$f" "$name" <<'PY'
import json, sys
est = json.load(open(sys.argv[1]))
ms = est["median"]["point_estimate"] / 1e6
print(f"  {sys.argv[2]:<28} {ms:8.3f} ms  {'under' if ms < 20 else 'OVER'} the 20 ms goal")
PY
done
