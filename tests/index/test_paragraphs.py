from pathlib import Path

from index.paragraphs import clean_inline, split_paragraphs
from index.sentences import leans_back, read_alone, split_sentences
from settings import Settings
from index.sources import load_document, load_sources

FRONT = """---
id: doc
title: Titel
publisher: P
date: 2024-01-01
language: nl
kind: brief
---

"""
BODY = """# Titel

Inleiding met een voetnoot[^1].

## Agenda

Voor de Raad staan geagendeerd:

- punt een
- punt twee

### Inhoud

Eerste alinea over **leermobiliteit**.

Tweede alinea met [een link](#).

### Leeg

## Voetnoten

[^1]: Kamerstuk 22 112, nr. 3857.
"""


def _doc(tmp_path: Path, body: str = BODY):
    p = tmp_path / "doc.md"
    p.write_text(FRONT + body, encoding="utf-8")
    return load_document(p)


def test_structure(tmp_path):
    doc = _doc(tmp_path)
    units = split_paragraphs(doc)
    # the header card comes first; one-word headings ("Agenda", "Inhoud") are no units of their own
    assert [p.kind for p in units if p.kind in ("header", "heading")] == ["header"]
    paras = [p for p in units if p.kind != "header"]
    by_id = {p.id: p for p in paras}
    assert list(by_id) == ["doc#p1", "doc#agenda/p1", "doc#agenda/inhoud/p1", "doc#agenda/inhoud/p2", "doc#fn1"]
    # a list stays with its lead-in
    lst = by_id["doc#agenda/p1"]
    assert lst.kind == "list" and lst.text == "Voor de Raad staan geagendeerd:\n- punt een\n- punt twee"
    # headings are never nodes, they are section paths
    assert all(not p.text.startswith("#") for p in paras)
    assert by_id["doc#agenda/inhoud/p1"].section == ("Agenda", "Inhoud")
    # markup removed
    assert by_id["doc#agenda/inhoud/p1"].text == "Eerste alinea over leermobiliteit."
    assert by_id["doc#agenda/inhoud/p2"].text == "Tweede alinea met een link."
    # footnote: its own node, linked both ways, read in the section of its anchor
    fn = by_id["doc#fn1"]
    assert fn.kind == "footnote" and fn.text == "Kamerstuk 22 112, nr. 3857."
    assert fn.anchors == ("doc#p1",) and by_id["doc#p1"].footnotes == ("doc#fn1",)
    assert by_id["doc#p1"].text == "Inleiding met een voetnoot."
    # offsets point into the source file
    for p in paras:
        raw = doc.text[p.start:p.end]
        assert clean_inline(raw.split(":", 1)[1] if p.kind == "footnote" else raw) == p.text
    assert [p.number for p in paras] == [1, 2, 3, 4, 5]
    # "Inhoud" names the background role of a parliamentary paper (index/roles/nl.json)
    assert by_id["doc#agenda/inhoud/p1"].role == "background" and by_id["doc#agenda/p1"].role == ""


def test_ids_stable_when_another_section_changes(tmp_path):
    before = {p.id: p for p in split_paragraphs(_doc(tmp_path))}
    edited = BODY.replace("Inleiding met een voetnoot[^1].", "Inleiding met een voetnoot[^1].\n\nNieuwe alinea.")
    edited = edited.replace("Tweede alinea met [een link](#).", "Tweede alinea, herschreven.")
    after = {p.id: p for p in split_paragraphs(_doc(tmp_path, edited))}
    assert after["doc#agenda/inhoud/p1"].content_hash == before["doc#agenda/inhoud/p1"].content_hash
    assert after["doc#agenda/p1"].content_hash == before["doc#agenda/p1"].content_hash
    # the changed paragraph keeps its id; its hash tells it changed
    assert after["doc#agenda/inhoud/p2"].content_hash != before["doc#agenda/inhoud/p2"].content_hash
    assert "doc#p2" in after


