"""(Re)build the index: load → paragraphs → nodes → embed → store.

Idempotent: paragraphs are upserted by their citation id, a paragraph whose
embedded text and model are unchanged is not embedded again, and paragraphs
that no longer exist are deleted. Two runs leave the same nodes.
"""
from __future__ import annotations

import logging
import os
import time
from dataclasses import replace
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
from tqdm import tqdm

from .embedding import load_build_embedder
from .nodes import context, embed_text, to_node
from .paragraphs import Paragraph, content_hash, split_paragraphs
from .lexical import LexicalIndex
from .faithful import rendered
from .sentences import read_alone, split_sentences
from settings import Settings
from .library import Scan, scan
from .sources import Document, Problem
from .store import (Manifest, count, delete_ids, embed_keys, english_collection, open_collection, record_keys,
                    rendered_collection, sentence_collection, upsert, vector_store, vectors_of)
from .translate import TranslationCache, english_text, translate_missing, wanted

log = logging.getLogger(__name__)
# texts per embedding call: sentence-transformers sorts each call's texts by
# length before batching, so large calls pad less (measured: 1.3x faster on
# 2 cores than calls of 16-32); the store is written per call
EMBED_CHUNK = 512


@dataclass
class BuildReport:
    documents: int
    paragraphs: int
    embedded: int
    deleted: int
    seconds: float
    sentences: int = 0
    sentences_embedded: int = 0  # of those, embedded now (the rest kept their vectors)
    english: int = 0  # paragraphs with an English rendering
    untranslated: int = 0  # texts still without one
    skipped: list = field(default_factory=list)  # Problems: unreadable files, left out or kept as they were


def corpus(settings: Settings, scanned: Scan | None = None) -> list[tuple[Document, Paragraph]]:
    """(document, paragraph) for every paragraph the index should hold."""
    scanned = scanned or scan(settings)
    out = []
    for d in scanned.documents:
        try:
            out += [(d, p) for p in split_paragraphs(d)]
        except ValueError as e:  # e.g. a footnote label used twice
            scanned.skipped.append(Problem(str(d.path), str(e)))
    return out


# paragraph metadata the lexical index keeps, to filter without asking Chroma (and the
# section role, to find a block asked for by name without reading every paragraph)
LEXICAL_META = ("doc", "language", "publisher", "date", "doc_kind", "file", "role")


def build(settings: Settings, progress: bool = True, translator=None, embedder=None) -> BuildReport:
    """``translator``: renders text the translation cache lacks (index.translate);
    None uses the cache alone. ``embedder``: a model already loaded in this
    process (the app's), used as it is; by default one is loaded for the build."""
    t0 = time.perf_counter()
    scanned = scan(settings)
    items = corpus(settings, scanned)
    docs = {d.id: d for d, _ in items}
    # the conversion check reads real corpus text, as MODELS.md asks
    # batch embedding uses every core (queries stay on settings.threads); torch's
    # thread count is per process, so a running app passes its own model instead
    embedder = embedder or load_build_embedder(replace(settings, threads=os.cpu_count() or 1),
                                               verify_texts=[p.text for _, p in items[:60]])
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    collection = open_collection(settings, create=True)
    store = vector_store(collection)

    nodes = [to_node(p, d, embedder.name) for d, p in items]
    # one paged read for both keys: a second full read costs seconds at 100k paragraphs
    keys = record_keys(collection, ("embed_key", "meta_key"))
    have = {i: v[0] for i, v in keys.items()}
    wanted = {n.node_id for n in nodes}
    todo = [(n, embed_text(p, d)) for n, (d, p) in zip(nodes, items) if have.get(n.node_id) != n.metadata["embed_key"]]
    stale = [i for i in have if i not in wanted]
    # replace changed nodes by id (delete + add = upsert) and drop vanished ones
    drop = stale + [n.node_id for n, _ in todo if n.node_id in have]
    delete_ids(collection, drop)
    dropped = set(drop)
    _refresh_metadata(collection, store, [n for n in nodes if n.node_id in have and n.node_id not in dropped
                                          and keys[n.node_id][1] != n.metadata["meta_key"]])
    fresh = _embed_paragraphs(todo, embedder, store, progress)
    sentences, sentences_embedded = _index_sentences(settings, embedder, items, progress, fresh)
    english = _index_english(settings, embedder, items, nodes, translator, progress)
    _render_dutch(settings, items, translator, progress)
    _index_rendered_sentences(settings, embedder, items, progress)
    # BM25 is rebuilt whole: it costs milliseconds per thousand paragraphs
    LexicalIndex.build(
        [n.node_id for n in nodes], [embed_text(p, d) for d, p in items],
        [{k: n.metadata[k] for k in LEXICAL_META} for n in nodes],
    ).save(settings.data_dir)

    Manifest(
        model=embedder.name, dim=embedder.dim, paragraphs=count(collection),
        documents=[{"id": d.id, "title": d.title, "file": d.file_name, "reference": d.reference,
                    "language": d.language, "date": d.date, "path": str(d.path)} for d in docs.values()],
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    ).write(settings.manifest_path)
    return BuildReport(len(docs), len(nodes), len(todo), len(stale), time.perf_counter() - t0, sentences,
                       sentences_embedded, english["paragraphs"], english["missing"], scanned.skipped)


