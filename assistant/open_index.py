"""The index as answering reads it, opened once and reopened when it changes.

``OpenIndex`` owns the embedding model, the store (``index.store.ParagraphStore``),
the two BM25 indexes, the manifest and the English renderings. It opens them on
first use and reopens them when the index on disk changed under the running
process (another process rebuilt it). Tests hand it ready parts (``Parts``),
e.g. the fakes in tests/fakes.py, and it never looks at the disk then.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from index.embedding import Embedder, ModelMissingError, load_embedder
from index.lexical import LexicalIndex
from index.sentences import split_sentences
from index.store import (IndexCorruptError, IndexMissingError, IndexUnreachableError, Manifest, ParagraphStore,
                         forget, signature)
from index.translate import TranslationCache
from settings import Settings

from .messages import AssistantError
from .retrieve import Retriever, neighbours, referring
from .types import Citation, Passage

log = logging.getLogger(__name__)


@dataclass
class Parts:
    """What an opened index is made of."""

    store: ParagraphStore
    lexical: LexicalIndex | None
    lexical_en: LexicalIndex | None
    manifest: Manifest
    translations: TranslationCache | None = None  # None: read from the sources folder when needed
    translations_nl: TranslationCache | None = None  # Dutch renderings of English sources, likewise


def open_parts(settings: Settings) -> Parts:
    """The index on disk (or on the Chroma server)."""
    manifest = Manifest.read(settings.manifest_path)
    store = ParagraphStore.open(settings)
    lexical = LexicalIndex.load(settings.data_dir)
    lexical_en = None
    if store.english is not None:
        try:
            lexical_en = LexicalIndex.load(settings.data_dir, language="en")
        except (IndexMissingError, IndexCorruptError) as e:
            log.warning("no English BM25 in the index (%s); rebuild to add it", e)
            store.english = None
    return Parts(store, lexical, lexical_en, manifest)


class OpenIndex:
    def __init__(self, settings: Settings, embedder: Embedder | None = None, parts: Parts | None = None):
        self.settings = settings
        self._embedder = embedder
        self._fixed = parts  # given parts are never reopened
        self._parts: Parts | None = parts
        self._retriever: Retriever | None = None
        self._signature = None  # of the index on disk when it was opened
        self._rendering_vecs: dict[str, tuple] = {}
        self._translations: dict[str, TranslationCache] = {}
        self._lock = threading.Lock()

    # -- opening ---------------------------------------------------------
    def _current(self):
        return "given" if self._fixed is not None else signature(self.settings)

    def ensure(self, lang: str) -> None:
        """Open the index (or reopen it, when it changed on disk); raise an
        ``AssistantError`` in ``lang`` saying how to fix what is wrong."""
        if self._retriever is not None and self._current() == self._signature:
            return
        with self._lock:
            if self._retriever is not None:
                if self._current() == self._signature:
                    return
                # rebuilt, replaced or deleted by another process: read it afresh
                log.info("the index changed on disk; reopening it")
                self.drop()
            if self._signature is not None and self._fixed is None:
                forget(self.settings)
            try:
                self._signature = self._current()
                parts = self._fixed or open_parts(self.settings)
                # the model outlives a reopened index: a rebuild does not change it
                self._embedder = self._embedder or load_embedder(self.settings)
            except IndexMissingError:
                raise AssistantError("index_missing", lang, exit_code=3) from None
            except IndexUnreachableError as e:
                raise AssistantError("index_unreachable", lang, exit_code=3, url=e.url, detail=e.detail) from None
            except IndexCorruptError as e:
                raise AssistantError("index_corrupt", lang, exit_code=3, detail=short(e)) from None
            except ModelMissingError as e:
                raise AssistantError("model_missing", lang, exit_code=3, detail=short(e)) from None
            self._parts = parts
            self._retriever = Retriever(parts.store, self.settings.top_k, lexical=parts.lexical,
                                        lexical_en=parts.lexical_en)

    def drop(self) -> None:
        """Forget the opened index (it broke under us, or was rebuilt); the next
        question reopens it. The embedding model stays loaded, and so do the
        parts until the reopen replaces them: a question already past ``ensure``
        in another thread still reads its documents and BM25."""
        self._retriever = None
        # the renderings belong to the index: a rebuild elsewhere may have added some
        self._rendering_vecs = {}
        self._translations = {}

    def close(self) -> None:
        self.drop()
        self._parts = None
        self._embedder = None

    # -- what answering reads ---------------------------------------------
    @property
    def retriever(self) -> Retriever:
        return self._retriever

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    @property
    def store(self) -> ParagraphStore:
        return self._parts.store

    @property
    def documents(self) -> list[dict]:
        return list(self._parts.manifest.documents) if self._parts else []

    def lexical(self, lang: str) -> LexicalIndex | None:
        if self._parts is None:
            return None
        return self._parts.lexical_en if lang == "en" else self._parts.lexical

    def translations(self, target: str = "en") -> TranslationCache:
        """The renderings of the sources into ``target`` (English ones of Dutch
        text, Dutch ones of English text), read once per opened index."""
        if target not in self._translations:
            given = getattr(self._fixed, "translations" if target == "en" else "translations_nl", None)
            self._translations[target] = given or TranslationCache.open(self.settings.sources_dir, target)
        return self._translations[target]

    def neighbours(self, citation: Citation, around: int = 1) -> tuple[list[Passage], list[Passage]]:
        """The paragraphs around a cited one; for a footnote, the paragraphs that refer to it."""
        refs = referring(self.store, citation.id)
        if refs:
            return refs, []
        return neighbours(self.store, citation.doc_id, citation.number, around)

    def rendering_sentences(self, p: Passage):
        """(rendering, sentence spans, sentence vectors) of a paragraph's English
        rendering, embedded once per opened index: ~250 ms per question otherwise."""
        text = self.translations().get(p.text)
        if not text:
            return None
        cached = self._rendering_vecs.get(p.id)
        if cached is None or cached[0] != text:
            spans = split_sentences(text)
            cached = (text, spans, self._embedder.embed_passages([text[a:b] for a, b in spans]))
            self._rendering_vecs[p.id] = cached
        return cached


def short(e: Exception) -> str:
    """The first line of an error, for a message."""
    s = str(e).strip().splitlines()[0] if str(e).strip() else e.__class__.__name__
    return s[:200]
