"""The vector store: Chroma collections on disk (or on a ``chroma run``
server), written through llama-index and read through ``ParagraphStore``.
Nothing outside this module calls Chroma.

Opening is where a missing or damaged index shows up; both become errors that
name the command that fixes them.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from settings import Settings

log = logging.getLogger(__name__)
MANIFEST_VERSION = 1


class IndexMissingError(RuntimeError):
    """No index has been built in the data directory."""


class IndexCorruptError(RuntimeError):
    """The index is there but cannot be read."""


class IndexUnreachableError(IndexCorruptError):
    """The Chroma server (ASSISTANT_CHROMA_URL) does not answer."""

    def __init__(self, url: str, detail: str):
        super().__init__(f"the Chroma server at {url} does not answer ({detail}); start it "
                         "(chroma run --path FOLDER --host 127.0.0.1 --port PORT) or leave ASSISTANT_CHROMA_URL empty "
                         "for the embedded index")
        self.url, self.detail = url, detail


@dataclass
class Manifest:
    model: str
    dim: int
    paragraphs: int
    documents: list[dict]
    built_at: str
    version: int = MANIFEST_VERSION

    def write(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.__dict__, indent=2, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)  # atomic: a crash never leaves half a manifest

    @classmethod
    def read(cls, path: Path) -> "Manifest":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**data)
        except FileNotFoundError:
            raise IndexMissingError(f"no index in {path.parent}") from None
        except (ValueError, TypeError) as e:
            raise IndexCorruptError(f"{path} is damaged ({e})") from None


def _client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    if settings.chroma_url:
        from urllib.parse import urlparse

        u = urlparse(settings.chroma_url if "://" in settings.chroma_url else "http://" + settings.chroma_url)
        try:
            return chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or (443 if u.scheme == "https" else 8000),
                                       ssl=u.scheme == "https", settings=ChromaSettings(anonymized_telemetry=False))
        except Exception as e:  # the client checks the server when it is made
            raise IndexUnreachableError(settings.chroma_url, _first_line(e)) from None
    return chromadb.PersistentClient(
        path=str(settings.chroma_dir), settings=ChromaSettings(anonymized_telemetry=False))


def forget(settings: Settings) -> None:
    """Drop chromadb's in-process client for this store, so the next open reads
    the disk afresh. chromadb keeps one client per folder for the life of the
    process; after the folder was replaced or rebuilt by another process, that
    client still serves the old files (Linux keeps deleted files readable)."""
    if settings.chroma_url:
        return
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        systems = SharedSystemClient._identifier_to_system  # not public: guarded below
        for key, system in list(systems.items()):
            if getattr(system.settings, "persist_directory", None) == str(settings.chroma_dir):
                systems.pop(key, None)
                SharedSystemClient._identifier_to_refcount.pop(key, None)
    except Exception:  # another chromadb layout: reopening still works, just not afresh
        log.debug("cannot reset chromadb's client cache", exc_info=True)


def signature(settings: Settings) -> tuple | None:
    """What tells that the index on disk changed under a running process: the
    manifest (rewritten by every build) and the store folder (replaced by a
    fresh build or deleted). None when there is no manifest."""
    try:
        m = os.stat(settings.manifest_path)
    except FileNotFoundError:
        return None
    try:
        folder = None if settings.chroma_url else os.stat(settings.chroma_dir).st_ino
    except FileNotFoundError:
        folder = -1
    return m.st_ino, m.st_mtime_ns, m.st_size, folder


def _first_line(e: Exception) -> str:
    s = str(e).strip()
    return (s.splitlines()[0] if s else e.__class__.__name__)[:200]


def where(settings: Settings) -> str:
    """Where the vectors live, for messages."""
    return settings.chroma_url or str(settings.chroma_dir)


def english_collection(settings: Settings) -> str:
    return f"{settings.collection}_en"


def sentence_collection(settings: Settings) -> str:
    return settings.collection + "_sentences"


def rendered_collection(settings: Settings) -> str:
    """Sentences in the other language (their faithful rendering): what an asker of that language is near."""
    return settings.collection + "_sentences_rendered"


def open_collection(settings: Settings, create: bool = False, name: str | None = None):
    """A Chroma collection (the paragraphs unless ``name`` says otherwise);
    with ``create`` a fresh one is made if needed."""
    name = name or settings.collection
    if not create:
        Manifest.read(settings.manifest_path)  # raises when never built
        if not settings.chroma_url and not settings.chroma_dir.is_dir():
            raise IndexMissingError(f"no Chroma data in {settings.chroma_dir}")
    try:
        if not settings.chroma_url:
            settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        client = _client(settings)
        if create:
            # cosine space: scores are cosines, which the refusal threshold is calibrated on
            # search_ef well above the candidate pools (30–60): exact enough that
            # rankings do not change between processes
            return client.get_or_create_collection(name, metadata={"hnsw:space": "cosine", "hnsw:search_ef": 200})
        collection = client.get_collection(name)
        collection.count()
        return collection
    except (IndexMissingError, IndexCorruptError):
        raise
    except Exception as e:  # chromadb raises many kinds on a damaged store
        log.debug("cannot open Chroma collection", exc_info=True)
        if settings.chroma_url:
            if unreachable(e):
                raise IndexUnreachableError(settings.chroma_url, _first_line(e)) from None
            if not create and e.__class__.__name__ in ("NotFoundError", "InvalidCollectionException"):
                raise IndexMissingError(f"no collection {name!r} on the Chroma server at {settings.chroma_url}") from None
        raise IndexCorruptError(f"cannot read the Chroma index in {where(settings)}: {e}") from e


def unreachable(e: BaseException) -> bool:
    """A refused or timed-out connection, however deep chromadb wrapped it."""
    while e is not None:
        if isinstance(e, (ConnectionError, TimeoutError)) or e.__class__.__name__ in (
                "ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError"):
            return True
        if "Could not connect to a Chroma server" in str(e):
            return True
        e = e.__cause__ or e.__context__
    return False


def vector_store(collection):
    from llama_index.vector_stores.chroma import ChromaVectorStore

    return ChromaVectorStore(chroma_collection=collection)


# Chroma's SQLite backend binds one parameter per record a read matches, and
# SQLite refuses more than 32,766: an unpaged get() fails on any collection
# larger than that (still so in the pinned 1.5.9; chroma-core/chroma#7687). Pages stay far below.
PAGE = 5000
# Up to this many vectors a collection is searched exactly, in memory (1.5 MB per 1,000): its
# HNSW graph is rebuilt per process and its top 60 of 89 English renderings differed from
# the exact top 60 in some processes (two ids), which moved near-ties in the fused ranking
# from one run of the eval to the next. Above it, HNSW (15 MB at 10k; 150 MB at 100k)
EXACT_MAX = 20_000


def record_keys(collection, keys: tuple[str, ...]) -> dict[str, tuple]:
    """Every record's id and the values of metadata ``keys``, read a page at a time."""
    out: dict[str, tuple] = {}
    offset = 0
    while True:
        got = collection.get(include=["metadatas"], limit=PAGE, offset=offset)
        out.update((i, tuple((m or {}).get(k) for k in keys)) for i, m in zip(got["ids"], got["metadatas"]))
        if len(got["ids"]) < PAGE:
            return out
        offset += PAGE


