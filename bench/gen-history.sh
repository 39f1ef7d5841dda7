#!/usr/bin/env bash
# Writes a realistic practice history for the progress benchmark: three years of daily practice,
# 10,000 takes with about 60,000 criterion scores, checks, red flags, markers, quick ratings and
# re-grades, and spaced-repetition cards (candor-cli's hidden gen-history subcommand).
#
#   bench/gen-history.sh [DATA_DIR]     default bench/out/history (rebuilt from scratch)
#   GEN_DAYS=1095 GEN_TAKES=10000 GEN_SEED=1 GEN_AUDIO=1 ...   change the size; GEN_AUDIO=1 writes WAVs
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
OUT=${1:-bench/out/history}
if [[ -n ${CANDOR_CLI:-} ]]; then
  CLI=$CANDOR_CLI
else
  cargo build --release -p candor-cli --quiet # (up to date: a second)
  CLI=target/release/candor-cli
fi
rm -rf -- "$OUT"
mkdir -p "$OUT"
"$CLI" --data-dir "$OUT" gen-history --days "${GEN_DAYS:-1095}" --takes "${GEN_TAKES:-10000}" \
  --seed "${GEN_SEED:-1}" ${GEN_AUDIO:+--audio}