def test_real_corpus():
    for doc in load_sources(Settings.from_env({}).sources_dir):
        paras = split_paragraphs(doc)
        ids = [p.id for p in paras]
        assert len(ids) == len(set(ids))
        for p in paras:
            assert p.text and p.start < p.end
    letter = next(d for d in load_sources(Settings.from_env({}).sources_dir) if d.id == "kst-21501-34-418")
    paras = {p.id: p for p in split_paragraphs(letter)}
    fn7 = paras["kst-21501-34-418#fn7"]
    assert "toetsen" in fn7.text and fn7.anchors  # the exam-monitoring footnote is linked
    assert sum(p.kind == "footnote" for p in paras.values()) == 12
    target = [p for p in paras.values() if "23% en 12%" in p.text]
    assert len(target) == 1 and target[0].section[-1] == "Inhoud"
    # a footnote carries the sentence that cites it; its own text is a bare reference
    fn10 = paras["kst-21501-34-418#fn10"]
    assert fn10.text.startswith("Tweede Kamer") and fn10.cited_by.endswith("de overheidsbrede visie op generatieve AI")
    assert paras["kst-21501-34-418#fn1"].cited_by.startswith("Raadsaanbeveling Europa")  # no list bullet


def test_short_paragraphs_carry_their_neighbours():
    nemo = next(d for d in load_sources(Settings.from_env({}).sources_dir) if d.id == "nemo-ai-musea-2024")
    paras = {p.id: p for p in split_paragraphs(nemo)}
    contact = paras["nemo-ai-musea-2024#niet-voor-publicatie-contact/p1"]
    assert contact.text == "Voor al uw vragen kan u terecht bij" and "Rebecca Thonander" in contact.around
    assert all(not p.around for p in paras.values() if len(p.text) >= 120)


def test_sentences_respect_abbreviations():
    text = "Op 15 november jl. heeft de Commissie o.a. dit gedaan. Dit is zin twee! R.H. Dijkgraaf tekent.\n- punt"
    sents = [text[a:b] for a, b in split_sentences(text)]
    assert sents == ["Op 15 november jl. heeft de Commissie o.a. dit gedaan.", "Dit is zin twee!",
                     "R.H. Dijkgraaf tekent.", "- punt"]


def test_a_list_items_number_does_not_end_a_sentence_a_days_number_does():
    # "… planned for May 13. I will participate in it." had been one sentence of a rendering, so its
    # sentences were aligned one off with the Dutch ones ("I will participate" shown twice)
    text = "It is planned for May 13. I will take part.\n1. Een politieke visie. Tweede zin.\n- 2. Investeringen"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "It is planned for May 13.", "I will take part.", "1. Een politieke visie.", "Tweede zin.", "- 2. Investeringen"]
    assert len(split_sentences("Het is de 2. fase van het plan.")) == 1  # a lowercase word goes on


def test_headings_alike_in_their_first_40_characters_get_distinct_ids(tmp_path):
    long = "Financiële investeringen om AI in musea mogelijk te maken"
    path = tmp_path / "twee.md"
    path.write_text("---\nid: twee\ntitle: Twee\npublisher: X\ndate: 2024-01-01\nlanguage: nl\nkind: nota\n---\n\n"
                    f"# Twee\n\n## {long} in 2024\n\nEerste alinea.\n\n## {long} in 2025\n\nTweede alinea.\n",
                    encoding="utf-8")
    paras = [p for p in split_paragraphs(load_document(path)) if p.kind != "header"]
    assert [p.id for p in paras] == ["twee#financiele-investeringen-om-ai-in-musea/h",
                                     "twee#financiele-investeringen-om-ai-in-musea/p1",
                                     "twee#financiele-investeringen-om-ai-in-musea-2/h",
                                     "twee#financiele-investeringen-om-ai-in-musea-2/p1"]


def test_a_sentence_that_points_back_is_read_with_the_one_before():
    text = ("Lidstaten delen kennis om mobiliteitsstrategieën vorm te geven. Deze strategieën worden tegen eind "
            "2026 gecommuniceerd. Het kabinet vindt dit goed.")
    spans = split_sentences(text)
    assert leans_back("Deze strategieën …") and leans_back("This means that …") and not leans_back("Lidstaten delen")
    assert read_alone(text, spans, 1) == ("Lidstaten delen kennis om mobiliteitsstrategieën vorm te geven. "
                                          "Deze strategieën worden tegen eind 2026 gecommuniceerd.")
    assert read_alone(text, spans, 0) == text[spans[0][0]:spans[0][1]]  # nothing before it to lean on
    # an example ("Zo zullen bijvoorbeeld kunstenaars …") illustrates the claim before it, which is the reason asked
    assert leans_back("Zo zullen bijvoorbeeld kunstenaars AI anders gebruiken.") and not leans_back("Zonder AI …")
