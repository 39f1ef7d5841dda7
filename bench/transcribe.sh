#!/usr/bin/env bash
# Speech to text on this machine: Candor (whisper.cpp through whisper-rs) against faster-whisper
# 1.2.1 (CTranslate2, int8 on the CPU) on the same weights and the same audio, in the same run:
# a 3-minute and a 10-minute espeak-ng answer with fillers, each model the test set-up makes
# (scripts/test-model.sh), as whisper.cpp's f16 file and quantized to q8_0 (8-bit weights, the
# counterpart of faster-whisper's int8). For each: wall time (model load included), real-time
# factor, peak memory, word error and fillers kept. Then the take transcribed while it is recorded
# (core/examples/stop_to_ready.rs): pieces, what is left at Stop, Stop-to-ready, and the memory
# held once the model is dropped (as the app does when it has nothing to transcribe).
#
# Figures only; nothing about speed is asserted. Needs the Python package index once (the
# faster-whisper venv is cached in $CANDOR_MODEL_CACHE, default ~/.cache/candor/models).
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${CANDOR_MODEL_CACHE:-$HOME/.cache/candor/models}
THREADS=$(nproc)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TOOLS=bench/transcribe_tools.py
TEXT=core/tests/data/long_answer.txt

scripts/test-model.sh >/dev/null
scripts/test-model.sh --q8_0 >/dev/null
declare -A GGML=([base]=$CACHE/ggml-base.bin [tiny.en]=$CACHE/ggml-tiny.en.bin)
declare -A CT2
for m in base tiny.en; do CT2[$m]=$(scripts/test-model.sh --ct2 "$m"); done

FWV=$CACHE/bench-venv
if ! "$FWV/bin/python" -c 'import faster_whisper' 2>/dev/null; then
  echo "Installing faster-whisper 1.2.1 into $FWV (once)" >&2
  rm -rf "$FWV"
  python3 -m venv "$FWV"
  "$FWV/bin/pip" install -q --disable-pip-version-check faster-whisper==1.2.1
fi

cargo build -q -p candor-cli
cargo build -q -p candor-core --example stop_to_ready
CLI=target/debug/candor-cli
S2R=target/debug/examples/stop_to_ready

# espeak-ng speech of a text file as a take is stored: 16 kHz, mono, 16-bit.
speak() { # speak TEXT_FILE OUT.wav SPEED PITCH
  espeak-ng -s "$3" -p "$4" -w "$WORK/raw.wav" -f "$1"
  sox -q "$WORK/raw.wav" -r 16000 -c 1 -b 16 "$2"
}

# The 3-minute answer: the test text read once. The 10-minute one: read three times, the
# sentences shuffled differently each time (a text repeated word for word makes Whisper loop),
# at three speeds and pitches.
cp "$TEXT" "$WORK/answer-3min.txt"
speak "$TEXT" "$WORK/answer-3min.wav" 140 50
: >"$WORK/answer-10min.txt"
parts=()
for i in 1 2 3; do
  shuf --random-source=<(yes "$i") "$TEXT" >"$WORK/part$i.txt"
  cat "$WORK/part$i.txt" >>"$WORK/answer-10min.txt"
  speak "$WORK/part$i.txt" "$WORK/part$i.wav" $((115 + 10 * i)) $((35 + 10 * i))
  parts+=("$WORK/part$i.wav")
done
sox -q "${parts[@]}" "$WORK/answer-10min.wav"

field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }

printf '\n%-12s %-8s %-26s %8s %6s %8s %7s %8s\n' audio model engine seconds RTF peak_MB WER% fillers
for audio in answer-3min answer-10min; do
  wav=$WORK/$audio.wav
  dur=$(soxi -D "$wav")
  for m in base tiny.en; do
    # Candor, whole file, every thread: the f16 file, then the same weights in q8_0.
    for kind in f16 q8_0; do
      file=${GGML[$m]}
      [[ $kind == q8_0 ]] && file=${file%.bin}-q8_0.bin
      /usr/bin/time -f '%e %M' -o "$WORK/time" \
        "$CLI" transcribe "$wav" --model "$file" --threads "$THREADS" --json >"$WORK/c.json"
      python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['text'])" "$WORK/c.json" >"$WORK/c.txt"
      python3 "$TOOLS" score "$WORK/$audio.txt" "$WORK/c.txt" >"$WORK/c.score"
      read -r secs kb <"$WORK/time"
      printf '%-12s %-8s %-26s %8.1f %6.3f %8.0f %7.1f %8s\n' "$audio" "$m" "Candor (whisper.cpp $kind)" \
        "$secs" "$(ratio "$secs" "$dur")" "$((kb / 1024))" "$(field "$WORK/c.score" wer)" \
        "$(python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['fillers']; print(f'{f[0]}/{f[1]}')" "$WORK/c.score")"
    done
    # faster-whisper, same weights, int8, every thread.
    /usr/bin/time -f '%e %M' -o "$WORK/time" \
      "$FWV/bin/python" "$TOOLS" fw "${CT2[$m]}" "$wav" "$THREADS" >"$WORK/f.json"
    field "$WORK/f.json" text >"$WORK/f.txt"
    python3 "$TOOLS" score "$WORK/$audio.txt" "$WORK/f.txt" >"$WORK/f.score"
    read -r secs kb <"$WORK/time"
    printf '%-12s %-8s %-26s %8.1f %6.3f %8.0f %7.1f %8s\n' "$audio" "$m" "faster-whisper 1.2.1 int8" \
      "$secs" "$(ratio "$secs" "$dur")" "$((kb / 1024))" "$(field "$WORK/f.score" wer)" \
      "$(python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['fillers']; print(f'{f[0]}/{f[1]}')" "$WORK/f.score")"
  done
done

printf '\nWhile recording (pieces and tails heard with 1 thread as they end, the rest with %s at Stop;\nidle: memory 12 s after the model is dropped):\n' "$THREADS"
printf '%-12s %-8s %7s %6s %9s %11s %14s %8s %8s %7s\n' audio model pieces tails left_s behind_s stop_to_ready_s peak_MB idle_MB WER%
for audio in answer-3min answer-10min; do
  for m in base tiny.en; do
    "$S2R" "$WORK/$audio.wav" "${GGML[$m]}" >"$WORK/s.json"
    field "$WORK/s.json" text >"$WORK/s.txt"
    python3 "$TOOLS" score "$WORK/$audio.txt" "$WORK/s.txt" >"$WORK/s.score"
    python3 - "$WORK/s.json" "$WORK/s.score" "$audio" "$m" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); w = json.load(open(sys.argv[2]))
print(f"{sys.argv[3]:<12} {sys.argv[4]:<8} {s['pieces']:>7} {s['tails']:>6} {s['left_at_stop_s']:>9.1f} {s['behind_at_stop_s']:>11.1f}"
      f" {s['stop_to_ready_s']:>14.2f} {s['peak_mb']:>8.0f} {s['rss_idle_mb']:>8.0f} {w['wer']:>7.1f}")
PY
  done
done
