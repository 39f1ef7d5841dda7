"""Helpers for bench/transcribe.sh: faster-whisper on a WAV, and scoring a transcript.

  python transcribe_tools.py fw MODEL_DIR WAV THREADS   -> JSON {"text": ..., "seconds": ...}
  python transcribe_tools.py score REFERENCE.txt HYPOTHESIS.txt -> JSON {"wer": %, "fillers": [kept, said]}

Words are compared as Candor compares them: lower case, apostrophes kept, other punctuation off.
"""
import json
import re
import sys
import time

FILLERS = {"um", "uh", "erm", "hmm"}


def words(text):
    out = []
    for w in text.replace("\u2019", "'").lower().split():
        w = re.sub(r"^[^\w']+|[^\w']+$", "", w)
        if w:
            out.append(w)
    return out


def wer(ref, hyp):
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref):
        cur = [i + 1] * (len(hyp) + 1)
        for j, h in enumerate(hyp):
            cur[j + 1] = min(prev[j] + (r != h), prev[j + 1] + 1, cur[j] + 1)
        prev = cur
    return 100.0 * prev[len(hyp)] / max(1, len(ref))


def fw(model_dir, wav, threads):
    from faster_whisper import WhisperModel

    model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=int(threads))
    start = time.perf_counter()
    # Greedy and with word times, as Candor transcribes.
    segments, _ = model.transcribe(wav, language="en", beam_size=1, word_timestamps=True, temperature=0.0)
    text = " ".join(s.text.strip() for s in segments)
    print(json.dumps({"text": text, "seconds": time.perf_counter() - start}))


def score(ref_file, hyp_file):
    ref = words(open(ref_file, encoding="utf-8").read())
    hyp = words(open(hyp_file, encoding="utf-8").read())
    said = sum(w in FILLERS for w in ref)
    kept = min(said, sum(w in FILLERS for w in hyp))
    print(json.dumps({"wer": wer(ref, hyp), "fillers": [kept, said]}))


if __name__ == "__main__":
    if sys.argv[1] == "fw":
        fw(*sys.argv[2:5])
    else:
        score(*sys.argv[2:4])