def _embed_paragraphs(todo, embedder, store, progress: bool) -> dict[str, np.ndarray]:
    """Embed and store the (node, text) pairs; return each text's vector: a
    one-sentence paragraph's sentence row reads exactly its paragraph's text,
    so the sentences reuse these (19 % of the sentence text on the corpus)."""
    fresh: dict[str, np.ndarray] = {}
    bar = tqdm(total=len(todo), desc="embedding paragraphs", unit="par", disable=not progress)
    for i in range(0, len(todo), EMBED_CHUNK):
        batch = todo[i:i + EMBED_CHUNK]
        vectors = embedder.embed_passages([t for _, t in batch])
        for (node, text), vec in zip(batch, vectors):
            node.embedding = vec.tolist()
            fresh[text] = vec
        store.add([n for n, _ in batch])
        bar.update(len(batch))
    bar.close()
    return fresh


def _refresh_metadata(collection, store, stale) -> int:
    """Kept vectors whose metadata changed (numbers and offsets shift when a
    paragraph above is edited or a heading becomes a unit) are written again
    with their stored vectors: llama-index reads a node's metadata from the
    node it stored, so the record is replaced whole, without embedding."""
    for i in range(0, len(stale), EMBED_CHUNK):
        batch = stale[i:i + EMBED_CHUNK]
        vectors = vectors_of(collection, [n.node_id for n in batch])
        for n in batch:
            n.embedding = [float(x) for x in vectors[n.node_id]]
        delete_ids(collection, [n.node_id for n in batch])
        store.add(batch)
    return len(stale)


def _sync_vectors(collection, rows, embedder, progress: bool, desc: str,
                  known: dict[str, np.ndarray] | None = None) -> int:
    """Make ``collection`` hold exactly ``rows`` (id, text, metadata with
    embed_key): embed only new or changed text (unless ``known`` has the same
    text's vector from this model), delete the rest. Returns how many rows
    got a new vector."""
    have = embed_keys(collection)
    wanted = {r[0] for r in rows}
    delete_ids(collection, [i for i in have if i not in wanted])
    todo = [r for r in rows if have.get(r[0]) != r[2]["embed_key"]]
    known = known or {}
    bar = tqdm(total=len(todo), desc=desc, unit="text", disable=not progress)
    for i in range(0, len(todo), EMBED_CHUNK):
        batch = todo[i:i + EMBED_CHUNK]
        texts = [t for _, t, _ in batch]
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        vectors = dict(zip(missing, embedder.embed_passages(missing))) if missing else {}
        upsert(collection, [r[0] for r in batch], np.array([vectors.get(t, known.get(t)) for t in texts]),
               [r[2] for r in batch], texts)
        bar.update(len(batch))
    bar.close()
    return len(todo)


