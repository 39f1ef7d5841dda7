#!/usr/bin/env bash
# The interviewer's latency on this machine: from the end of an answer (Stop) to the first sound
# of the push-back, with the recommended model (base, 8-bit) and speech-dispatcher (espeak-ng) on a
# private PulseAudio. The answer is the 3-minute espeak-ng answer of bench/transcribe.sh and a
# short one that voices no doubt, each transcribed while "recorded" (core/examples/stop_to_ready.rs);
# then the push-back is chosen from the words and said. Stop to first sound = Stop-to-ready +
# choosing + the speech service's wait to its first sound (its BEGIN event). Goal: under 2 s.
# Figures only; nothing about speed is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${CANDOR_MODEL_CACHE:-$HOME/.cache/candor/models}
scripts/test-model.sh --q8_0 base >/dev/null
MODEL=$CACHE/ggml-base-q8_0.bin
cargo build -q -p candor-core --example stop_to_ready
S2R=target/debug/examples/stop_to_ready

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/run" "$WORK/home"
chmod 700 "$WORK/run"
ENVV=(env -i "PATH=$PATH" "HOME=$WORK/home" "XDG_RUNTIME_DIR=$WORK/run")
printf 'load-module module-native-protocol-unix auth-anonymous=1\nload-module module-null-sink sink_name=vsink rate=48000 channels=1\nset-default-sink vsink\n' >"$WORK/null.pa"
"${ENVV[@]}" pulseaudio -n -F "$WORK/null.pa" --exit-idle-time=-1 --daemonize=no >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [[ -S $WORK/run/pulse/native ]] && break; sleep 0.1; done
SOCK=$WORK/run/speech-dispatcher/speechd.sock
"${ENVV[@]}" speech-dispatcher --run-single --timeout 0 --socket-path "$SOCK" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [[ -S $SOCK ]] && break; sleep 0.1; done
[[ -S $SOCK ]] || { echo "speech-dispatcher did not start (scripts/setup.sh installs it)" >&2; exit 1; }

speak() { # speak TEXT_FILE OUT.wav
  espeak-ng -s 140 -w "$WORK/raw.wav" -f "$1"
  sox -q "$WORK/raw.wav" -r 16000 -c 1 -b 16 "$2"
}
speak core/tests/data/long_answer.txt "$WORK/answer-3min.wav"
echo "We moved the evaluations to every month. The cadence breaks first, long before the thresholds do, and the team agreed with the plan." >"$WORK/sure.txt"
speak "$WORK/sure.txt" "$WORK/answer-sure.wav"

printf '\n%-14s %-16s %10s %9s %14s %17s\n' answer rule ready_s choose_s first_sound_s stop_to_voice_s
for a in answer-3min answer-sure; do
  # The first utterance also starts espeak-ng's module: warm it once, as the app's first question does.
  "$S2R" "$WORK/$a.wav" "$MODEL" "$SOCK" >"$WORK/s.json"
  python3 - "$WORK/s.json" "$a" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); p = s["pushback"]
first = p["first_sound_s"]
total = s["stop_to_ready_s"] + p["choose_s"] + (first if first is not None else float("nan"))
print(f"{sys.argv[2]:<14} {p['rule']:<16} {s['stop_to_ready_s']:>10.2f} {p['choose_s']:>9.3f} "
      f"{(first if first is not None else float('nan')):>14.2f} {total:>17.2f}")
PY
done
