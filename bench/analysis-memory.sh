#!/usr/bin/env bash
# Peak memory of `candor-cli analyze` on sparse WAVs (a header, then a hole: nothing is written),
# at 100 Hz, where a 10 ms analysis frame is a single sample, and at 16 kHz. Memory follows the
# number of analysis frames, and a file holding more than 24 hours of frames is refused before it
# is read, so the peak stays within about 70 MB of frame data whatever the size or rate.
#
#   bench/analysis-memory.sh                     builds candor-cli (release) and measures it
#   CANDOR_CLI=/path/to/candor-cli bench/...     measures another build (e.g. an older one)
#
# Peak RSS from /usr/bin/time; nothing is asserted. The files live in bench/out/analysis-memory/
# and take no disk space (sparse), except on a file system without holes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
OUT=$ROOT/bench/out/analysis-memory
mkdir -p "$OUT"
command -v /usr/bin/time >/dev/null || { echo "missing /usr/bin/time (run make setup)" >&2; exit 1; }
if [[ -n ${CANDOR_CLI:-} ]]; then
    CLI=$CANDOR_CLI
else
    echo "Building candor-cli (release)..."
    cargo build --release -p candor-cli --quiet
    CLI=$ROOT/target/release/candor-cli
fi

# sparse_wav FILE RATE TOTAL_BYTES: 16-bit mono PCM header declaring the rest as samples.
sparse_wav() {
    python3 - "$1" "$2" "$3" <<'PY'
import struct, sys
path, rate, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = min(total - 44, 0xFFFFFFFF - 36)
with open(path, "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 36 + data) + b"WAVE")
    f.write(b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16))
    f.write(b"data" + struct.pack("<I", data))
    f.truncate(total)
PY
}

printf '%-34s %12s %10s  %s\n' "file" "peak MiB" "seconds" "outcome"
measure() { # measure LABEL RATE TOTAL_BYTES
    local f=$OUT/$1.wav
    [[ -f $f && $(stat -c %s "$f") == "$3" ]] || sparse_wav "$f" "$2" "$3"
    local log=$OUT/$1.time status
    set +e
    /usr/bin/time -f '%M %e' -o "$log" "$CLI" analyze --json "$f" >"$OUT/$1.json" 2>"$OUT/$1.err"
    status=$?
    set -e
    # A failing command adds a line before the figures; they are on the last one.
    read -r kb secs < <(tail -n1 "$log")
    local outcome="analysed"
    if ((status != 0)); then
        outcome="refused: $(sed -E 's/^candor-cli: [^:]*: //' "$OUT/$1.err" | head -c 90)"
    fi
    printf '%-34s %12s %10s  %s\n' "$1" "$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')" "$secs" "$outcome"
}
measure "100Hz-1h-0.7MB" 100 $((44 + 2 * 100 * 3600))
measure "100Hz-23h-16MB" 100 $((44 + 2 * 100 * 3600 * 23))
measure "100Hz-256MiB-373h" 100 $((256 << 20))
measure "100Hz-4GiB-5965h" 100 $((4 << 30))
measure "16kHz-1h-115MB" 16000 $((44 + 2 * 16000 * 3600))
measure "16kHz-23h-2.6GB" 16000 $((44 + 2 * 16000 * 3600 * 23))
