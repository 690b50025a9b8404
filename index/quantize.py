"""ONNX exports of the embedding model, made once, offline, from the converted
sentence-transformers folder: ``export`` writes the fp32 graph (the same
model: cosine ≥ ``MIN_COSINE_FP32`` with sentence-transformers), ``quantize``
its int8 weights (dynamic, per channel; cosine ≥ ``MIN_COSINE_INT8``).

Why: one query embedding was most of a question's retrieval time. ONNX
Runtime runs the fp32 graph ~2× faster per query than sentence-transformers
on torch, with the same vectors; int8 is ~2× faster again, in batches too,
but moves near-ties (see README: it is the choice for large re-embeds, not
the default). Per-tensor int8 scales measured a worst cosine of 0.979 and
were rejected for per-channel ones (0.993).
"""
from __future__ import annotations

import json
import logging
import shutil
import warnings
from pathlib import Path

import numpy as np

MIN_COSINE_FP32 = 0.999
MIN_COSINE_INT8 = 0.99
# what an ONNX folder needs besides the graph: the tokenizer and e5's prompts
CARRIED = ("tokenizer.json", "tokenizer_config.json", "config.json", "config_sentence_transformers.json")
PARITY_FILE = "parity.json"


def export(model_dir: Path, target: Path, verify_texts: list[str]) -> dict:
    """Write the fp32 ONNX folder for ``model_dir`` into ``target`` (a staging
    folder the caller renames); return the parity figures it was checked by."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    target.mkdir(parents=True, exist_ok=True)
    # eager attention traces to plain ops that hold for any batch and length
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    sample = AutoTokenizer.from_pretrained(str(model_dir))(["query: a", "passage: two words"], padding=True,
                                                           return_tensors="pt")

    class Hidden(torch.nn.Module):  # keyword call: BertModel's positional order changed across versions
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask):
            return self.m(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    dynamic = {n: {0: "batch", 1: "length"} for n in ("input_ids", "attention_mask", "last_hidden_state")}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes the dynamic axes cover
        torch.onnx.export(Hidden(model), (sample["input_ids"], sample["attention_mask"]), str(target / "model.onnx"),
                          input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                          dynamic_axes=dynamic, opset_version=17, dynamo=False)
    _carry(model_dir, target)
    # the same vectors as the folder's: the same name, so an index built on torch is not embedded again
    return _checked(model_dir, target, verify_texts, MIN_COSINE_FP32, name=model_dir.name)


def quantize(onnx_dir: Path, target: Path, model_dir: Path, verify_texts: list[str]) -> dict:
    """Write the int8 folder of the fp32 ONNX folder ``onnx_dir`` into ``target``,
    checked against the sentence-transformers model in ``model_dir``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser logs every tensor (and advice) on the root logger
    try:
        quantize_dynamic(str(onnx_dir / "model.onnx"), str(target / "model.onnx"), per_channel=True,
                         weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)
    _carry(onnx_dir, target)
    return _checked(model_dir, target, verify_texts, MIN_COSINE_INT8, name=f"{model_dir.name}-int8")


def _carry(source: Path, target: Path) -> None:
    for name in CARRIED:
        if (source / name).is_file():
            shutil.copyfile(source / name, target / name)


def _checked(model_dir: Path, onnx_dir: Path, texts: list[str], floor: float, name: str) -> dict:
    """Check the export against sentence-transformers and record the figures
    and the name its vectors go by (part of every vector's embed key)."""
    parity = {"model": name, **verify(model_dir, onnx_dir, texts)}
    (onnx_dir / PARITY_FILE).write_text(json.dumps(parity, indent=2) + "\n")
    if parity["min_cosine"] < floor:
        raise RuntimeError(f"the ONNX model in {onnx_dir.name} disagrees with sentence-transformers "
                           f"(min cosine {parity['min_cosine']:.4f} < {floor} over {parity['texts']} texts)")
    return parity


def verify(model_dir: Path, onnx_dir: Path, texts: list[str]) -> dict:
    """Cosine of each text's ONNX vector with its sentence-transformers vector, as passage and as query."""
    from .embedding import Embedder, OnnxEmbedder

    st, ox = Embedder(model_dir), OnnxEmbedder(onnx_dir)
    cos = np.concatenate([
        (st.embed_passages(texts) * ox.embed_passages(texts)).sum(axis=1),
        (st.embed_queries(texts) * ox.embed_queries(texts)).sum(axis=1),
    ])
    return {"texts": len(texts), "min_cosine": round(float(cos.min()), 5), "mean_cosine": round(float(cos.mean()), 5)}
