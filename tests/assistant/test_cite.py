"""Citation verification on hand-made answers (no model: lexical support only)."""
from assistant.cite import is_refusal, split_answer, verify
from assistant.types import ContextPassage
from assistant.types import Passage


def _p(pid: str, text: str) -> Passage:
    return Passage(id=pid, text=text, score=0.9, doc_id="doc", doc_title="Titel", reference="", section="S", file="d.md")


MBO = _p("doc#mobiliteit/p1", "De EU-streefcijfers voor leermobiliteit in het hoger onderwijs en het middelbaar "
         "beroepsonderwijs zijn vastgesteld op respectievelijk 23% en 12%. Nederland steunt de aanbeveling.")
NEMO = _p("doc#nemo/p1", "NEMO roept op tot een Europese AI-strategie voor musea. Musea krijgen 40.000 euro subsidie.")
CONTEXT = [ContextPassage(1, MBO, ((0, len(MBO.text)),)), ContextPassage(2, NEMO, ((0, len(NEMO.text)),))]


def check(text, question="Welk streefcijfer geldt voor het mbo?"):
    return verify(text, CONTEXT, {}, None, {}, question=question)


def test_split_answer_keeps_markers_with_their_sentence():
    assert split_answer("Het cijfer is 12% [1]. NEMO wil een strategie. [2] Klaar [1, 2].") == [
        ("Het cijfer is 12%.", (1,)), ("NEMO wil een strategie.", (2,)), ("Klaar.", (1, 2))]


def test_supported_sentences_keep_their_citation_renumbered_in_order():
    v = check("Musea krijgen 40.000 euro subsidie [2]. Voor het middelbaar beroepsonderwijs is het streefcijfer 12% [1].")
    assert not v.refused and v.removed == 0
    assert v.text == ("Musea krijgen 40.000 euro subsidie [1]. "
                      "Voor het middelbaar beroepsonderwijs is het streefcijfer 12% [2].")
    assert [c.id for c in v.citations] == [NEMO.id, MBO.id]
    assert all(s.supported for s in v.sentences)
    # the cited span is the sentence that backs the claim, for highlighting
    a, b = v.citations[1].spans[0]
    assert "12%" in MBO.text[a:b]


def test_wrong_number_is_removed():
    v = check("Het streefcijfer voor het middelbaar beroepsonderwijs is 15% [1]. Musea krijgen 40.000 euro subsidie [2].")
    assert v.removed == 1
    assert "15%" not in v.text and "40.000" in v.text
    assert [s.supported for s in v.sentences] == [False, True]


def test_marker_pointing_nowhere_is_dropped_and_sentence_recited():
    v = check("Musea krijgen 40.000 euro subsidie [7].")
    assert v.text == "Musea krijgen 40.000 euro subsidie [1]."
    assert v.citations[0].id == NEMO.id
    assert "marker dropped" in v.sentences[0].note and "cited in code" in v.sentences[0].note


def test_wrong_marker_is_recited_to_the_paragraph_that_backs_it():
    v = check("NEMO roept op tot een Europese AI-strategie voor musea [1].")
    assert v.citations[0].id == NEMO.id and v.sentences[0].note == "re-cited"


def test_unsupported_answer_becomes_refusal():
    v = check("De minister wil alle musea sluiten wegens bezuinigingen [1].")
    assert v.refused and v.removed == 1 and v.citations == []


def test_echo_of_the_question_is_not_an_answer():
    v = check("Het streefcijfer geldt voor leermobiliteit in het mbo [1].",
              question="Welk streefcijfer geldt voor leermobiliteit in het mbo?")
    assert v.refused and v.sentences[0].note == "repeats the question"


def test_model_refusal_is_recognised_in_both_languages():
    assert is_refusal("Dit staat niet in de bronnen.")
    assert is_refusal("This is not in the sources. [1]")
    assert is_refusal("Het staat niet in de bronnen.")  # small models vary the wording
    assert is_refusal("")
    assert not is_refusal("Het streefcijfer is 12% [1].")
    assert check("This is not in the sources.").refused


def test_a_link_the_paragraph_does_not_hold_is_unsupported():
    """Otherwise well-supported words do not carry an address the source never gave."""
    v = check("De EU-streefcijfers voor leermobiliteit in het middelbaar beroepsonderwijs zijn vastgesteld op 12%, "
              "zie https://evil.example.com/mbo [1]. Musea krijgen 40.000 euro subsidie [2].")
    assert v.removed == 1 and "evil" not in v.text and [c.id for c in v.citations] == [NEMO.id]
    ok = check("Musea krijgen 40.000 euro subsidie [2].")
    assert ok.removed == 0
