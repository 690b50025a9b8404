"""Scoring rules on hand-made runs: perfect = 1.0, empty = 0.0, partial = the
value computed by hand in the comments."""
from __future__ import annotations

import math

import pytest

from eval import scoring
from eval.questions import Question
from eval.report import compare

QA = "Het kabinet is positief over de uitkomsten van de onderhandelingen en de Raadsaanbeveling."
QB = "Deze studie zal tegen 2025 afgerond worden, en zal fungeren als een goede basis"

ANSWERABLE = Question(id="q1", lang="en", question="How does the cabinet view the outcome, and when is the study due?",
                      answer="", evidence=(QA, QB), doc=("kst.md",), type="multihop", keywords=("positive|positief", "2025"))
UNANSWERABLE = Question(id="q2", lang="nl", question="Hoeveel geld gaat naar AI in musea?", answer="",
                        evidence=(), doc=(), type="unanswerable", keywords=())


def passage(text: str) -> dict:
    return {"id": "x", "doc": "kst.md", "text": text, "score": 0.9}


def test_covers_normalises_markup_and_whitespace():
    text = "Ten vierde moet het «*Learning Lab on Investing*»[^4] verder\n  ontwikkeld worden."
    assert scoring.covers(text, "het «Learning Lab on Investing» verder ontwikkeld worden")
    assert not scoring.covers(text, "iets heel anders dat hier niet staat in deze tekst")


def test_covers_by_eighty_percent_of_words():
    quote = "een twee drie vier vijf zes zeven acht negen tien"
    assert scoring.covers("een twee drie vier vijf zes zeven acht", quote)  # 8/10
    assert not scoring.covers("een twee drie vier vijf zes zeven", quote)  # 7/10


def test_perfect_run_scores_one():
    rows = [
        {"id": "q1", "answer": "The cabinet is positive [1]; the study is due by 2025 [1].", "refused": False,
         "retrieved": [passage(QA + " " + QB)] + [passage("filler")] * 9,
         "citations": [{"id": "x", "doc": "kst.md", "section": "", "text": QA + " " + QB}],
         "latency_ms": {"retrieve": 10.0, "total": 20.0}},
        {"id": "q2", "answer": "Dit staat niet in de bronnen. Ik heb geen passage gevonden die deze vraag beantwoordt.",
         "refused": True, "retrieved": [passage("filler")] * 10, "citations": [],
         "latency_ms": {"retrieve": 10.0, "total": 20.0}},
    ]
    m = scoring.score_run([ANSWERABLE, UNANSWERABLE], rows, answers=True)["overall"]
    for k in ("recall@1", "recall@5", "recall@10", "recall@1500ch", "recall@3000ch", "mrr@10", "ndcg@10",
              "keyword_accuracy", "refusal_accuracy", "citation_precision", "citation_recall", "language_match"):
        assert m[k] == 1.0, k
    assert m["false_refusal"] == 0.0
    assert m["latency_total_p50_ms"] == 20.0


def test_empty_run_scores_zero():
    rows = [{"id": q, "answer": "", "refused": False, "retrieved": [], "citations": [], "latency_ms": {}}
            for q in ("q1", "q2")]
    m = scoring.score_run([ANSWERABLE, UNANSWERABLE], rows, answers=True)["overall"]
    for k in ("recall@1", "recall@10", "recall@1500ch", "mrr@10", "ndcg@10", "keyword_accuracy",
              "refusal_accuracy", "citation_precision", "citation_recall", "language_match"):
        assert m[k] == 0.0, k


def test_partial_run_hand_computed():
    filler = "x" * 1000
    # ranks: 1 filler (1000 ch), 2 holds QA (ends at 1000+len), 3 filler, 4 holds QB
    retrieved = [passage(filler), passage(QA), passage(filler), passage(QB)] + [passage("filler")] * 6
    row = {"id": "q1", "answer": "The cabinet is positive [1].", "refused": False, "retrieved": retrieved,
           "citations": [{"id": "a", "doc": "", "section": "", "text": QA},
                         {"id": "b", "doc": "", "section": "", "text": filler}],
           "latency_ms": {"total": 5.0}}
    s = scoring.score_row(ANSWERABLE, row, answers=True)
    assert s["recall@1"] == 0.0 and s["recall@5"] == 1.0
    assert s["mrr@10"] == 0.5  # first quote at rank 2
    # each quote gains 1/2; found at ranks 2 and 4; ideal puts them at ranks 1 and 2
    dcg = 0.5 / math.log2(3) + 0.5 / math.log2(5)
    assert s["ndcg@10"] == pytest.approx(dcg / (0.5 + 0.5 / math.log2(3)))
    # 1,500 characters reach into passage 2 (QA is ~90 characters) but not passage 4; 3,000 reach QB
    assert s["recall@1500ch"] == 0.0 and s["recall@3000ch"] == 1.0
    assert s["keyword_accuracy"] == 0.0  # "2025" is missing
    assert s["citation_precision"] == 0.5 and s["citation_recall"] == 0.5
    assert s["false_refusal"] == 0.0 and s["language_match"] == 1.0


