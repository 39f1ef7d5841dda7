#!/usr/bin/env bash
# Benchmarks: each later capability adds its measurements here (figures printed, nothing asserted
# about speed; a benchmark exits non-zero only on a correctness failure).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== Recording engine: a long take from a fake mic, Candor vs sox (bench/recording.sh) =="
bench/recording.sh
echo "== Speech analysis: candor-cli analyze vs ffmpeg silencedetect vs cat (bench/analysis.sh) =="
bench/analysis.sh
echo "== Backup and restore: candor-cli backup/restore vs tar + sha256sum (bench/backup.sh) =="
bench/backup.sh
echo "== Progress queries on three years of practice, 10,000 takes (bench/progress.sh) =="
bench/progress.sh