def embed_keys(collection) -> dict[str, str | None]:
    """Every record's id and ``embed_key``, read a page at a time."""
    return {i: v[0] for i, v in record_keys(collection, ("embed_key",)).items()}


def delete_ids(collection, ids: list[str]) -> None:
    """Delete by id, a page at a time, for the same limit."""
    for i in range(0, len(ids), PAGE):
        collection.delete(ids=ids[i:i + PAGE])


def count(collection) -> int:
    return collection.count()


def vectors_of(collection, ids: list[str]) -> dict[str, list[float]]:
    """Stored vectors by id (ids not stored are left out)."""
    # once each: Chroma refuses a read that names an id twice, and a caller may (an item asked by its ordinal
    # is also one of its lead-in's headings: "… want the methodology first?" was reported as a damaged index)
    got = collection.get(ids=list(dict.fromkeys(ids)), include=["embeddings"])
    return dict(zip(got["ids"], got["embeddings"]))


def upsert(collection, ids: list[str], vectors, metadatas: list[dict], texts: list[str]) -> None:
    collection.upsert(ids=ids, embeddings=np.asarray(vectors).tolist(), metadatas=metadatas, documents=texts)


def cosine(distance: float) -> float:
    """Collections are made in cosine space: Chroma's distance is 1 − cosine.
    The one conversion from a store's distance to the scores the refusal
    thresholds are set on."""
    return 1.0 - distance


