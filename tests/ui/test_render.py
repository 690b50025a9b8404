"""The workspace's HTML: markup in documents and questions shows as text,
markers link to real citations only, the cited span is highlighted."""
import json

from assistant.types import Answer, Citation, Passage, SentenceSupport
from ui.render import LABELS_DIR, answer_html, chat_message, describe, link_markers, source_pane, trace_html

EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def _citation(n, text, spans=((0, 12),), **kw):
    return Citation(n=n, id=f"doc#p{n}", doc_id="doc", doc_title=kw.get("title", "Brief"), reference="Kamerstuk 1",
                    section="Onderwijs > Inhoud", text=text, file="doc.md", score=0.8, spans=spans, number=n + 4,
                    date="2024-04-22", publisher="OCW")


def _passage(number, text):
    return Passage(id=f"doc#p{number}", text=text, score=0.5, doc_id="doc", doc_title="Brief", reference="",
                   section="", file="doc.md", number=number)


ANSWER = Answer(
    question=f"Wat staat er? {EVIL}", text=f"Het is 12% [1]. Zie ook [2] en [7]. {EVIL}", lang="nl",
    citations=[_citation(1, f"Het is 12%. {EVIL} Rest."), _citation(2, "Tweede alinea.", title=f"Titel {EVIL}")],
    label="Door AI gegenereerd.", query="stand-alone vraag", backend="local", model="qwen", mode="generative",
    retrieved=[_passage(5, "x"), _passage(9, "y")], timings_ms={"retrieve": 12.5, "first_token": 900.0},
    sentences=[SentenceSupport(text=f"Weg {EVIL}", cited=(), lexical=0.1, semantic=0.5, supported=False,
                               note="removed")],
    raw=f"concept {EVIL}")


def _no_live_markup(html: str) -> None:
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_every_piece_of_text_is_escaped():
    for html in (chat_message(ANSWER, 3), answer_html(ANSWER),
                 source_pane(ANSWER, 3, 2, ([_passage(5, EVIL)], [_passage(7, EVIL)])), trace_html(ANSWER)):
        _no_live_markup(html)


def test_markers_link_to_their_citation_of_this_answer_only():
    html = link_markers("Twee [1]. Beide [1, 2]. Onbekend [7].", key=4, numbers={1, 2})
    assert html.count("href='#cite-4-1'") == 2 and html.count("href='#cite-4-2'") == 1
    assert "[7]" in html and "#cite-4-7" not in html


def test_pane_shows_the_selected_paragraph_highlighted_between_its_neighbours():
    html = source_pane(ANSWER, 3, 1, ([_passage(4, "Ervoor.")], [_passage(6, "Erna.")]))
    assert "data-n='1'" in html and "<mark>Het is 12%. </mark>" in html
    assert html.index("Ervoor.") < html.index("<mark>") < html.index("Erna.")
    assert "Kamerstuk 1" in html and "Onderwijs &gt; Inhoud" in html and "2024-04-22" in html and "OCW" in html
    assert "class='cite tab selected' href='#cite-3-1'" in html
    # another number selects that paragraph; an unknown one falls back to the first
    assert "data-n='2'" in source_pane(ANSWER, 3, 2) and "data-n='1'" in source_pane(ANSWER, 3, 99)


def test_trace_has_query_scores_writer_check_and_timings():
    html = trace_html(ANSWER)
    for part in ("stand-alone vraag", "<code>0.500</code>", "qwen", "local", "weggelaten (removed)",
                 "first_token 900", "concept &lt;script&gt;"):
        assert part in html


def test_interface_labels_exist_in_both_languages():
    nl, en = (json.loads((LABELS_DIR / f"{x}.json").read_text(encoding="utf-8")) for x in ("nl", "en"))
    assert nl.keys() == en.keys()
    assert nl["send"] != en["send"]


def test_a_footnote_is_shown_after_the_paragraph_that_refers_to_it():
    note = Citation(n=1, id="doc#fn7", doc_id="doc", doc_title="Brief", reference="", section="Inhoud > Voetnoot 7",
                    text="Kamerstuk 26 643, nr. 1125", file="doc.md", score=0.8, number=60)
    answer = Answer(question="Welke brief?", text="Zie de brief [1].", lang="nl", citations=[note], label="AI")
    html = source_pane(answer, 1, 1, ([_passage(25, "Zie de Kamerbrief.")], []))
    assert "Verwijst naar deze voetnoot · alinea 25" in html and "Voorafgaande alinea" not in html


def test_why_a_file_was_skipped_is_said_in_the_readers_language():
    from index.sources import Problem

    p = Problem("/x/kapot.pdf", "cannot be read as PDF (PdfStreamError: ...)", "unreadable_format",
                {"format": "PDF", "detail": "PdfStreamError"}, kept=True)
    assert describe(p, "nl") == ("niet leesbaar als PDF (PdfStreamError); is het bestand beschadigd?; "
                                 "de laatste leesbare versie blijft in de index")
    assert describe(p, "en").startswith("cannot be read as PDF (PdfStreamError); is the file damaged?")
    assert describe(Problem("a.md", "front matter lacks date"), "nl") == "front matter lacks date"


def test_a_translated_quote_is_shown_beside_its_highlighted_original():
    from dataclasses import replace

    c = replace(_citation(1, "Het is 12%. Rest.", spans=((0, 11),)), shown=(f"It is 12%. {EVIL}",), translated=True)
    a = replace(ANSWER, lang="en", citations=[c], text="“It is 12%.” [1] (translated from Dutch)")
    pane = source_pane(a, 1, 1)
    assert "machine-translated" in pane and "It is 12%." in pane and "<mark>Het is 12%.</mark>" in pane
    _no_live_markup(pane)
    plain = source_pane(replace(a, citations=[replace(c, translated=False)]), 1, 1)
    assert "machine-translated" not in plain
