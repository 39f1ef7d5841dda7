#!/usr/bin/env bash
# Speech-analysis benchmark: `candor-cli analyze` against ffmpeg silencedetect and plain `cat`.
#
#   bench/analysis.sh                   45 min takes (BENCH_ANALYSIS_SECONDS=2700)
#   BENCH_ANALYSIS_SECONDS=300 ...      quicker
#
# Takes are built with espeak-ng and sox in bench/out/analysis/ (reused when present): phrases
# trimmed of espeak's own silence, joined by silences of known lengths over a low noise bed, then
# repeated to 45 minutes, at 16 kHz and 48 kHz (mono 16-bit), plus a 5-minute take to show that
# Candor's memory does not grow with length.
#
# Timing: wall clock, best of 3, with the file already in the page cache (each file is read once
# before timing), so the figures compare the work done on the bytes, not the disk. Peak RSS comes
# from /usr/bin/time. Nothing about time is asserted; the script fails only if a tool fails.
# Agreement: on short takes whose pauses are known exactly, how many pauses each tool finds within
# ±50 ms at both edges, and how many of ffmpeg's silences Candor also reports.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"

SECS=${BENCH_ANALYSIS_SECONDS:-2700}
if ! [[ $SECS =~ ^[1-9][0-9]*$ ]]; then
    echo "BENCH_ANALYSIS_SECONDS must be a positive whole number (got '$SECS')" >&2
    exit 2
fi
OUT=$ROOT/bench/out/analysis
REPORT=$ROOT/bench/out/analysis.txt
CLI=$ROOT/target/release/candor-cli
VOICE_RATE=22050
mkdir -p "$OUT"

say() { printf '%s\n' "$*"; }
for tool in espeak-ng sox soxi ffmpeg /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool (run make setup)" >&2; exit 1; }
done

say "Building candor-cli (release)..."
cargo build --release -p candor-cli --quiet
[[ -x $CLI ]] || { echo "missing $CLI after the build" >&2; exit 1; }

# --- takes ------------------------------------------------------------------------------------
silence() { # silence FILE SECONDS
    sox -n -r $VOICE_RATE -c 1 -b 16 "$1" trim 0 "$2"
}
phrase() { # phrase FILE TEXT : spoken, then trimmed of espeak's leading/trailing silence
    espeak-ng -w "$1.raw.wav" "$2"
    sox "$1.raw.wav" "$1" silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse
    rm -f "$1.raw.wav"
}
noise_bed() { # noise_bed IN OUT : a white-noise bed at vol 0.003 under the whole take
    sox -n -r $VOICE_RATE -c 1 -b 16 "$OUT/bed.wav" synth "$(soxi -D "$1")" whitenoise vol 0.003
    sox -m -v 1 "$1" -v 1 "$OUT/bed.wav" "$2"
    rm -f "$OUT/bed.wav"
}