def _key(model: str, text: str) -> str:
    return content_hash(f"{model}\n{text}")


def _index_sentences(settings: Settings, embedder, items, progress: bool,
                     known: dict[str, np.ndarray]) -> tuple[int, int]:
    """One vector per sentence, in a collection beside the paragraphs: the
    extractive answer quotes the sentences closest to the question, and a
    sentence read with its section path (and, when it points back, the
    sentence before it) is often closer than its paragraph."""
    collection = open_collection(settings, create=True, name=sentence_collection(settings))
    rows = []
    for d, p in items:
        head = context(p, d)
        spans = split_sentences(p.text)
        for k, (a, b) in enumerate(spans):
            text = head + read_alone(p.text, spans, k)
            rows.append((f"{p.id}~s{k + 1}", text, {"para_id": p.id, "doc": d.id, "start": a, "end": b,
                                                    "embed_key": _key(embedder.name, text)}))
    return len(rows), _sync_vectors(collection, rows, embedder, progress, "embedding sentences", known)


def _index_rendered_sentences(settings: Settings, embedder, items, progress: bool) -> int:
    """A vector for each sentence's faithful rendering in the other language (as the quotes show
    it): an English question is nearer the English words than the Dutch ones, so the quotes
    score it on both. Sentences without a faithful rendering get none (their own vector stands)."""
    caches = {target: TranslationCache.open(settings.sources_dir, target) for target in ("en", "nl")}
    rows = []
    for d, p in items:
        target = {"nl": "en", "en": "nl"}.get(d.language)  # the other language
        cache = caches.get(target) if target else None
        rendering = cache.get(p.text) if cache is not None else None
        for k, span in enumerate(split_sentences(p.text)):
            alone = cache.get(p.text[span[0]:span[1]]) if cache is not None else None
            shown = rendered(p.text, span, rendering, d.language, alone)
            if shown:
                rows.append((f"{p.id}~s{k + 1}", shown, {"para_id": p.id, "lang": target,
                                                          "embed_key": _key(embedder.name, shown)}))
    collection = open_collection(settings, create=True, name=rendered_collection(settings))
    return _sync_vectors(collection, rows, embedder, progress, "embedding sentence renderings")


def _render_dutch(settings: Settings, items, translator, progress: bool) -> None:
    """Dutch renderings of English sources: Dutch askers get their quotes in
    Dutch, labelled (no index of their own: the multilingual vectors already
    match Dutch questions to English text). Only a translating build makes them."""
    if translator is None or not any(d.language == "en" for d, _ in items):
        return
    cache = TranslationCache.open(settings.sources_dir, "nl")
    translate_missing(items, cache, translator.into("nl"), progress)
    cache.prune(wanted(items, cache))


def _index_english(settings: Settings, embedder, items, nodes, translator, progress: bool) -> dict:
    """English renderings: vectors in ``<collection>_en`` and an English BM25.
    Paragraphs without a rendering (no model, not cached) are left out."""
    cache = TranslationCache.open(settings.sources_dir)
    report = translate_missing(items, cache, translator, progress)
    rows, meta = [], []
    for (d, p), n in zip(items, nodes):
        text = english_text(d, p, cache)
        if text:
            rows.append((p.id, text, {"doc": d.id, "embed_key": _key(embedder.name, text)}))
            meta.append({k: n.metadata[k] for k in LEXICAL_META})
    _sync_vectors(open_collection(settings, create=True, name=english_collection(settings)), rows, embedder,
                  progress, "embedding English renderings")
    LexicalIndex.build([r[0] for r in rows], [r[1] for r in rows], meta, language="en").save(settings.data_dir)
    if translator is not None:  # only a translating build knows the cache is complete
        cache.prune(wanted(items, cache))
    report["paragraphs"] = len(rows)
    return report
