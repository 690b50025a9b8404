"""The harness end to end on the real model and a real index."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from eval.clients import BaselineClient, ProjectClient
from eval.questions import load
from eval.run import run

from conftest import PYTHON, REPO, env_for

pytestmark = pytest.mark.model
QA = REPO / "eval" / "data" / "qa.jsonl"


@pytest.fixture(scope="module")
def sample():
    qs = load(QA)
    # one of each type, both languages: the shapes the harness must handle
    picked, seen = [], set()
    for q in qs:
        if (q.type, q.lang) not in seen and q.type in ("factoid", "unanswerable", "followup", "multihop"):
            seen.add((q.type, q.lang))
            picked.append(q)
    return picked


def test_extractive_run_writes_rows_metrics_report_and_plots(assistant_, sample, tmp_path):
    metrics = run(ProjectClient(assistant_), sample, "extractive", tmp_path, progress=False)
    rows = [json.loads(x) for x in (tmp_path / "answers.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [q.id for q in sample]
    for r, q in zip(rows, sample):
        assert {"id", "question", "answer", "refused", "citations", "retrieved", "lang", "latency_ms"} <= set(r)
        assert len(r["retrieved"]) >= 10
        assert all({"id", "doc", "text", "score"} <= set(p) for p in r["retrieved"])
        assert all({"id", "doc", "section", "text"} <= set(c) and c["text"] for c in r["citations"])
        assert r["lang"] == q.lang
        assert r["latency_ms"]["total"] >= r["latency_ms"]["retrieve"] > 0
        if q.type == "followup":  # the history reached the assistant
            assert q.history[0]["content"] in r["query"]
    o = metrics["overall"]
    assert o["n"] == len(sample) and 0.0 <= o["recall@10"] <= 1.0 and o["refusal_accuracy"] is not None
    assert set(metrics["by_lang"]) == {"nl", "en"}
    assert {"followup", "unanswerable"} <= set(metrics["by_type"])
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| overall |" in report and "recall@1500ch" in report and "keyword_accuracy" in report
    for png in ("scores_by_type.png", "latency.png"):
        assert (tmp_path / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads((tmp_path / "metrics.json").read_text())["run"]["mode"] == "extractive"


def test_generative_without_a_model_falls_back_and_says_so(assistant_, sample, tmp_path):
    metrics = run(ProjectClient(assistant_), sample[:2], "generative", tmp_path, progress=False)
    assert metrics["run"]["fallback"] is True and metrics["run"]["mode_used"] == ["extractive"]
    assert any("no generation backend answered" in n for n in metrics["notes"])
    assert metrics["overall"]["latency_first_token_p50_ms"] is not None


def test_any_question_file_runs_even_naming_unknown_documents(assistant_, tmp_path):
    f = tmp_path / "mine.jsonl"
    f.write_text(json.dumps({
        "id": "own-1", "lang": "en", "question": "What is the EU target for learning mobility in higher education?",
        "answer": "23%", "evidence": ["zijn vastgesteld op respectievelijk 23% en 12%"], "doc": ["my-own-report.pdf"],
        "type": "numeric", "keywords": ["23%"]}) + "\n", encoding="utf-8")
    metrics = run(ProjectClient(assistant_), load(f), "retrieval", tmp_path / "out", progress=False)
    assert metrics["overall"]["n"] == 1 and metrics["overall"]["recall@10"] == 1.0
    assert any("my-own-report.pdf" in n for n in metrics["notes"])


def test_baseline_is_plain_llamaindex_with_big_chunks(built, sample, tmp_path):
    client = BaselineClient(built)
    metrics = run(client, sample[:3], "retrieval", tmp_path, progress=False)
    rows = [json.loads(x) for x in (tmp_path / "answers.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(len(r["retrieved"]) == 10 for r in rows)
    # default SentenceSplitter chunks are far larger than one paragraph
    assert max(len(p["text"]) for p in rows[0]["retrieved"]) > 2000
    assert metrics["run"]["pipeline"] == "baseline-llamaindex-default"


def test_cli_run_and_compare(built, tmp_path):
    env = env_for(built)
    for mode in ("retrieval", "extractive"):
        p = subprocess.run([PYTHON, "-m", "eval", "run", "--mode", mode, "--limit", "4", "--quiet",
                            "--out", str(tmp_path / mode)], cwd=REPO, env=env, capture_output=True, text=True,
                           timeout=300)
        assert p.returncode == 0, p.stderr
        assert "recall@1500ch=" in p.stdout
    p = subprocess.run([PYTHON, "-m", "eval", "compare", str(tmp_path / "retrieval"), str(tmp_path / "extractive")],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "| metric | A | B | Δ |" in p.stdout and "| mrr@10 |" in p.stdout


def test_cli_bad_question_file_is_a_clear_error(built, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    p = subprocess.run([PYTHON, "-m", "eval", "run", "--questions", str(bad), "--out", str(tmp_path / "o")],
                       cwd=REPO, env=env_for(built), capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "bad.jsonl:1" in p.stderr and "Traceback" not in p.stderr
