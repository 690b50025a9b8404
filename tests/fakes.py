"""Fakes for unit tests, as llama-index's ``MockEmbedding`` / ``MockLLM``: a
tiny embedder, an in-memory store and a scripted answer model that
``Assistant`` accepts in place of the real ones, so every branch of the
answering pipeline has a test that runs in milliseconds. Every capability
also has a test on the real models (marked ``model`` / ``llm``)."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.backends import GenerationError
from assistant.open_index import OpenIndex, Parts
from assistant.pipeline import Assistant
from index.lexical import LexicalIndex
from index.sentences import split_sentences
from index.store import Manifest, ParagraphStore, Record
from index.translate import TranslationCache, key
from settings import Settings

_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder:
    """Bag of words, hashed into 64 dimensions and normalised: texts that share
    words are close, as with a real model, and the same text gives the same vector."""

    name, dim = "fake-embedder", 64

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for w in _WORD.findall(text.lower()):
            v[int(hashlib.sha256(w[:6].encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._one(t) for t in texts])

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self.embed_queries(texts)


class FakeStore(ParagraphStore):
    """``ParagraphStore`` over lists in memory, exact search. ``broken``: every
    read fails, as a store deleted under a running app does."""

    def __init__(self, records: list[Record], embedder: FakeEmbedder, english: dict[str, str] | None = None):
        super().__init__(paragraphs=None, sentences=True, english=english or None)
        self.records = {r.id: r for r in records}
        self.vecs = {r.id: embedder.embed_passages([r.text])[0] for r in records}
        self.sents = {}
        for r in records:
            for k, (a, b) in enumerate(split_sentences(r.text), start=1):
                self.sents[f"{r.id}~s{k}"] = ({"para_id": r.id, "start": a, "end": b},
                                              embedder.embed_passages([r.text[a:b]])[0])
        self.embedder, self.broken = embedder, False

    def _check(self):
        if self.broken:
            raise RuntimeError("no such table: embeddings")

    def _matches(self, meta: dict, where: dict | None) -> bool:
        if not where:
            return True
        parts = where.get("$and", [where])
        for part in parts:
            (key, cond), = part.items()
            ok = meta.get(key) in cond["$in"] if "$in" in cond else meta.get(key) == cond["$eq"]
            if not ok:
                return False
        return True

    def _search(self, vector, k, where=None):
        self._check()
        q = np.asarray(vector, dtype=np.float32)
        scored = [Record(r.id, r.text, r.meta, float(self.vecs[r.id] @ q)) for r in self.records.values()
                  if self._matches(r.meta, where)]
        return sorted(scored, key=lambda r: -r.score)[:k]

    def nearest(self, vector, k, where=None):
        return {r.id: r.score for r in self._search(vector, k, where)}

    def search_english(self, vector, k):
        self._check()
        q = np.asarray(vector, dtype=np.float32)
        scores = {i: float(self.embedder.embed_passages([t])[0] @ q) for i, t in (self.english or {}).items()}
        return dict(sorted(scores.items(), key=lambda x: -x[1])[:k])

    def get(self, ids, vector=None):
        self._check()
        q = None if vector is None else np.asarray(vector, dtype=np.float32)
        return {i: replace(self.records[i], score=-1.0 if q is None else float(self.vecs[i] @ q))
                for i in ids if i in self.records}

    def vectors(self, ids):
        return {i: self.vecs[i] for i in ids if i in self.vecs}

    def sentence_rows(self, ids=None, para_ids=None):
        self._check()
        if para_ids is not None:
            return [({**m, "id": i}, v) for i, (m, v) in self.sents.items() if m["para_id"] in para_ids]
        return [({**self.sents[i][0], "id": i}, self.sents[i][1]) for i in ids or [] if i in self.sents]

    def english_texts(self, ids):
        return {i: (self.english or {})[i] for i in ids if i in (self.english or {})}

    def in_document(self, doc_id, numbers):
        return [r for r in self.records.values() if r.meta.get("doc") == doc_id and r.meta.get("number") in numbers]


class FakeBackend:
    """Answers what a test tells it to, or fails: the model's part, nothing else.
    ``reply``: the selection (``select``); ``tokens``: what ``stream`` writes;
    ``judged``: the probability ``judge`` gives, ``doubt`` the one ``pick`` gives
    (None: none, as a chat server)."""

    name, model = "fake", "fake-model"

    def __init__(self, reply: str = "[1]", tokens: list[str] | None = None, fail: bool = False,
                 judged: float | None = None, doubt: float | None = None):
        self.reply, self.tokens, self.fail, self.asked, self.judged = reply, tokens or [], fail, [], judged
        self.doubted = doubt

    def warm_up(self, prefix=None) -> None:
        pass

    def select(self, msgs, grammar, lang="en") -> str:
        self.asked.append(msgs)
        if self.fail:
            raise GenerationError("the fake model is down")
        return self.reply

    def pick(self, msgs, grammar, lang="en") -> tuple[str, float | None]:
        return self.select(msgs, grammar, lang), self.doubted

    def judge(self, msgs, yes, no, lang="en") -> float | None:
        self.judge_asked = [*getattr(self, "judge_asked", []), msgs]
        return self.judged

    def stream(self, msgs, lang="en") -> Iterator[str]:
        self.asked.append(msgs)
        for i, t in enumerate(self.tokens):
            if self.fail and i == 1:
                raise GenerationError("the fake model is down")
            yield t
        if self.fail and len(self.tokens) < 2:
            raise GenerationError("the fake model is down")


def paragraph(doc: str, number: int, text: str, section: str = "Sectie", title: str = "Document", **meta) -> Record:
    """A stored paragraph as the build writes it (the metadata keys the store keeps)."""
    return Record(f"{doc}#p{number}", text, {"doc": doc, "doc_title": title, "section": section, "number": number,
                                             "file": f"{doc}.md", "language": "nl", "date": "2024-05-01",
                                             "publisher": "Test", "doc_kind": "letter", **meta})


def fake_assistant(records: list[Record], backend: FakeBackend | None = None, english: dict[str, str] | None = None,
                   tmp: Path | None = None, dutch: dict[str, str] | None = None, **settings) -> Assistant:
    """An ``Assistant`` over ``records`` with the fakes: no model, no disk but ``tmp``.
    ``dutch``: Dutch renderings of English paragraphs, by the paragraph's text."""
    embedder = FakeEmbedder()
    store = FakeStore(records, embedder, english)
    meta = [{k: r.meta.get(k) for k in ("doc", "language", "publisher", "date", "doc_kind", "file")} for r in records]
    lexical = LexicalIndex.build([r.id for r in records], [r.text for r in records], meta)
    lexical_en = (LexicalIndex.build(list(english), list(english.values()),
                                     [m for r, m in zip(records, meta) if r.id in english], language="en")
                  if english else None)
    docs = {r.meta["doc"]: {"id": r.meta["doc"], "title": r.meta["doc_title"], "date": r.meta["date"]}
            for r in records}
    manifest = Manifest(model=embedder.name, dim=embedder.dim, paragraphs=len(records), documents=list(docs.values()),
                        built_at="2026-12-05T00:00:00+00:00")
    translations = TranslationCache((tmp or Path("/nonexistent")) / "translations.en.jsonl", {})
    translations_nl = TranslationCache((tmp or Path("/nonexistent")) / "translations.nl.jsonl",
                                       {key(t): {"key": key(t), "en": d} for t, d in (dutch or {}).items()}, "nl")
    base = Settings.from_env({})
    s = replace(base, data_dir=tmp or base.data_dir, **{"backend": "extractive", **settings})
    parts = Parts(store, lexical, lexical_en, manifest, translations, translations_nl)
    return Assistant(s, index=OpenIndex(s, embedder=embedder, parts=parts), backend=backend)
