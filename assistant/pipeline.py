"""The answering pipeline: detect language → condense → retrieve → answer → cite.

``Assistant`` opens the model and the index once and answers many questions;
``assistant.ask`` uses one shared instance per process.
"""
from __future__ import annotations

import logging
import re
import threading
import time

from index.embedding import Embedder, ModelMissingError, load_embedder
from index.lexical import LexicalIndex
from index.settings import Settings
from index.store import (IndexCorruptError, IndexMissingError, Manifest, english_collection, open_collection,
                         sentence_collection, vector_store)

from . import language
from .answer import SentenceHit, compose
from .messages import AssistantError, text as msg
from .retrieve import Retriever
from .types import Answer, Retrieval

log = logging.getLogger(__name__)


def condense(question: str, history: list[dict] | None) -> str:
    """The text to search with. A follow-up ("En wat vindt Nederland daarvan?")
    names no topic; the previous user turn supplies it. A plain join for now:
    a model-written stand-alone question can replace it without changing callers."""
    previous = [t.get("content", "") for t in (history or []) if t.get("role") == "user" and t.get("content")]
    if not previous:
        return question
    return f"{previous[-1].strip()}\n{question}"


class Assistant:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()
        self._lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._embedder: Embedder | None = None
        self._sentences = None
        self._manifest: Manifest | None = None

    # -- opening ---------------------------------------------------------
    def _open(self, lang: str) -> None:
        if self._retriever is not None:
            return
        with self._lock:
            if self._retriever is not None:
                return
            try:
                self._manifest = Manifest.read(self.settings.manifest_path)
                collection = open_collection(self.settings)
                self._sentences = open_collection(self.settings, name=sentence_collection(self.settings))
                self._embedder = load_embedder(self.settings)
                lexical = LexicalIndex.load(self.settings.data_dir)
                english, lexical_en = self._open_english()
            except IndexMissingError:
                raise AssistantError("index_missing", lang, exit_code=3) from None
            except IndexCorruptError as e:
                raise AssistantError("index_corrupt", lang, exit_code=3, detail=_short(e)) from None
            except ModelMissingError as e:
                raise AssistantError("model_missing", lang, exit_code=3, detail=_short(e)) from None
            self._retriever = Retriever(vector_store(collection), self._embedder, self.settings.top_k,
                                        lexical=lexical, sentences=self._sentences, collection=collection,
                                        english=english, lexical_en=lexical_en)

    def _open_english(self):
        """The English renderings, when a build made them (an index built
        before they existed still answers, without that signal)."""
        try:
            return (open_collection(self.settings, name=english_collection(self.settings)),
                    LexicalIndex.load(self.settings.data_dir, language="en"))
        except (IndexMissingError, IndexCorruptError) as e:
            log.warning("no English renderings in the index (%s); rebuild to add them", e)
            return None, None

    def warm_up(self) -> None:
        """Open model and index now, so the first user does not wait for it."""
        self._open("en")

    def close(self) -> None:
        self._retriever = self._embedder = self._sentences = None

    @property
    def documents(self) -> list[dict]:
        return list(self._manifest.documents) if self._manifest else []

    # -- answering -------------------------------------------------------
    def _check(self, question: str) -> tuple[str, str]:
        """Validate the question; return it stripped, with its language."""
        question = (question or "").strip()
        if not question:
            raise AssistantError("empty_question", "")
        detected = language.detect(question[:2000])
        lang = detected.lang
        if len(question) > self.settings.max_question_chars:
            raise AssistantError("question_too_long", lang, length=len(question), limit=self.settings.max_question_chars)
        if not detected.supported:
            raise AssistantError("unsupported_language", lang, guess=detected.guess)
        self._open(lang)
        return question, lang

    def _dates_to_documents(self, filters: dict | None) -> dict | None:
        """``since`` / ``until`` (ISO dates) are document properties: turn them
        into the list of documents in range, a cheap ``in`` filter, instead of
        a per-paragraph range condition in the store."""
        if not filters or not ({"since", "until"} & set(filters)):
            return filters
        rest = {k: v for k, v in filters.items() if k not in ("since", "until")}
        since, until = str(filters.get("since") or ""), str(filters.get("until") or "")
        for value in (since, until):
            if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
                raise ValueError(f"dates are YYYY-MM-DD, not {value!r}")
        # ISO dates compare as strings; a bare year or month covers the whole of it
        docs = [d["id"] for d in self.documents
                if (not since or d.get("date", "") >= since) and (not until or d.get("date", "")[:len(until)] <= until)]
        wanted = rest.get("doc_id")
        if wanted is not None:
            wanted = set(wanted) if isinstance(wanted, (list, tuple, set)) else {wanted}
            docs = [d for d in docs if d in wanted]
        rest["doc_id"] = docs or ["\u2205"]  # no document in range: match nothing
        return rest

    def _search(self, query: str, filters: dict | None, lang: str, sentences: bool):
        try:
            return self._retrieve(query, self._dates_to_documents(filters), lang, sentences)
        except ValueError as e:
            raise AssistantError("bad_filter", lang, detail=str(e)) from None
        except Exception as e:  # the store vanished or broke under a running app
            log.warning("retrieval failed: %s", e)
            self.close()
            raise AssistantError("index_corrupt", lang, exit_code=3, detail=_short(e)) from None

    def _find(self, question: str, history, filters, sentences: bool):
        """Check, condense and retrieve: what ``search`` and ``ask`` share."""
        t0 = time.perf_counter()
        question, lang = self._check(question)
        query = condense(question, history)
        t1 = time.perf_counter()
        passages, hits = self._search(query, filters, lang, sentences)
        t2 = time.perf_counter()
        return question, lang, query, passages, hits, {"retrieve": round((t2 - t1) * 1000, 1), "start": t0, "end": t2}

    def search(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Retrieval:
        """The ranked paragraphs the answer would be written from (no answer)."""
        question, lang, query, passages, _, t = self._find(question, history, filters, sentences=False)
        return Retrieval(question=question, query=query, lang=lang, passages=passages,
                         timings_ms={"retrieve": t["retrieve"], "total": round((t["end"] - t["start"]) * 1000, 1)})

    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None,
            mode: str | None = None) -> Answer:
        """Answer from the sources. ``mode`` "generative" is accepted for callers
        that prefer it; until a generation backend exists the answer is
        extractive and ``Answer.mode`` says so."""
        question, lang, query, passages, hits, t = self._find(question, history, filters, sentences=True)
        composed = compose(question, lang, passages, hits, self.settings.min_score(lang), self.settings.max_citations)
        text = composed.text
        if composed.refused:
            titles = "; ".join(d["title"] for d in self.documents) or "-"
            text = f"{text}\n\n{msg(lang, 'refusal_hint', documents=titles)}"
        t3 = time.perf_counter()
        return Answer(
            question=question, text=text, lang=lang, citations=composed.citations, refused=composed.refused,
            mode="extractive", label=msg(lang, "label"), retrieved=passages, query=query,
            timings_ms={"retrieve": t["retrieve"], "answer": round((t3 - t["end"]) * 1000, 1),
                        "total": round((t3 - t["start"]) * 1000, 1)},
        )

    def _retrieve(self, query: str, filters: dict | None, lang: str, sentences: bool):
        from llama_index.core.schema import QueryBundle

        vec = self._embedder.embed_queries([query])[0].tolist()
        passages, hits = self._retriever.retrieve(QueryBundle(query_str=query, embedding=vec), filters,
                                                  weights=self.settings.fusion(lang), sentences=sentences)
        return passages, [SentenceHit(*h) for h in hits]


def _short(e: Exception) -> str:
    s = str(e).strip().splitlines()[0] if str(e).strip() else e.__class__.__name__
    return s[:200]
