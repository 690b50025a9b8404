"""Retrieve the paragraphs that answer a question: hybrid search.

Three signals rank the paragraphs: the dense paragraph vector (Chroma through
llama-index), the best-matching sentence vector of each paragraph, and BM25
over Dutch stems. Each becomes z-scores over the union of candidates, summed
with per-language weights (``Settings.fusion``). Score fusion beat reciprocal
rank fusion on the benchmark: ranks discard how far ahead the best paragraph
is, which matters when only one or two paragraphs hold the answer."""
from __future__ import annotations

import math

import numpy as np

from llama_index.core import VectorStoreIndex
from llama_index.core.vector_stores import FilterCondition, MetadataFilter, MetadataFilters

from index.embedding import E5Embedding, Embedder
from index.sentences import split_sentences

from .types import Passage

# public filter name → metadata key in the store
FILTER_KEYS = {"doc_id": "doc", "language": "language", "publisher": "publisher", "doc_kind": "doc_kind", "file": "file"}


def _conditions(filters: dict) -> list[tuple[str, object]]:
    """(metadata key, value or list of values) per filter; unknown names are an error,
    and so is any value but text or a list of texts (no store operators such as
    ``{"$ne": …}`` get through from a caller)."""
    if not isinstance(filters, dict):
        raise ValueError("filters are an object such as {\"doc_id\": [\"…\"]}")
    out = []
    for key, value in filters.items():
        if key not in FILTER_KEYS:
            raise ValueError(f"unknown filter {key!r}; use one of {sorted(FILTER_KEYS)}")
        many = isinstance(value, (list, tuple, set))
        values = list(value) if many else [value]
        if not values or not all(isinstance(v, str) for v in values):
            raise ValueError(f"filter {key!r} takes a text or a list of texts")
        out.append((FILTER_KEYS[key], values if many else value))
    return out


def to_filters(filters: dict | None) -> MetadataFilters | None:
    """``{"doc_id": "x"}`` or ``{"doc_id": ["x", "y"]}`` → llama-index filters."""
    if not filters:
        return None
    return MetadataFilters(filters=[
        MetadataFilter(key=k, value=v, operator="in") if isinstance(v, list) else MetadataFilter(key=k, value=v)
        for k, v in _conditions(filters)], condition=FilterCondition.AND)


def allowed(filters: dict | None):
    """The same filters as a predicate over paragraph metadata, for the signals
    filtered in memory instead of by a Chroma ``where``."""
    if not filters:
        return None
    checks = [(k, set(v) if isinstance(v, list) else {v}) for k, v in _conditions(filters)]
    return lambda meta: all(meta.get(k) in v for k, v in checks)


def _z(values: np.ndarray) -> np.ndarray:
    sd = values.std()
    return (values - values.mean()) / sd if sd > 1e-9 else np.zeros_like(values)


