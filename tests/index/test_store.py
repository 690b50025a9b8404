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
