"""The answer's confidence: signals on hand-made answers, the shipped calibration,
and on the real index an answer and a refusal that carry one to every client."""
from __future__ import annotations

import json

import pytest

from assistant import confidence
from assistant.types import Answer, Citation, Passage, SentenceHit


def _p(pid: str, score: float, rendered: float = 0.0) -> Passage:
    return Passage(id=pid, text="Eerste zin hier. Tweede zin daar.", score=score, doc_id="d", doc_title="Doc",
                   reference="", section="", file="d.md", rendered=rendered)


def _answer(lang="nl", refused=False, cited=("a",)) -> Answer:
    ps = [_p("a", 0.86), _p("b", 0.84), _p("c", 0.80)]
    cits = [Citation.of(next(p for p in ps if p.id == pid), n + 1, spans=((0, 16),)) for n, pid in enumerate(cited)]
    return Answer(question="?", text="…", lang=lang, citations=cits, refused=refused, retrieved=ps)


HITS = [SentenceHit("a", 0, 16, 0.88), SentenceHit("a", 17, 33, 0.91), SentenceHit("b", 0, 16, 0.95)]


def test_signals_read_what_the_answer_quotes_and_what_search_found():
    s = confidence.signals(_answer(), HITS, threshold=0.83, uncovered=1)
    assert s["margin"] == pytest.approx(0.03) and s["distance"] == pytest.approx(0.03)
    assert s["gap"] == pytest.approx(0.02)
    assert s["support"] == pytest.approx(0.88)  # the quoted sentence of "a", not its other one nor "b"'s
    assert (s["cited"], s["sentences"], s["english"], s["uncovered"]) == (1.0, 1.0, 0.0, 1.0)
    below = confidence.signals(_answer(lang="en"), HITS, threshold=0.9)
    assert below["margin"] == pytest.approx(-0.04) and below["distance"] == pytest.approx(0.04)
    assert below["english"] == 1.0
    assert set(s) == set(confidence.SIGNALS)
    a = _answer()
    a.question, a.text = "Welk streefcijfer geldt voor het mbo?", "Het streefcijfer voor het mbo is 12% [1]."
    # the question's stems welk, stree, geldt, voor ("mbo" and "het" are too short): two held
    assert confidence.signals(a, HITS, 0.83)["overlap"] == pytest.approx(0.5)


def test_the_probability_follows_the_weights_and_the_levels_their_cuts():
    model = {"bias": 0.0, "weights": {"margin": 2.0}, "mean": {"margin": 0.0}, "scale": {"margin": 0.1}}
    assert confidence.probability(model, {"margin": 0.0}) == pytest.approx(0.5)
    assert confidence.probability(model, {"margin": 0.1}) > confidence.probability(model, {"margin": 0.05}) > 0.5
    assert 0.0 < confidence.probability(model, {"margin": -100.0}) < 1e-9  # clipped, no overflow
    cuts = {"high": 0.8, "medium": 0.5}
    assert [confidence.level(v, cuts) for v in (0.9, 0.8, 0.6, 0.49)] == ["high", "high", "medium", "low"]


def test_without_a_calibration_an_answer_carries_signals_but_no_made_up_figure(tmp_path):
    c = confidence.assess(_answer(), HITS, 0.83, model_file=tmp_path / "none.json")
    assert c.value is None and c.level == "" and c.signals["cited"] == 1.0
    assert confidence.note(_answer()) == ""


def test_the_shipped_calibration_reads_known_signals_and_says_it_in_both_languages():
    model = json.loads(confidence.MODEL_FILE.read_text(encoding="utf-8"))
    for kind in ("answer", "refusal"):
        assert model[kind]["weights"] and set(model[kind]["weights"]) <= set(confidence.SIGNALS)
        assert all(model[kind]["scale"][k] > 0 for k in model[kind]["weights"])
    a = _answer()
    c = confidence.assess(a, HITS, 0.83)
    assert 0.0 < c.value < 1.0 and c.level in ("high", "medium", "low")
    a.confidence, a.confidence_level = 0.87, "high"
    assert confidence.note(a) == "Betrouwbaarheid: hoog (87%), de gemeten kans dat dit antwoord klopt"
    en = _answer(lang="en", refused=True, cited=())
    en.confidence, en.confidence_level = 0.42, "low"
    assert confidence.note(en) == "Confidence: low (42%), the measured chance that this refusal is right"


@pytest.mark.model
def test_real_answers_and_refusals_carry_their_confidence_to_every_client(assistant_):
    from api import _extra
    from ui.render import answer_html

    a = assistant_.ask("Welk streefcijfer geldt voor leermobiliteit in het mbo?", mode="extractive")
    r = assistant_.ask("Who won the football world cup?", mode="extractive")  # the threshold refuses it
    assert not a.refused and r.refused
    for ans in (a, r):
        assert 0.0 < ans.confidence < 1.0 and ans.confidence_level in ("high", "medium", "low")
        assert set(ans.signals) == set(confidence.SIGNALS)
        assert _extra(ans)["confidence"] == ans.confidence  # /v1
        assert confidence.note(ans) in answer_html(ans)  # the Gradio API's /ask and the workspace
        assert ans.to_dict()["confidence"] == ans.confidence  # the CLI's --json
    assert "Betrouwbaarheid" in answer_html(a) and "refusal is right" in answer_html(r)
    # a clear answer from one paragraph well above the threshold: surer than the average dev answer
    assert a.confidence > json.loads(confidence.MODEL_FILE.read_text())["answer"]["right"] / \
        json.loads(confidence.MODEL_FILE.read_text())["answer"]["n"]
