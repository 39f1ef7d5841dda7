#!/usr/bin/env bash
# The release build's size and speed, one profile against another: `make package`'s binary, .deb
# and .rpm, and the core's criterion benchmarks (bench/benches/progress.rs and parsers.rs, in the
# package candor-bench, built as the app is: see bench/src/lib.rs).
#
# Usage: bench/release.sh build VARIANT     builds VARIANT's packages and benchmark programs
#        bench/release.sh compare [ROUNDS]  runs every built variant's benchmarks in turn, ROUNDS
#                                           times (default 3), on the same data
#        bench/release.sh pairs BASE OTHER [TURNS] [FILTER]
#                                           the closer look: each benchmark alone (or those whose
#                                           names hold FILTER), BASE and OTHER one right after the
#                                           other, TURNS times (default 6)
# VARIANT is one of:
#   cargo    cargo's own release defaults, what Candor shipped before it had a release profile
#            (opt-level 3, no LTO, 16 codegen units, debug info stripped, symbols kept)
#   lto-3    LTO across all the Rust crates, one codegen unit, symbols stripped, opt-level 3
#   lto-s    the same at opt-level "s"
#   lto-z    the same at opt-level "z"
#   mixed    Cargo.toml's own [profile.release]: lto-z, with opt-level 3 for the crates its
#            [profile.release.package.*] tables list (the core and the crates it works with)
# (the first four are set here, whatever Cargo.toml says: the crates it lists get the variant's
# opt-level too).
#
# A build rebuilds every crate (15 to 20 minutes on two cores); its sizes go to
# bench/out/release/VARIANT/sizes.txt, its benchmark programs next to them. compare takes turns
# (cargo, lto-3, lto-s, lto-z, cargo, ...) so that a busy moment of the machine falls on all of them
# alike (each benchmark warmed for 1 s and measured for 3 s, for a round in about 90 s), and
# reports each benchmark's median of the rounds' medians and its change against
# cargo's defaults, in bench/out/release/compare.txt. Rounds this long cannot tell 5% from this
# machine's noise: pairs runs one benchmark at a time, BASE and OTHER right after each other (A B,
# then B A) on one CPU (taskset), each warmed 0.5 s and measured 2 s, and reports the median of the
# turns' ratios with the fastest and slowest turn, in bench/out/release/pairs-BASE-OTHER.txt (about
# 14 minutes for all 20 benchmarks and 6 turns). Run them on a quiet machine. Nothing about time
# is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out=bench/out/release
variants=(cargo lto-3 lto-s lto-z mixed)

cargo_args=() # the --config settings a variant adds to cargo's command line

profile_env() { # profile_env VARIANT: the cargo settings that make it
  local level
  case $1 in
    cargo)
      level=3
      export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
      export CARGO_PROFILE_RELEASE_STRIP=debuginfo CARGO_PROFILE_RELEASE_OPT_LEVEL=3 ;;
    lto-3 | lto-s | lto-z)
      level=${1#lto-}
      export CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
      export CARGO_PROFILE_RELEASE_STRIP=symbols CARGO_PROFILE_RELEASE_OPT_LEVEL=$level ;;
    mixed) return ;;
    *) echo "unknown variant '$1' (${variants[*]})" >&2; exit 2 ;;
  esac
  # Cargo.toml's per-crate opt-levels would otherwise outlive the variant's own.
  [[ $level == 3 ]] || level="\"$level\""
  local crate
  for crate in $(python3 -c 'import tomllib; print(*tomllib.load(open("Cargo.toml", "rb"))["profile"]["release"].get("package", {}))'); do
    cargo_args+=(--config "profile.release.package.$crate.opt-level=$level")
  done
}

build() {
  local variant=$1 dir=$out/$1
  profile_env "$variant"
  mkdir -p "$dir"
  echo "== $variant: the benchmark programs"
  cargo bench "${cargo_args[@]}" -p candor-bench --bench progress --bench parsers --no-run \
    --message-format=json 2>/dev/null |
    python3 -c '
import json, shutil, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["kind"] == ["bench"] and m.get("executable"):
        shutil.copy(m["executable"], sys.argv[1] + "/" + m["target"]["name"])
        print("  " + m["target"]["name"])
' "$dir"
  echo "== $variant: make package"
  scripts/package.sh -- "${cargo_args[@]}" >"$dir/package.log" 2>&1 || { tail -n 30 "$dir/package.log"; exit 1; }
  for f in target/release/candor target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm; do
    stat -c '%s %n' "$f" | awk '{ printf "  %-52s %10d bytes  %6.2f MB\n", $2, $1, $1 / 1e6 }'
  done | tee "$dir/sizes.txt"
}