class Retriever:
    def __init__(self, vector_store, embedder: Embedder, top_k: int, lexical=None, sentences=None, collection=None,
                 english=None, lexical_en=None):
        self.embed_model = E5Embedding(embedder)
        self.vector_store = vector_store
        self.index = VectorStoreIndex.from_vector_store(vector_store, embed_model=self.embed_model)
        self.top_k = top_k
        self.lexical = lexical  # index.lexical.LexicalIndex; None: dense only
        self.sentences = sentences  # the sentence collection; None: no sentence signal
        self.collection = collection  # the paragraph collection (vectors of lexical-only candidates)
        self.english = english  # vectors of the English renderings; None: none built
        self.lexical_en = lexical_en  # BM25 over the English renderings

    def dense(self, question, filters: dict | None = None, top_k: int | None = None) -> list[Passage]:
        """``question`` is a string or a ``QueryBundle`` carrying its embedding already."""
        retriever = self.index.as_retriever(similarity_top_k=top_k or self.top_k, filters=to_filters(filters))
        return [_passage(r.node, _cosine(r.score)) for r in retriever.retrieve(question)]

    def retrieve(self, question, filters: dict | None = None, top_k: int | None = None,
                 weights: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0, 0.0), sentences: bool = False,
                 roles: tuple[str, ...] = (), role_boost: float = 0.0):
        """``(passages, hits)``: the top ``top_k`` paragraphs by fused score, and,
        with ``sentences``, every sentence of those paragraphs with its cosine
        (what the extractive answer quotes from). ``question`` is a ``QueryBundle``
        with its embedding. ``Passage.score`` stays the dense cosine (refusal)."""
        top_k = top_k or self.top_k
        w_dense, w_sent, w_lex, w_den, w_len = (tuple(weights) + (0.0,) * 5)[:5]
        if self.english is None or self.lexical_en is None:
            w_den = w_len = 0.0
        if self.lexical is None or not (w_sent or w_lex or w_den or w_len):
            passages = self.dense(question, filters, top_k)
            hits = self.sentence_hits(question.embedding, passages) if sentences else []
            return passages, hits
        pool = max(3 * top_k, 30)
        keep = allowed(filters)
        dense = {p.id: p for p in self.dense(question, filters, pool)}
        lex = dict(self.lexical.search(question.query_str, pool, self.lexical.mask(keep))) if w_lex else {}
        den: dict[str, float] = {}
        if w_den:
            # no count() first: it costs ~25 ms at 100k records, and Chroma
            # returns what there is when n_results is larger
            res = self.english.query(query_embeddings=[question.embedding], n_results=pool, include=["distances"])
            ok = None if keep is None else {i for i, m in zip(self.lexical.ids, self.lexical.meta) if keep(m)}
            den = {i: 1.0 - d for i, d in zip(res["ids"][0], res["distances"][0]) if ok is None or i in ok}
        len_ = dict(self.lexical_en.search(question.query_str, pool, self.lexical_en.mask(keep))) if w_len else {}
        candidates = list(dict.fromkeys([*dense, *lex, *den, *len_]))
        missing = [i for i in candidates if i not in dense]
        if missing:
            dense.update(self._fetch(missing, question.embedding))
        candidates = [i for i in candidates if i in dense]
        if not candidates:
            return [], []
        # the sentence signal reranks the candidates: scoring all their
        # sentences is exact (an open HNSW query for 60 of all sentences was
        # approximate and changed from one process to the next)
        hits = self.sentence_hits(question.embedding, [dense[i] for i in candidates]) if (w_sent or sentences) else []
        sent: dict[str, float] = {}
        for hit in hits:
            sent[hit[0]] = max(sent.get(hit[0], -1.0), hit[3])
        d = np.array([dense[i].score for i in candidates])
        # a paragraph none of whose sentences came up ranks as the weakest that did
        floor = min(sent.values(), default=0.0)
        s = np.array([sent.get(i, floor) for i in candidates])
        b = np.array([lex.get(i, 0.0) for i in candidates])
        fused = w_dense * _z(d) + w_sent * _z(s) + w_lex * _z(b)
        if w_den:
            floor = min(den.values(), default=0.0)
            fused += w_den * _z(np.array([den.get(i, floor) for i in candidates]))
        if w_len:
            fused += w_len * _z(np.array([len_.get(i, 0.0) for i in candidates]))
        if roles and role_boost:
            fused += role_boost * np.array([float(dense[i].role in roles) for i in candidates]) * (fused.std() or 1.0)
        order = np.argsort(-fused, kind="stable")[:top_k]
        passages = self._with_heads([dense[candidates[j]] for j in order], dense, question.embedding)
        # the answer's sentences come from the query already made for the signal
        chosen = {p.id for p in passages}
        if not sentences:
            return passages, []
        scored = set(candidates)  # their sentences are in hits already
        extra = [p for p in passages if p.id not in scored]  # headings brought in by their lead-in
        hits = [h for h in hits if h[0] in chosen] + self.sentence_hits(question.embedding, extra)
        return passages, sorted(hits, key=lambda h: -h[3])

    def _with_heads(self, passages: list[Passage], known: dict[str, Passage], query_vec) -> list[Passage]:
        """A lead-in ("De drie aanbevelingen …:") is followed by the headings it
        introduces, wherever they ranked: together they are the list."""
        wanted = [h for p in passages for h in p.heads]
        if not wanted:
            return passages
        missing = [h for h in wanted if h not in known]
        if missing:
            known = {**known, **self._fetch(missing, query_vec)}
        out: list[Passage] = []
        seen: set[str] = set()
        for p in passages:
            for q in [p, *(known[h] for h in p.heads if h in known)]:
                if q.id not in seen:
                    seen.add(q.id)
                    out.append(q)
        return out

    def sentence_hits(self, query_vec, passages: list[Passage]) -> list[tuple[str, int, int, float]]:
        """(paragraph id, start, end, cosine) of every sentence of ``passages``,
        best first."""
        if self.sentences is None or not passages:
            return []
        # Read the sentences by id ("<paragraph>~s<k>", as index.build names
        # them) and score them here. A query filtered by paragraph did the
        # same but cost 435 ms at 285k sentences (Chroma filters in SQLite
        # first); this costs ~10 ms.
        spans = {f"{p.id}~s{k}": (p.id, span) for p in passages
                 for k, span in enumerate(split_sentences(p.text), start=1)}
        got = self.sentences.get(ids=list(spans), include=["embeddings", "metadatas"])
        right = {i for i, m in zip(got["ids"], got["metadatas"]) if (m["start"], m["end"]) == spans[i][1]}
        # an index split by another version of the splitter: a paragraph with a
        # sentence missing or not where this split puts it is read by paragraph id
        lost = list(dict.fromkeys(pid for i, (pid, _) in spans.items() if i not in right))
        rows = [(m, e) for m, e in zip(got["metadatas"], got["embeddings"]) if m["para_id"] not in lost]
        if lost:
            more = self.sentences.get(where={"para_id": {"$in": lost}}, include=["embeddings", "metadatas"])
            rows += zip(more["metadatas"], more["embeddings"])
        if not rows:
            return []
        cos = np.asarray([e for _, e in rows], dtype=np.float32) @ np.asarray(query_vec, dtype=np.float32)
        hits = [(m["para_id"], int(m["start"]), int(m["end"]), round(float(c), 4)) for (m, _), c in zip(rows, cos)]
        return sorted(hits, key=lambda h: -h[3])

    def _fetch(self, ids: list[str], query_vec) -> dict[str, Passage]:
        """Paragraphs found only by the sentence or lexical signal, with their cosine."""
        nodes = {n.node_id: n for n in self.vector_store.get_nodes(node_ids=ids)}
        got = self.collection.get(ids=ids, include=["embeddings"])
        q = np.asarray(query_vec, dtype=np.float32)
        cos = {i: float(np.dot(np.asarray(e, dtype=np.float32), q)) for i, e in zip(got["ids"], got["embeddings"])}
        return {i: _passage(nodes[i], cos.get(i, -1.0)) for i in ids if i in nodes}


