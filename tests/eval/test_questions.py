"""The benchmark file itself: format, balance, verbatim evidence, coverage."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.questions import QuestionFileError, load
from eval.scoring import covers
from index.paragraphs import split_paragraphs
from index.sources import load_sources

REPO = Path(__file__).resolve().parents[2]
QA = REPO / "eval" / "data" / "qa.jsonl"
SOURCES = REPO / "sources"


@pytest.fixture(scope="module")
def questions():
    return load(QA)


def test_size_balance_and_types(questions):
    assert len(questions) >= 80
    langs = Counter(q.lang for q in questions)
    assert langs["nl"] == langs["en"], langs
    types = Counter(q.type for q in questions)
    assert set(types) == {"factoid", "list", "numeric", "crosslingual", "multihop", "unanswerable", "followup"}
    assert types["unanswerable"] >= 10 and types["followup"] >= 6
    assert all(q.history for q in questions if q.type == "followup")
    for lang in ("nl", "en"):  # both languages get refusals and follow-ups
        assert any(q.type == "unanswerable" and q.lang == lang for q in questions)
        assert any(q.type == "followup" and q.lang == lang for q in questions)


def test_evidence_is_verbatim_in_the_named_documents(questions):
    texts = {p.name: p.read_text(encoding="utf-8") for p in SOURCES.glob("*.md")}
    for q in questions:
        if q.type == "unanswerable":
            assert not q.evidence and not q.keywords, q.id
            continue
        assert q.evidence and q.keywords and q.doc, q.id
        for quote in q.evidence:
            assert 40 <= len(quote) <= 200, (q.id, len(quote))
            # plain substring search, as the format promises
            assert any(quote in texts[d] for d in q.doc), (q.id, quote)
        for group in q.keywords:
            assert all(alt.strip() for alt in group.split("|")), (q.id, group)


def test_multihop_needs_two_paragraphs(questions):
    paragraphs = [p for doc in load_sources(SOURCES) for p in split_paragraphs(doc)]
    for q in questions:
        if q.type == "multihop":
            holding = {p.id for e in q.evidence for p in paragraphs if covers(p.text, e)}
            assert len(holding) >= 2, q.id


def test_every_section_and_the_footnotes_are_asked_about(questions):
    quotes = [e for q in questions for e in q.evidence]
    for doc in load_sources(SOURCES):
        sections: dict[tuple, list] = {}
        for p in split_paragraphs(doc):
            sections.setdefault(("footnotes",) if p.kind == "footnote" else p.section, []).append(p)
        for section, paras in sections.items():
            if all(p.kind in ("header", "heading") for p in paras):
                continue  # a heading over subsections only: its paragraphs are asked about under those
            if section == ("Niet voor publicatie - contact",) or any(covers(p.text, e) for p in paras for e in quotes):
                continue
            pytest.fail(f"{doc.id}: no question about section {' > '.join(section) or '(lead)'}")
    footnotes_asked = {p.id for doc in load_sources(SOURCES) for p in split_paragraphs(doc)
                       if p.kind == "footnote" and any(covers(p.text, e) for e in quotes)}
    assert len(footnotes_asked) >= 4, footnotes_asked


def test_ids_unique_and_fields_typed():
    rows = [json.loads(line) for line in QA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) <= {"id", "lang", "question", "answer", "evidence", "doc", "type", "keywords", "history"}


@pytest.mark.parametrize("line, message", [
    ("not json", "not valid JSON"),
    ('{"id": "x"}', "missing field"),
    ('{"id":"x","lang":"de","question":"q","answer":"","evidence":[],"doc":[],"type":"factoid","keywords":[]}', "lang"),
    ('{"id":"x","lang":"nl","question":"q","answer":"","evidence":[],"doc":[],"type":"trivia","keywords":[]}', "type"),
    ('{"id":"x","lang":"nl","question":"q","answer":"","evidence":"a","doc":[],"type":"factoid","keywords":[]}', "evidence"),
    ('{"id":"x","lang":"nl","question":"q","answer":"","evidence":[],"doc":[],"type":"followup","keywords":[],'
     '"history":[{"role":"bot","content":"x"}]}', "history"),
])
def test_bad_question_files_say_where(tmp_path, line, message):
    f = tmp_path / "q.jsonl"
    f.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match=message) as e:
        load(f)
    assert "q.jsonl:1" in str(e.value) or "not valid" in str(e.value)


# -- the held-out set and the dev/test split ---------------------------------

HELDOUT = REPO / "eval" / "data" / "heldout.jsonl"
# sha256 of the test split's questions (id, question, evidence, keywords).
# Changing a test question changes this: that change must be argued in review,
# never made after looking at a run's test figures (eval/README.md).
FROZEN_TEST_DIGEST = "6d842715b0e154fc7bcd51279e1a2d129ca42797d648e9e7cbe4435091d94d34"


def _digest(questions) -> str:
    import hashlib

    rows = sorted((q.id, q.question, q.evidence, q.keywords) for q in questions)
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()


def test_heldout_is_balanced_verbatim_and_in_new_styles():
    held = load(HELDOUT)
    assert len(held) >= 60
    langs = Counter(q.lang for q in held)
    assert langs["nl"] == langs["en"] >= 30, langs
    texts = {p.name: p.read_text(encoding="utf-8") for p in SOURCES.glob("*.md")}
    for q in held:
        if q.type == "unanswerable":
            assert not q.evidence and not q.keywords, q.id
            continue
        for quote in q.evidence:
            assert 40 <= len(quote) <= 200, (q.id, len(quote))
            assert any(quote in texts[d] for d in q.doc), (q.id, quote)
    asked = " ".join(q.question.lower() for q in held)
    for style in ("drie aanbevelingen", "three recommendations", "wat vindt de minister", "minister think",
                  "welke lidstaten", "compare"):
        assert style in asked, style
    # near-miss unanswerables in both languages: another school type, a date not given, an organisation not involved
    assert sum(q.type == "unanswerable" for q in held if q.lang == "nl") >= 5
    assert sum(q.type == "unanswerable" for q in held if q.lang == "en") >= 5
    assert not {q.id for q in held} & {q.id for q in load(QA)}


def test_split_rule_is_fixed_by_id():
    from eval.questions import load_all, select, split_of

    team, held = load(QA), load(HELDOUT)
    assert {q.split for q in team} == {"dev"}  # tuned on since November: never test
    splits = Counter(q.split for q in held)
    assert splits["test"] >= 30 and splits["dev"] >= 25, splits
    # the rule reads the id only: the same id gets the same split in any file, in any order
    assert [split_of(q.id) for q in reversed(held)] == [q.split for q in reversed(held)]
    assert split_of("hnl-01") == split_of("hnl-01") and split_of("nl-001") == "dev"
    both = load_all([QA, HELDOUT])
    assert len(select(both, "all")) == len(team) + len(held)
    assert len(select(both, "test")) == splits["test"]
    assert all(q.split == "dev" for q in select(both, "dev"))
    with pytest.raises(ValueError):
        select(both, "train")


def test_test_split_is_frozen():
    test = [q for q in load(HELDOUT) if q.split == "test"]
    assert _digest(test) == FROZEN_TEST_DIGEST, (
        "the test split's questions changed: say why in the commit, then update FROZEN_TEST_DIGEST")


def test_ids_are_unique_across_question_files(tmp_path):
    from eval.questions import load_all

    copy = tmp_path / "copy.jsonl"
    copy.write_text(HELDOUT.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match="also in another"):
        load_all([HELDOUT, copy])
