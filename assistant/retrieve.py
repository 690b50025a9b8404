"""Retrieve the paragraphs closest to a question (dense, through llama-index)."""
from __future__ import annotations

import math

from llama_index.core import VectorStoreIndex
from llama_index.core.vector_stores import FilterCondition, MetadataFilter, MetadataFilters

from index.embedding import E5Embedding, Embedder

from .types import Passage

# public filter name → metadata key in the store
FILTER_KEYS = {"doc_id": "doc", "language": "language", "publisher": "publisher", "doc_kind": "doc_kind", "file": "file"}


def to_filters(filters: dict | None) -> MetadataFilters | None:
    """``{"doc_id": "x"}`` or ``{"doc_id": ["x", "y"]}`` → llama-index filters."""
    if not filters:
        return None
    out = []
    for key, value in filters.items():
        if key not in FILTER_KEYS:
            raise ValueError(f"unknown filter {key!r}; use one of {sorted(FILTER_KEYS)}")
        field = FILTER_KEYS[key]
        if isinstance(value, (list, tuple, set)):
            out.append(MetadataFilter(key=field, value=list(value), operator="in"))
        else:
            out.append(MetadataFilter(key=field, value=value))
    return MetadataFilters(filters=out, condition=FilterCondition.AND)


class Retriever:
    def __init__(self, vector_store, embedder: Embedder, top_k: int):
        self.embed_model = E5Embedding(embedder)
        self.index = VectorStoreIndex.from_vector_store(vector_store, embed_model=self.embed_model)
        self.top_k = top_k

    def retrieve(self, question, filters: dict | None = None, top_k: int | None = None) -> list[Passage]:
        """``question`` is a string or a ``QueryBundle`` carrying its embedding already."""
        retriever = self.index.as_retriever(similarity_top_k=top_k or self.top_k, filters=to_filters(filters))
        return [_passage(r) for r in retriever.retrieve(question)]


def _passage(result) -> Passage:
    m = result.node.metadata
    # ChromaVectorStore reports exp(-distance); with cosine distance that
    # inverts to the cosine, the scale the refusal threshold is set on
    cosine = 1.0 + math.log(result.score) if result.score and result.score > 0 else -1.0
    return Passage(
        id=result.node.node_id, text=result.node.get_content(), score=round(cosine, 4),
        doc_id=m.get("doc", ""), doc_title=m.get("doc_title", ""), reference=m.get("reference", ""),
        section=m.get("section", ""), file=m.get("file", ""), kind=m.get("kind", "paragraph"),
        date=m.get("date", ""), publisher=m.get("publisher", ""), number=int(m.get("number") or 0),
        start=int(m.get("start") or 0), end=int(m.get("end") or 0),
        footnotes=tuple(f for f in (m.get("footnotes") or "").split(",") if f),
    )