def neighbours(collection, doc_id: str, number: int, around: int = 1) -> tuple[list[Passage], list[Passage]]:
    """The paragraphs just before and after paragraph ``number`` of a document,
    read from the store (so documents added later have them too)."""
    wanted = [n for n in range(number - around, number + around + 1) if n != number and n > 0]
    if not wanted:
        return [], []
    got = collection.get(where={"$and": [{"doc": doc_id}, {"number": {"$in": wanted}}]},
                         include=["documents", "metadatas"])
    found = sorted((_passage_from(i, t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])),
                   key=lambda p: p.number)
    return [p for p in found if p.number < number], [p for p in found if p.number > number]


def referring(collection, para_id: str) -> list[Passage]:
    """For a footnote: the paragraphs that refer to it (empty for any other paragraph)."""
    own = collection.get(ids=[para_id], include=["metadatas"])
    anchors = [a for a in ((own["metadatas"] or [{}])[0] or {}).get("anchors", "").split(",") if a]
    if not anchors:
        return []
    got = collection.get(ids=anchors, include=["documents", "metadatas"])
    found = {i: _passage_from(i, t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])}
    return [found[a] for a in anchors if a in found]


def _passage_from(pid: str, text: str, m: dict, cosine: float = 0.0) -> Passage:
    return Passage(
        id=pid, text=text, score=round(cosine, 4),
        doc_id=m.get("doc", ""), doc_title=m.get("doc_title", ""), reference=m.get("reference", ""),
        section=m.get("section", ""), file=m.get("file", ""), kind=m.get("kind", "paragraph"),
        date=m.get("date", ""), publisher=m.get("publisher", ""), number=int(m.get("number") or 0),
        start=int(m.get("start") or 0), end=int(m.get("end") or 0),
        footnotes=tuple(f for f in (m.get("footnotes") or "").split(",") if f), page=int(m.get("page") or 0),
        role=m.get("role") or "", heads=tuple(h for h in (m.get("heads") or "").split(",") if h),
        cited_by=m.get("cited_by") or "",
    )


def _cosine(score) -> float:
    # ChromaVectorStore reports exp(-distance); with cosine distance that
    # inverts to the cosine, the scale the refusal threshold is set on
    return 1.0 + math.log(score) if score and score > 0 else -1.0


def _passage(node, cosine: float) -> Passage:
    return _passage_from(node.node_id, node.get_content(), node.metadata, cosine)