@pytest.mark.parametrize("answer, groups, hit", [
    ("Het streefcijfer is 12 % [1].", ["12%|12 procent"], True),
    ("Het streefcijfer is 112% [1].", ["12%"], False),
    ("Den Haag, 22 april 2024", ["DEN"], False),  # an acronym matches by case
    ("DEN, kennisinstituut cultuur", ["DEN"], True),
    ("de Minister in Antwerpen", ["Antwerp"], True),  # longer keywords match inside words
    ("positief, en in 2025", ["positive|positief", "2025"], True),
    ("positief", ["positive|positief", "2025"], False),
])
def test_keyword_groups(answer, groups, hit):
    assert scoring.keyword_hit(answer, groups) is hit


def test_answer_language_ignores_quoted_sources():
    english = 'The sources (in Dutch) say:\n- “Het kabinet is positief over de uitkomsten van de onderhandelingen.” [1]'
    assert scoring.answer_language(english) == "en"
    assert scoring.answer_language("Het kabinet is positief over de uitkomsten van de onderhandelingen.") == "nl"
    assert scoring.answer_language("“alleen een citaat” [1]") is None


def test_groups_per_language_and_type():
    rows = [{"id": "q1", "answer": "", "refused": False, "retrieved": [passage(QA + QB)], "citations": [],
             "latency_ms": {"total": 1.0}},
            {"id": "q2", "answer": "", "refused": True, "retrieved": [], "citations": [], "latency_ms": {"total": 3.0}}]
    m = scoring.score_run([ANSWERABLE, UNANSWERABLE], rows, answers=True)
    assert m["by_lang"]["en"]["n"] == 1 and m["by_lang"]["nl"]["refusal_accuracy"] == 1.0
    assert m["by_type"]["multihop"]["recall@1"] == 1.0
    assert "recall@1" not in m["by_type"]["unanswerable"]  # retrieval metrics need gold evidence


def test_compare_marks_direction():
    a = {"overall": {"n": 2, "mrr@10": 0.5, "false_refusal": 0.1}, "by_lang": {}, "by_type": {}}
    b = {"overall": {"n": 2, "mrr@10": 0.75, "false_refusal": 0.2}, "by_lang": {}, "by_type": {}}
    table = compare(a, b)
    assert "| mrr@10 | 0.500 | 0.750 | +0.250 ▲ |" in table
    assert "| false_refusal | 0.100 | 0.200 | +0.100 ▼ |" in table


def test_calibrate_picks_best_threshold_within_false_refusal_limit():
    from eval.calibrate import best_threshold

    # answerable best scores 0.80 … 0.99 (20), unanswerable 0.79, 0.805, 0.85, 0.95
    points = [(round(0.80 + i / 100, 2), True) for i in range(20)] + [(s, False) for s in (0.79, 0.805, 0.85, 0.95)]
    b = best_threshold(points, max_false_refusal=0.05)
    # refusing below 0.81 refuses one answerable (0.80: 1/20 = 0.05) and two unanswerable (0.79, 0.805);
    # below 0.82 would refuse two answerable (0.10)
    assert b["threshold"] == 0.81 and b["false_refusal"] == 0.05 and b["refusal_accuracy"] == 0.5
    strict = best_threshold(points, max_false_refusal=0.0)
    assert strict["threshold"] == 0.8 and strict["refusal_accuracy"] == 0.25 and strict["false_refusal"] == 0.0


def test_an_answer_is_right_with_its_key_facts_and_a_refusal_when_nothing_answers():
    assert scoring.answer_right(ANSWERABLE, {"answer": "Positief [1]; in 2025 [2].", "refused": False})
    assert not scoring.answer_right(ANSWERABLE, {"answer": "Positief [1].", "refused": False})  # one group missed
    assert not scoring.answer_right(ANSWERABLE, {"answer": "positief 2025", "refused": True})
    assert scoring.answer_right(UNANSWERABLE, {"answer": "Niet in de bronnen.", "refused": True})
    assert not scoring.answer_right(UNANSWERABLE, {"answer": "Veel.", "refused": False})


def test_confidence_scores_by_hand():
    rows = [{"id": "q1", "answer": "positief 2025", "refused": False, "confidence": 0.9, "confidence_level": "high"},
            {"id": "q2", "answer": "Veel.", "refused": False, "confidence": 0.6, "confidence_level": "medium"}]
    s = scoring.confidence_scores([ANSWERABLE, UNANSWERABLE], rows)
    # right: q1 (0.9), wrong: q2 (0.6) → Brier ((0.1)² + (0.6)²) / 2, one pair ranked right → AUROC 1
    assert s["brier"] == pytest.approx(0.185) and s["auroc"] == 1.0 and s["right"] == 0.5
    assert s["brier_constant"] == 0.25
    assert s["by_level"]["high"] == {"n": 1, "right": 1.0} and s["by_level"]["low"] == {"n": 0, "right": None}
    assert scoring.confidence_scores([ANSWERABLE], [{"id": "q1", "answer": "", "refused": True}]) is None
