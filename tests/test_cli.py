"""The command lines as a user runs them (subprocesses on the real index)."""
import json
import shutil
import subprocess
from dataclasses import replace

import pytest

from conftest import PYTHON, REPO, env_for

pytestmark = pytest.mark.model


def run(args, settings, **kw):
    return subprocess.run([PYTHON, "-m", *args], cwd=REPO, env=env_for(settings), capture_output=True,
                          text=True, timeout=180, **kw)


def test_ask_prints_answer_and_citations(built):
    r = run(["assistant", "ask", "Welk streefcijfer geldt voor leermobiliteit in het mbo?"], built)
    assert r.returncode == 0, r.stderr
    assert "12%" in r.stdout and "[1]" in r.stdout and "Kamerstuk 21 501-34, nr. 418" in r.stdout
    assert "Door AI gegenereerd" in r.stdout and "Traceback" not in r.stderr


def test_ask_json(built):
    r = run(["assistant", "ask", "--json", "What share of vocational students should take part in learning mobility?"], built)
    assert r.returncode == 0, r.stderr
    a = json.loads(r.stdout)
    assert a["lang"] == "en" and not a["refused"] and "12%" in a["text"]
    assert {"id", "doc_title", "reference", "section", "text"} <= set(a["citations"][0])


def test_ask_with_document_and_date_filters(built):
    r = run(["assistant", "ask", "--json", "--since", "2024-04-01", "Welke aanbevelingen over AI worden gedaan?"], built)
    assert r.returncode == 0, r.stderr
    assert {c["doc_id"] for c in json.loads(r.stdout)["citations"]} <= {"kst-21501-34-418"}
    r = run(["assistant", "ask", "--doc", "nemo-ai-musea-2024", "--until", "2024-12-31", "--json",
             "Wie organiseerde de conferentie?"], built)
    assert r.returncode == 0, r.stderr
    assert {c["doc_id"] for c in json.loads(r.stdout)["citations"]} == {"nemo-ai-musea-2024"}


@pytest.mark.parametrize("question, code, words", [
    ("   ", 2, "empty"),
    ("What share of students is targeted? " * 2800, 2, "too long"),  # ~100 KB
])
def test_bad_input_exits_nonzero_without_traceback(built, question, code, words):
    r = run(["assistant", "ask", question], built)
    assert r.returncode == code and words in r.stderr.lower() and "Traceback" not in r.stderr


def test_missing_and_corrupt_index(built, tmp_path):
    missing = replace(built, data_dir=tmp_path / "none")
    r = run(["assistant", "ask", "Wat is NOLAI?"], missing)
    assert r.returncode == 3 and "python -m index build" in r.stderr and "Traceback" not in r.stderr
    data = tmp_path / "copy"
    shutil.copytree(built.data_dir, data)
    (data / "index.json").write_text("{not json", encoding="utf-8")
    corrupt = replace(built, data_dir=data)
    r = run(["assistant", "ask", "Wat doet DEN?"], corrupt)
    assert r.returncode == 3 and "python -m index build" in r.stderr and "Traceback" not in r.stderr