compare() {
  local rounds=${1:-3} data=$out/history built=()
  for v in "${variants[@]}"; do [[ -x $out/$v/progress ]] && built+=("$v"); done
  ((${#built[@]})) || { echo "no variant is built yet: bench/release.sh build cargo" >&2; exit 1; }
  [[ -f $data/candor.db ]] || bench/gen-history.sh "$data"
  local work
  work=$(mktemp -d)
  for ((r = 1; r <= rounds; r++)); do
    for v in "${built[@]}"; do
      echo "== round $r: $v (load average $(cut -d' ' -f1-3 /proc/loadavg))"
      for b in parsers progress; do
        # criterion writes under CRITERION_HOME; each run keeps its own estimates.
        CRITERION_HOME=$work/$v-$r CANDOR_BENCH_DATA=$data "$out/$v/$b" --bench --noplot \
          --warm-up-time 1 --measurement-time 3 >/dev/null 2>&1
      done
    done
  done
  python3 - "$work" "$rounds" "${built[@]}" <<'PY' | tee "$out/compare.txt"
import glob, json, os, statistics, sys
work, rounds, variants = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
med = {}  # (variant, bench) -> [median of each round]
for v in variants:
    for r in range(1, rounds + 1):
        root = f"{work}/{v}-{r}"
        for f in glob.glob(f"{root}/*/*/new/estimates.json"):
            bench = os.path.relpath(os.path.dirname(os.path.dirname(f)), root)
            med.setdefault((v, bench), []).append(json.load(open(f))["median"]["point_estimate"])
benches = sorted({b for _, b in med})
print(f"median of {rounds} rounds' medians, ms (change against cargo's defaults)")
print(f"  {'benchmark':<38}" + "".join(f"{v:>20}" for v in variants))
for b in benches:
    ref = statistics.median(med[("cargo", b)]) if ("cargo", b) in med else None
    cells = []
    for v in variants:
        m = statistics.median(med[(v, b)])
        cells.append(f"{m / 1e6:9.3f}" + (f" {(m / ref - 1) * 100:+6.1f}%" if ref and v != "cargo" else " " * 8))
    print(f"  {b:<38}" + "".join(f"{c:>20}" for c in cells))
PY
  rm -rf "$work"
}

pairs() { # pairs BASE OTHER [TURNS] [FILTER]: each benchmark alone, BASE and OTHER in turn
  local base=$1 other=$2 turns=${3:-6} filter=${4:-} data=$out/history work b name t v
  for v in "$base" "$other"; do
    [[ -x $out/$v/progress ]] || { echo "$v is not built yet: bench/release.sh build $v" >&2; exit 1; }
  done
  [[ -f $data/candor.db ]] || bench/gen-history.sh "$data"
  work=$(mktemp -d)
  for b in parsers progress; do
    while read -r name; do
      echo "== $name (load average $(cut -d' ' -f1-3 /proc/loadavg))"
      for ((t = 1; t <= turns; t++)); do
        # ABBA: the one that runs second in a turn runs first in the next.
        local order=("$base" "$other")
        ((t % 2)) || order=("$other" "$base")
        for v in "${order[@]}"; do
          CRITERION_HOME=$work/$v-$t CANDOR_BENCH_DATA=$data taskset -c 1 "$out/$v/$b" --bench \
            --noplot --exact "$name" --warm-up-time 0.5 --measurement-time 2 >/dev/null 2>&1
        done
      done
    done < <(CANDOR_BENCH_DATA=$data "$out/$base/$b" --bench --list 2>/dev/null |
      sed -n 's/: benchmark$//p' | grep -F -- "$filter")
  done
  python3 - "$work" "$turns" "$base" "$other" <<'PY' | tee "$out/pairs-$base-$other${filter:+-$filter}.txt"
import glob, json, os, statistics, sys
work, turns, base, other = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def medians(v, t):
    root = f"{work}/{v}-{t}"
    return {os.path.relpath(os.path.dirname(os.path.dirname(f)), root):
            json.load(open(f))["median"]["point_estimate"]
            for f in glob.glob(f"{root}/*/*/new/estimates.json")}
ratios, base_ms = {}, {}
for t in range(1, turns + 1):
    a, o = medians(base, t), medians(other, t)
    for b in a.keys() & o.keys():
        ratios.setdefault(b, []).append(o[b] / a[b])
        base_ms.setdefault(b, []).append(a[b])
print(f"{other} against {base}: each benchmark's median, {turns} turns taken one after the other")
print(f"  {'benchmark':<38} {base + ' ms':>12}  {'change':>8}  {'fastest turn':>12}  {'slowest turn':>12}")
for b in sorted(ratios):
    r = sorted(ratios[b])
    pct = lambda x: f"{(x - 1) * 100:+.1f}%"
    print(f"  {b:<38} {statistics.median(base_ms[b]) / 1e6:12.3f}  {pct(statistics.median(r)):>8}"
          f"  {pct(r[0]):>12}  {pct(r[-1]):>12}")
PY
  rm -rf "$work"
}

case ${1:-} in
  build) build "${2:?bench/release.sh build cargo|lto-3|lto-s|lto-z|mixed}" ;;
  compare) compare "${2:-3}" ;;
  pairs) pairs "${2:?bench/release.sh pairs BASE OTHER [TURNS] [FILTER]}" "${3:?}" "${4:-6}" "${5:-}" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2 ;;
esac
