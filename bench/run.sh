#!/usr/bin/env bash
# Benchmarks: each later capability adds its measurements here (figures printed, nothing asserted
# about speed; a benchmark exits non-zero only on a correctness failure).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== Recording engine: a long take from a fake mic, Candor vs sox (bench/recording.sh) =="
bench/recording.sh
echo "== Speech analysis: candor-cli analyze vs ffmpeg silencedetect vs cat (bench/analysis.sh) =="
bench/analysis.sh
echo "== Speech analysis memory on sparse 100 Hz and 16 kHz WAVs (bench/analysis-memory.sh) =="
bench/analysis-memory.sh
echo "== Question-bank validation on problem-filled files: linear in size (bench/parsers.sh) =="
bench/parsers.sh
echo "== Backup and restore: candor-cli backup/restore vs tar + sha256sum (bench/backup.sh) =="
bench/backup.sh
echo "== Progress queries on three years of practice, 10,000 takes (bench/progress.sh) =="
bench/progress.sh
echo "== Speech to text: Candor vs faster-whisper, and Stop-to-ready while recording (bench/transcribe.sh) =="
bench/transcribe.sh
echo "== The interviewer: Stop to the push-back's first sound, transcript included (bench/interviewer.sh) =="
bench/interviewer.sh