# Accuracy takes: 0.8 s lead, four phrases, pauses of 0.4, 1.0 and 2.5 s, 0.5 s trailing.
# TRUTH holds the pauses as "start end" lines, from the trimmed phrase lengths.
ACC_PHRASES=(
    "The answer depends on what you are willing to give up."
    "I was not sure, and I said so at the time."
    "Then we looked at what it would break elsewhere."
    "Honestly, I would do it differently now."
)
ACC_GAPS=(0.4 1.0 2.5 0.5)
TRUTH=$OUT/truth.txt
if [[ ! -f $OUT/accuracy-clean-16k.wav || ! -f $OUT/accuracy-noisy-16k.wav || ! -f $TRUTH ]]; then
    say "Building the accuracy takes..."
    parts=("$OUT/lead.wav")
    silence "$OUT/lead.wav" 0.8
    at=0.8
    rm -f "$TRUTH" "$TRUTH.starts" "$TRUTH.ends"
    for i in "${!ACC_PHRASES[@]}"; do
        phrase "$OUT/acc$i.wav" "${ACC_PHRASES[$i]}"
        len=$(soxi -D "$OUT/acc$i.wav")
        end=$(awk -v a="$at" -v l="$len" 'BEGIN { printf "%.6f", a + l }')
        if ((i > 0)); then echo "$at" >>"$TRUTH.ends"; fi
        if ((i < ${#ACC_PHRASES[@]} - 1)); then echo "$end" >>"$TRUTH.starts"; fi
        silence "$OUT/accgap$i.wav" "${ACC_GAPS[$i]}"
        parts+=("$OUT/acc$i.wav" "$OUT/accgap$i.wav")
        at=$(awk -v e="$end" -v g="${ACC_GAPS[$i]}" 'BEGIN { printf "%.6f", e + g }')
    done
    paste -d' ' "$TRUTH.starts" "$TRUTH.ends" >"$TRUTH"
    rm -f "$TRUTH.starts" "$TRUTH.ends"
    sox "${parts[@]}" "$OUT/accuracy-clean.wav"
    noise_bed "$OUT/accuracy-clean.wav" "$OUT/accuracy-noisy.wav"
    sox "$OUT/accuracy-clean.wav" -r 16000 "$OUT/accuracy-clean-16k.wav"
    sox "$OUT/accuracy-noisy.wav" -r 16000 "$OUT/accuracy-noisy-16k.wav"
    rm -f "${parts[@]}" "$OUT/accuracy-clean.wav" "$OUT/accuracy-noisy.wav"
fi

# Long takes: a ~30 s unit of eight phrases and eight pauses (0.3 s to 3 s) over the noise bed,
# repeated to length.
LONG_PHRASES=(
    "Tell me about a time you changed your mind."
    "I thought the evaluation was enough, and it was not."
    "What would falsify that?"
    "We shipped it anyway, which I still think about."
    "There is a tension here that I cannot resolve cleanly."
    "I do not know, but I would start by asking the people who ran it."
    "It would break the assumption that the cadence is fixed."
    "That is the part I felt uneasy about."
)
LONG_GAPS=(0.3 0.5 0.8 1.2 0.35 2.5 0.6 3.0)
take_for() { echo "$OUT/take-$1s-$2.wav"; } # take_for SECONDS RATE
build_takes() { # build_takes SECONDS...
    local need=0 s r
    for s in "$@"; do for r in 16000 48000; do [[ -f $(take_for "$s" $r) ]] || need=1; done; done
    ((need)) || return 0
    if [[ ! -f $OUT/unit-16000.wav || ! -f $OUT/unit-48000.wav ]]; then
        say "Building the speech unit..."
        local parts=() i
        for i in "${!LONG_PHRASES[@]}"; do
            phrase "$OUT/u$i.wav" "${LONG_PHRASES[$i]}"
            silence "$OUT/ugap$i.wav" "${LONG_GAPS[$i]}"
            parts+=("$OUT/u$i.wav" "$OUT/ugap$i.wav")
        done
        sox "${parts[@]}" "$OUT/unit-clean.wav"
        noise_bed "$OUT/unit-clean.wav" "$OUT/unit.wav"
        for r in 16000 48000; do sox "$OUT/unit.wav" -r $r "$OUT/unit-$r.wav"; done
        rm -f "${parts[@]}" "$OUT/unit-clean.wav" "$OUT/unit.wav"
    fi
    for s in "$@"; do
        for r in 16000 48000; do
            local f
            f=$(take_for "$s" $r)
            [[ -f $f ]] && continue
            say "Building a ${s} s take at $r Hz..."
            local unit reps
            unit=$(soxi -D "$OUT/unit-$r.wav")
            reps=$(awk -v s="$s" -v u="$unit" 'BEGIN { n = int(s / u); print (n * u < s) ? n : n - 1 }')
            sox "$OUT/unit-$r.wav" "$f.tmp.wav" repeat "$reps" trim 0 "$s"
            mv "$f.tmp.wav" "$f"
        done
    done
}
SHORT=300
if ((SECS <= SHORT)); then SHORT=$(((SECS + 1) / 2)); fi
build_takes "$SHORT" "$SECS"

# --- measuring --------------------------------------------------------------------------------
TIMEFORMAT=%3R
best_of_3() { # best_of_3 CMD... : best wall-clock seconds of three runs, output discarded
    local best="" t i
    for i in 1 2 3; do
        t=$({ time "$@" >/dev/null 2>&1; } 2>&1)
        best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
    done
    echo "$best"
}
rss_mib() { # rss_mib CMD... : peak resident memory in MiB
    local kb
    kb=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n1)
    awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }'; }
ffmpeg_detect() { ffmpeg -hide_banner -nostats -i "$1" -af silencedetect=noise=-35dB:d=0.25 -f null -; }
cat_file() { cat "$1"; }

# Pauses as "start end" lines. Candor: its "pauses" array. ffmpeg: silences that have both a
# start and an end and touch neither end of the take (those are lead-in and trailing silence).
candor_pauses() {
    "$CLI" analyze --json "$1" | sed -E 's/.*"pauses":\[([^]]*)\].*/\1/' | grep -oE '\{[^}]*\}' |
        sed -E 's/.*"end_s":([-0-9.eE+]+).*"start_s":([-0-9.eE+]+).*/\2 \1/' || true
}
ffmpeg_pauses() {
    local dur
    dur=$(soxi -D "$1")
    ffmpeg_detect "$1" 2>&1 | awk -v d="$dur" '
        /silence_start:/ { s = $NF; open = 1 }
        /silence_end:/ { for (i = 1; i <= NF; i++) if ($i == "silence_end:") e = $(i + 1)
                         if (open && s > 0.05 && e < d - 0.05) print s, e; open = 0 }'
}
matches() { # matches REF OTHER : how many REF pauses have an OTHER pause within ±50 ms at both edges
    awk 'NR == FNR { s[NR] = $1; e[NR] = $2; n = NR; next }
         { for (i = 1; i <= n; i++) if ((s[i] - $1) ^ 2 <= 0.0025 && (e[i] - $2) ^ 2 <= 0.0025) { m++; break } }
         END { print m + 0 }' "$2" "$1"
}
count() { grep -c . "$1" || true; }

{
    say ""
    say "Speech analysis: candor-cli analyze vs ffmpeg silencedetect (-35 dB, 0.25 s) vs cat"
    say "($(nproc) cores; wall clock, best of 3, files in the page cache)"
    say ""
    printf '%-25s %9s %9s %9s %9s %12s %12s %12s\n' \
        "take" "candor s" "ffmpeg s" "cat s" "ff/cand" "cand/cat" "x real time" "candor MiB"
    for r in 16000 48000; do
        f=$(take_for "$SECS" $r)
        cat "$f" >/dev/null
        dur=$(soxi -D "$f")
        tc=$(best_of_3 "$CLI" analyze --json "$f")
        tf=$(best_of_3 ffmpeg_detect "$f")
        tk=$(best_of_3 cat_file "$f")
        printf '%-25s %9s %9s %9s %8sx %11sx %11sx %12s\n' \
            "$((SECS / 60)) min, $((r / 1000)) kHz ($(du -m "$f" | cut -f1) MB)" "$tc" "$tf" "$tk" \
            "$(ratio "$tf" "$tc")" "$(ratio "$tc" "$tk")" "$(ratio "$dur" "$tc")" \
            "$(rss_mib "$CLI" analyze --json "$f")"
    done
    say "goals: ffmpeg/candor >= 10x, candor/cat <= 3x"
    say ""
    say "Peak memory (MiB): grows with length only by the 10 ms frame data (8 bytes a frame, about 3 MB an hour)"
    printf '%-22s %12s %12s %12s\n' "take" "candor" "ffmpeg" "cat"
    for s in "$SHORT" "$SECS"; do
        for r in 16000 48000; do
            f=$(take_for "$s" $r)
            printf '%-22s %12s %12s %12s\n' "$((s / 60)) min, $((r / 1000)) kHz" \
                "$(rss_mib "$CLI" analyze --json "$f")" \
                "$(rss_mib ffmpeg -hide_banner -nostats -i "$f" -af silencedetect=noise=-35dB:d=0.25 -f null -)" \
                "$(rss_mib cat "$f")"
        done
    done
    say ""
    say "Agreement on takes with known pauses (0.4, 1.0, 2.5 s between four espeak phrases):"
    say "pauses found within ±50 ms at both edges"
    printf '%-24s %10s %14s %14s %18s\n' "take" "true" "candor" "ffmpeg" "ffmpeg in candor"
    for kind in clean noisy; do
        f=$OUT/accuracy-$kind-16k.wav
        candor_pauses "$f" >"$OUT/candor-$kind.txt"
        ffmpeg_pauses "$f" >"$OUT/ffmpeg-$kind.txt"
        printf '%-24s %10s %14s %14s %18s\n' "$kind, 16 kHz" "$(count "$TRUTH")" \
            "$(matches "$TRUTH" "$OUT/candor-$kind.txt") of $(count "$OUT/candor-$kind.txt")" \
            "$(matches "$TRUTH" "$OUT/ffmpeg-$kind.txt") of $(count "$OUT/ffmpeg-$kind.txt")" \
            "$(matches "$OUT/ffmpeg-$kind.txt" "$OUT/candor-$kind.txt") of $(count "$OUT/ffmpeg-$kind.txt")"
    done
    f=$(take_for "$SHORT" 16000)
    candor_pauses "$f" >"$OUT/candor-long.txt"
    ffmpeg_pauses "$f" >"$OUT/ffmpeg-long.txt"
    printf '%-24s %10s %14s %14s %18s\n' "$((SHORT / 60)) min bench take" "-" \
        "$(count "$OUT/candor-long.txt") found" "$(count "$OUT/ffmpeg-long.txt") found" \
        "$(matches "$OUT/ffmpeg-long.txt" "$OUT/candor-long.txt") of $(count "$OUT/ffmpeg-long.txt")"
    say "(\"x of y\": x of the y pauses a tool reported match; the last column counts ffmpeg's"
    say " silences that Candor reports too.)"
} | tee "$REPORT"
say "Written to ${REPORT#"$ROOT"/}"
