"""Reading and deleting a whole collection, on a real Chroma store on disk."""
from __future__ import annotations

import chromadb
import numpy as np
import pytest

from index import store


def _collection(path, n: int):
    col = chromadb.PersistentClient(path=str(path)).get_or_create_collection("paragraphs", embedding_function=None)
    rng = np.random.default_rng(0)
    for i in range(0, n, 5000):
        ids = [f"p{j}" for j in range(i, min(n, i + 5000))]
        col.add(ids=ids, embeddings=rng.random((len(ids), 4)).tolist(),
                metadatas=[{"embed_key": f"k{j}"} for j in range(i, i + len(ids))])
    return col


@pytest.mark.parametrize("n", [0, 2, 6, 7, 9])
def test_pages_meet_exactly(tmp_path, monkeypatch, n):
    # page boundaries: nothing, one short page (2), whole pages then an empty read (6, 9), whole pages and a rest (7)
    monkeypatch.setattr(store, "PAGE", 3)
    col = _collection(tmp_path, n)
    assert store.embed_keys(col) == {f"p{j}": f"k{j}" for j in range(n)}
    store.delete_ids(col, [f"p{j}" for j in range(0, n, 2)])
    assert sorted(store.embed_keys(col)) == sorted(f"p{j}" for j in range(1, n, 2))


@pytest.mark.large
def test_collection_past_sqlite_variable_limit(tmp_path):
    # Chroma 1.5.9 binds one SQL variable per record an unpaged get() matches;
    # SQLite stops at 32,766, which a 100k-paragraph build reached on resume
    n = 33_000
    col = _collection(tmp_path, n)
    with pytest.raises(Exception, match="too many SQL variables"):
        col.get(include=["metadatas"])  # the limit is real here, so the pages matter
    keys = store.embed_keys(col)
    assert len(keys) == n and keys["p32999"] == "k32999"
    store.delete_ids(col, [f"p{j}" for j in range(n - 1)])
    assert store.embed_keys(col) == {"p32999": "k32999"}


def _cosine_space(path, name: str, vectors: np.ndarray):
    col = chromadb.PersistentClient(path=str(path)).get_or_create_collection(
        name, embedding_function=None, metadata={"hnsw:space": "cosine"})
    col.add(ids=[f"p{j}" for j in range(len(vectors))], embeddings=vectors.tolist())
    return col


def test_a_small_collection_is_searched_exactly_and_a_large_one_through_hnsw(tmp_path, monkeypatch):
    # HNSW's top k of a small collection differed from the exact top k in some processes
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(89, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    st = store.ParagraphStore(_cosine_space(tmp_path, "paragraphs", vectors),
                              english=_cosine_space(tmp_path, "paragraphs_en", vectors[::-1].copy()))
    q = rng.normal(size=16).astype(np.float32)
    exact = np.argsort(-(vectors @ (q / np.linalg.norm(q))))[:60]
    got = st.nearest(q, 60)
    assert list(got) == [f"p{j}" for j in exact]
    assert abs(got[f"p{exact[0]}"] - float(vectors[exact[0]] @ q / np.linalg.norm(q))) < 1e-5
    assert list(st.search_english(q, 60)) == [f"p{88 - j}" for j in exact]
    # above the limit, Chroma answers (its ids are the same here; what matters is that no matrix is held)
    monkeypatch.setattr(store, "EXACT_MAX", 10)
    big = store.ParagraphStore(st.paragraphs)
    assert set(big.nearest(q, 5)) <= {f"p{j}" for j in range(89)} and big._exact == {"paragraphs": None}


def test_an_empty_collection_is_searched_without_error(tmp_path):
    col = chromadb.PersistentClient(path=str(tmp_path)).get_or_create_collection(
        "paragraphs_en", embedding_function=None, metadata={"hnsw:space": "cosine"})
    st = store.ParagraphStore(col, english=col)
    assert st.search_english(np.ones(4, np.float32), 60) == {} and st.nearest(np.ones(4, np.float32), 5) == {}


def test_an_id_named_twice_is_read_once(tmp_path):
    # Chroma refuses a get that names an id twice; an item asked by its ordinal is also its lead-in's heading
    col = _collection(tmp_path, 3)
    st = store.ParagraphStore(col, english=col)
    assert set(st.vectors(["p1", "p1", "p2"])) == {"p1", "p2"}
    assert set(st.get(["p0", "p0"])) == {"p0"}
    assert set(st.english_texts(["p2", "p2"])) <= {"p2"}
