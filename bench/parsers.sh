#!/usr/bin/env bash
# Question-bank validation on files full of problems: is the time linear in the size?
#
# 1. `candor-cli bank validate` (whole process, best of 3) on generated banks of 0.5, 1, 1.3 and
#    2 MB, each question (about 1 kB) with seven or eight problems: a duplicate id every other
#    one, an unknown category, five unknown criteria, an empty push-back.
# 2. The criterion benchmark bench/benches/parsers.rs on the same kind of input (0.5, 1, 2 MB).
#
# The slope is log(time ratio) / log(size ratio) from 0.5 to 2 MB: 1 is linear, 2 quadratic.
# Nothing about time is asserted. CANDOR_CLI=/path/to/candor-cli measures another build (step 1
# only; e.g. an older one, to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
OUT=$ROOT/bench/out/parsers
mkdir -p "$OUT"
if [[ -n ${CANDOR_CLI:-} ]]; then
    CLI=$CANDOR_CLI
else
    echo "Building candor-cli (release)..."
    cargo build --release -p candor-cli --quiet
    CLI=$ROOT/target/release/candor-cli
fi

problem_filled() { # problem_filled FILE BYTES
    python3 - "$1" "$2" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2])
parts = ['version = 1\n[[categories]]\nid = "rsp"\nname = "RSP"\nreading = "R"\n']
n, i, prompt = len(parts[0]), 0, "x" * 900
while n < size:
    q = ('\n[[questions]]\nid = "q%d"\ncategory = "nope"\nreading = "R"\nprompt = "%s"\n'
         'criteria = ["a", "b", "c", "d", "e"]\npushbacks = [""]\n') % (i // 2, prompt)
    parts.append(q)
    n += len(q)
    i += 1
open(path, "w").write("".join(parts))
PY
}

TIMEFORMAT=%3R
best_of_3() {
    local best="" t i
    for i in 1 2 3; do
        t=$({ time "$@" >/dev/null 2>&1; } 2>&1)
        best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
    done
    echo "$best"
}

echo "candor-cli bank validate, problem-filled banks (wall clock, best of 3):"
declare -A secs
for size in 500000 1000000 1300000 2000000; do
    f=$OUT/bank-$size.toml
    [[ -f $f ]] || problem_filled "$f" "$size"
    secs[$size]=$(best_of_3 "$CLI" bank validate "$f")
    printf '  %4s MB  %9s s\n' "$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }')" "${secs[$size]}"
done
awk -v a="${secs[500000]}" -v b="${secs[2000000]}" \
    'BEGIN { if (a > 0) printf "  slope 0.5 -> 2 MB: %.2f (1 = linear, 2 = quadratic)\n", log(b / a) / log(4) }'

[[ -n ${CANDOR_CLI:-} ]] && exit 0
echo
echo "criterion, bank::parse on problem-filled banks (bench/benches/parsers.rs):"
cargo bench -p candor-bench --bench parsers --quiet -- --noplot >/dev/null 2>&1
python3 - "$ROOT/target/criterion/bank_validate_problem_filled" <<'PY'
import json, math, os, sys
base = sys.argv[1]
med = {}
for size in (500000, 1000000, 2000000):
    est = json.load(open(os.path.join(base, str(size), "new", "estimates.json")))
    med[size] = est["median"]["point_estimate"] / 1e6
    print(f"  {size / 1e6:4.1f} MB  {med[size]:9.2f} ms median")
print(f"  slope 0.5 -> 2 MB: {math.log(med[2000000] / med[500000]) / math.log(4):.2f} (1 = linear, 2 = quadratic)")
PY
