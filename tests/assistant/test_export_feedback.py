"""Markdown export and the feedback store (real SQLite in a temporary dir)."""
import json
import sqlite3
import subprocess

from conftest import PYTHON, REPO

from assistant.export import to_markdown
from assistant.feedback import FeedbackStore
from assistant.types import Answer, Citation

ANSWER = Answer(
    question="Welk streefcijfer geldt voor het mbo?", text="Het streefcijfer voor het mbo is 12% [1].", lang="nl",
    citations=[Citation(n=1, id="kst#p2", doc_id="kst", doc_title="Geannoteerde agenda", reference="Kamerstuk 1",
                        section="Onderwijs > Inhoud", text="Zij zijn vastgesteld op 23% en 12%. Verder niets.",
                        file="kst.md", score=0.9, spans=((0, 35),))],
    label="Door AI gegenereerd antwoord.", mode="generative", model="qwen")


def test_markdown_export_has_answer_label_and_quoted_source():
    md = to_markdown(ANSWER)
    assert md.startswith("Het streefcijfer voor het mbo is 12% [1].")
    assert "*Door AI gegenereerd antwoord.*" in md and "**Bronnen**" in md
    assert "[1] Geannoteerde agenda, Kamerstuk 1 — Sectie: Onderwijs > Inhoud (`kst#p2`)" in md
    assert "“Zij zijn vastgesteld op 23% en 12%.”" in md and "Verder niets" not in md


def test_feedback_is_stored_whole_and_exported(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    assert list(store.rows()) == []
    store.record(ANSWER, 1)
    store.record(ANSWER, -1, "Het getal klopt, maar de bron is te lang.")
    rows = list(store.rows())
    assert [r["rating"] for r in rows] == [1, -1] and rows[1]["comment"].startswith("Het getal")
    assert rows[0]["citations"] == [{"n": 1, "id": "kst#p2", "doc_title": "Geannoteerde agenda",
                                     "reference": "Kamerstuk 1", "section": "Onderwijs > Inhoud"}]
    try:
        store.record(ANSWER, 0)
        raise AssertionError("a rating of 0 must be refused")
    except ValueError:
        pass
    assert sqlite3.connect(tmp_path / "feedback.sqlite").execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 2
    # the evaluators' export
    env = {"ASSISTANT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([PYTHON, "-m", "eval", "feedback"], cwd=REPO, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["rating"] for x in lines] == [1, -1] and lines[0]["question"] == ANSWER.question
    assert "2 feedback row(s)" in r.stderr
