#!/usr/bin/env bash
# Benchmarks: each later capability adds its measurements here (figures printed, nothing asserted).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Nothing is benchmarked yet: the recording-engine and analysis benchmarks come with their issues."