@dataclass(frozen=True)
class Record:
    """One stored unit as the store returns it: id, text, flat metadata and,
    where a query vector was given, its cosine with it."""

    id: str
    text: str
    meta: dict
    score: float = 0.0


class ParagraphStore:
    """The index's three Chroma collections behind one small interface: the
    paragraphs, their sentences and the English renderings (optional). What
    answering reads from the store goes through here; nothing else in
    ``assistant/`` calls Chroma."""

    def __init__(self, paragraphs, sentences=None, english=None, rendered=None):
        self.paragraphs, self.sentences, self.english, self.rendered = paragraphs, sentences, english, rendered
        self._exact: dict[str, tuple[list[str], np.ndarray] | None] = {}  # collection name → its vectors, once

    @classmethod
    def open(cls, settings: Settings) -> "ParagraphStore":
        """Raises IndexMissingError / IndexCorruptError / IndexUnreachableError.
        An index built before English renderings existed opens without them."""
        paragraphs = open_collection(settings)
        sentences = open_collection(settings, name=sentence_collection(settings))
        try:
            english = open_collection(settings, name=english_collection(settings))
        except IndexUnreachableError:
            raise
        except (IndexMissingError, IndexCorruptError) as e:
            log.warning("no English renderings in the index (%s); rebuild to add them", e)
            english = None
        try:
            rendered = open_collection(settings, name=rendered_collection(settings))
        except (IndexMissingError, IndexCorruptError):  # built before sentence renderings had vectors
            rendered = None
        return cls(paragraphs, sentences, english, rendered)

    def _vectors(self, collection) -> tuple[list[str], np.ndarray] | None:
        """All of a small collection's ids and unit vectors, read once per opened index;
        None for a collection above EXACT_MAX (searched through its HNSW index)."""
        name = collection.name
        if name in self._exact and self._exact[name] is None:
            return None  # large: its HNSW query fails on a stopped server or a damaged file
        # count() on every question: a stopped server or a damaged file still fails here, as it did in
        # the query this replaces (answering from memory would hide it), and a count that changed under
        # a running app reads the vectors again. About 1 ms below EXACT_MAX
        n = collection.count()
        held = self._exact.get(name)
        if held is None or len(held[0]) != n:
            held = None
            if n <= EXACT_MAX:
                rows = collection.get(include=["embeddings"])
                ids = list(rows["ids"])
                m = (np.asarray(rows["embeddings"], dtype=np.float32).reshape(len(ids), -1) if ids
                     else np.zeros((0, 1), np.float32))
                held = (ids, m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12))
            self._exact[name] = held
        return held

    def _exact_nearest(self, collection, vector, k: int) -> dict[str, float] | None:
        held = self._vectors(collection)
        if held is None:
            return None
        ids, m = held
        if not ids:  # an empty collection (a library of user documents without renderings)
            return {}
        v = np.asarray(vector, dtype=np.float32)
        scores = m @ (v / max(float(np.linalg.norm(v)), 1e-12))
        top = np.argsort(-scores, kind="stable")[:k]
        return {ids[j]: float(scores[j]) for j in top}

    def nearest(self, vector, k: int, where: dict | None = None) -> dict[str, float]:
        """Paragraph id → cosine of the ``k`` nearest ``vector``, best first: ids
        and distances only (the texts a caller already holds need not travel)."""
        if not where:
            exact = self._exact_nearest(self.paragraphs, vector, k)
            if exact is not None:
                return exact
        res = self.paragraphs.query(query_embeddings=[list(map(float, vector))], n_results=k, where=where or None,
                                    include=["distances"])
        return {i: cosine(d) for i, d in zip(res["ids"][0], res["distances"][0])}

    def search_english(self, vector, k: int) -> dict[str, float]:
        """Paragraph id → cosine of its English rendering, for the ``k`` nearest."""
        if self.english is None:
            return {}
        exact = self._exact_nearest(self.english, vector, k)
        if exact is not None:
            return exact
        # no count() per question: it costs ~25 ms at 100k records (it is read once, above),
        # and Chroma returns what there is when n_results is larger
        res = self.english.query(query_embeddings=[list(map(float, vector))], n_results=k, include=["distances"])
        return {i: cosine(d) for i, d in zip(res["ids"][0], res["distances"][0])}

    def get(self, ids: list[str], vector=None) -> dict[str, Record]:
        """Paragraphs by id; with ``vector``, each with its cosine to it (-1 when its vector is missing)."""
        if not ids:
            return {}
        include = ["documents", "metadatas"] + (["embeddings"] if vector is not None else [])
        got = self.paragraphs.get(ids=list(dict.fromkeys(ids)), include=include)  # Chroma refuses an id twice
        embeddings = got["embeddings"] if vector is not None else [None] * len(got["ids"])
        q = None if vector is None else np.asarray(vector, dtype=np.float32)
        return {i: Record(i, t, m or {}, -1.0 if e is None else float(np.dot(np.asarray(e, dtype=np.float32), q)))
                for i, t, m, e in zip(got["ids"], got["documents"], got["metadatas"], embeddings)}

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        return {i: np.asarray(v, dtype=np.float32) for i, v in vectors_of(self.paragraphs, ids).items()}

    def sentence_rows(self, ids: list[str] | None = None, para_ids: list[str] | None = None) -> list[tuple[dict, list]]:
        """(metadata, vector) of sentence records, by sentence id or by paragraph id."""
        if self.sentences is None:
            return []
        if para_ids is not None:
            got = self.sentences.get(where={"para_id": {"$in": list(para_ids)}}, include=["embeddings", "metadatas"])
        else:
            got = self.sentences.get(ids=list(dict.fromkeys(ids or [])), include=["embeddings", "metadatas"])
        return [({**m, "id": i}, e) for i, m, e in zip(got["ids"], got["metadatas"], got["embeddings"])]

    def rendered_rows(self, ids: list[str]) -> dict[str, tuple[str, np.ndarray]]:
        """Sentence id → (the rendering's language, its vector), for the sentences that have one."""
        if self.rendered is None or not ids:
            return {}
        got = self.rendered.get(ids=list(dict.fromkeys(ids)), include=["embeddings", "metadatas"])
        return {i: (m.get("lang", ""), np.asarray(e, dtype=np.float32))
                for i, m, e in zip(got["ids"], got["metadatas"], got["embeddings"])}

    def english_texts(self, ids: list[str]) -> dict[str, str]:
        """The English renderings stored for paragraphs (none without them)."""
        if self.english is None:
            return {}
        got = self.english.get(ids=list(dict.fromkeys(ids)), include=["documents"])
        return dict(zip(got["ids"], got["documents"] or []))

    def in_document(self, doc_id: str, numbers: list[int]) -> list[Record]:
        """Paragraphs of one document by their 1-based numbers."""
        got = self.paragraphs.get(where={"$and": [{"doc": doc_id}, {"number": {"$in": list(numbers)}}]},
                                  include=["documents", "metadatas"])
        return [Record(i, t, m or {}) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])]
