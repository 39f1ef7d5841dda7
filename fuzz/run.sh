#!/usr/bin/env bash
# Runs every fuzz target (or those named) for FUZZ_SECONDS each (default 120) with cargo-fuzz on
# the nightly toolchain, starting from the committed seeds; new inputs go to fuzz/corpus/<target>/
# and crashes to fuzz/artifacts/<target>/. Prints one summary line per target and exits non-zero
# if any target found a crash. Usage: fuzz/run.sh [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
SECONDS_EACH=${FUZZ_SECONDS:-120}
# wav_repair writes a temp file per input: memory-backed /dev/shm makes it several times faster.
[[ -d /dev/shm && -w /dev/shm ]] && export TMPDIR=/dev/shm

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz: the nightly toolchain is needed (rustup toolchain install nightly)"; exit 1
fi
if ! command -v cargo-fuzz >/dev/null; then
  echo "fuzz: cargo-fuzz is needed (cargo install cargo-fuzz --locked)"; exit 1
fi

targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build -O "${targets[@]}" >/dev/null 2>&1 || cargo +nightly fuzz build -O || exit 1

mkdir -p logs
failed=0
summary=()
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "seeds/$t"
  log="logs/$t.log"
  echo "==> $t for ${SECONDS_EACH}s"
  cargo +nightly fuzz run -O "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -max_len=65536 -timeout=20 -print_final_stats=1 >"$log" 2>&1
  status=$?
  runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  cov=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n1 | sed -E 's/.*cov: ([0-9]+).*/\1/')
  if ((status != 0)); then
    failed=$((failed + 1))
    crash=$(ls -1t "artifacts/$t" 2>/dev/null | head -n1)
    summary+=("$t: FAILED after ${runs:-?} executions; input in fuzz/artifacts/$t/${crash:-?} (log fuzz/$log)")
  else
    summary+=("$t: ${runs:-?} executions in ${SECONDS_EACH}s, coverage ${cov:-?} edges, no crash")
  fi
done
echo
printf '%s\n' "${summary[@]}"
((failed == 0))
