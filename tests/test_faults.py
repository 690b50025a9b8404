"""Faults while the app runs: the index deleted or damaged, the answer or the
search model missing or cut short, the disk full when feedback is stored.
Each gives a clear message, the app goes on serving what it can, and nothing
stored (index, feedback) is lost or half-written. (A stopped Chroma server:
tests/index/test_server.py.)"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import replace

import pytest

from conftest import PYTHON, REPO, env_for, free_port, start_app, stop_app, wait_for_app

pytestmark = [pytest.mark.app, pytest.mark.model]
Q = "Welk streefcijfer geldt voor leermobiliteit in het mbo?"


@pytest.fixture
def copy(built, tmp_path):
    """Settings over a private copy of the index, with two votes already stored."""
    from assistant.feedback import store_for
    from assistant.types import Answer

    data = tmp_path / "data"
    shutil.copytree(built.data_dir, data, ignore=shutil.ignore_patterns("app.log", "feedback.sqlite"))
    store = store_for(data)
    for n in (1, -1):
        store.record(Answer(question=f"vraag {n}", text="antwoord", lang="nl"), n, "eerder")
    return replace(built, data_dir=data)


def _ask(url, question=Q) -> str:
    from gradio_client import Client

    return Client(url, verbose=False).predict(question, api_name="/ask")


def _v1(url, question=Q) -> tuple[int, dict]:
    body = json.dumps({"messages": [{"role": "user", "content": question}]}).encode()
    req = urllib.request.Request(url + "v1/chat/completions", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def _serving(url) -> bool:
    with urllib.request.urlopen(url, timeout=10) as r:
        page = r.status == 200
    with urllib.request.urlopen(url + "v1/models", timeout=10) as r:
        return page and r.status == 200


def _votes(settings) -> list[dict]:
    from assistant.feedback import store_for

    return list(store_for(settings.data_dir).rows())


def _rebuild(settings):
    r = subprocess.run([PYTHON, "-m", "index", "build", "--quiet"], cwd=REPO, env=env_for(settings),
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]


def test_index_deleted_while_running(copy):
    proc, url = start_app(copy)
    try:
        assert "12%" in _ask(url)
        shutil.rmtree(copy.data_dir / "chroma")
        out = _ask(url)
        assert out.startswith("⚠️") and "python -m index build" in out and "Traceback" not in out
        assert "12%" not in out
        status, body = _v1(url)
        assert status == 503 and body["error"]["code"] in ("index_missing", "index_corrupt")
        assert _serving(url)
        assert len(_votes(copy)) == 2  # the feedback lives apart from the index
        _rebuild(copy)  # the fix the message names, with the app still running
        assert "12%" in _ask(url)
    finally:
        stop_app(proc)


def test_index_damaged_while_running(copy):
    proc, url = start_app(copy)
    try:
        assert "12%" in _ask(url)
        db = copy.data_dir / "chroma" / "chroma.sqlite3"
        with open(db, "r+b") as f:  # overwrite its header and first pages in place
            f.write(os.urandom(64 * 1024))
        out = _ask(url)
        assert out.startswith("⚠️") and "python -m index build" in out and "Traceback" not in out
        status, body = _v1(url)
        assert status == 503 and body["error"]["code"] in ("index_corrupt", "index_missing")
        assert _serving(url) and len(_votes(copy)) == 2
        shutil.rmtree(copy.data_dir / "chroma")
        _rebuild(copy)
        assert "12%" in _ask(url)
    finally:
        stop_app(proc)


def test_search_model_missing(copy, tmp_path):
    empty = tmp_path / "no-model"
    empty.mkdir()
    proc, url = start_app(copy, ASSISTANT_EMBED_MODEL=str(empty))
    try:
        out = _ask(url)
        assert out.startswith("⚠️") and "Traceback" not in out
        assert "zoeken ontbreekt" in out or "search model is missing" in out
        status, body = _v1(url)
        assert status == 503 and body["error"]["code"] == "model_missing"
        assert _serving(url) and len(_votes(copy)) == 2
    finally:
        stop_app(proc)


def test_answer_model_cut_short(copy, tmp_path, llm_file):
    """A truncated GGUF: answers fall back to quotes from the sources, and say why."""
    cut = tmp_path / llm_file.name
    with open(llm_file, "rb") as src, open(cut, "wb") as dst:
        dst.write(src.read(8 * 1024 * 1024))
    proc, url = start_app(copy, ASSISTANT_BACKEND="local", ASSISTANT_LLM_MODEL=str(cut))
    try:
        out = _ask(url)
        assert "12%" in out and "Traceback" not in out
        assert "beschadigd" in out or "damaged" in out  # the note says what is wrong with the model
        status, body = _v1(url)
        assert status == 200 and body["mode"] == "extractive" and body["notes"]
    finally:
        stop_app(proc)


FULL_DISK = r"""
import json, os, sqlite3, sys
sys.path.insert(0, os.getcwd())
from assistant.feedback import FeedbackStore
from assistant.types import Answer
path = os.path.join(sys.argv[1], "feedback.sqlite")
store = FeedbackStore(path)
for n in range(3):
    store.record(Answer(question=f"vraag {n}", text="antwoord", lang="nl"), 1, "eerder")
with open(os.path.join(sys.argv[1], "fill"), "wb", buffering=0) as f:  # take every free block
    try:
        while True:
            f.write(b"\0" * 4096)
    except OSError:
        pass
error = ""
try:
    store.record(Answer(question="vraag x" * 2000, text="antwoord " * 5000, lang="nl"), -1, "lang " * 400)
except Exception as e:
    error = f"{type(e).__name__}: {e}"
con = sqlite3.connect(path)
print(json.dumps({"error": error, "rows": [r["question"] for r in store.rows()],
                  "integrity": con.execute("PRAGMA integrity_check").fetchone()[0]}))
"""


def _mount_ns() -> list[str]:
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=10)
    if probe.returncode != 0:
        pytest.fail("unshare cannot create a mount namespace here (needs user namespaces)")
    return ["unshare", "-rm"]


def test_feedback_on_a_full_disk_loses_no_earlier_vote(tmp_path):
    """A real full file system (a 256 KB tmpfs in a private mount namespace)."""
    full = tmp_path / "full"
    full.mkdir()
    r = subprocess.run(_mount_ns() + ["bash", "-c", 'mount -t tmpfs -o size=256k tmpfs "$1" && exec "$2" -c "$3" "$1"',
                                      "sh", str(full), PYTHON, FULL_DISK],
                       cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert "full" in out["error"].lower()  # sqlite3.OperationalError: database or disk is full
    assert out["rows"] == ["vraag 0", "vraag 1", "vraag 2"] and out["integrity"] == "ok"


APP_ON_FULL_DISK = r"""
set -e
mount -t tmpfs -o size="$SIZE" tmpfs "$DATA"
cp -a "$SRC/." "$DATA/"
"$PY" app.py > "$LOG" 2>&1 &
app=$!
while [ ! -e "$FLAGS/fill" ]; do sleep 0.3; done
dd if=/dev/zero of="$DATA/fill" bs=4k > /dev/null 2>&1 || true
touch "$FLAGS/filled"
while [ ! -e "$FLAGS/stop" ]; do sleep 0.3; done
kill $app; wait $app || true
"$PY" -c "
import json, sqlite3
con = sqlite3.connect('$DATA/feedback.sqlite')
print(json.dumps({'rows': [r[0] for r in con.execute('SELECT comment FROM feedback ORDER BY id')],
                  'integrity': con.execute('PRAGMA integrity_check').fetchone()[0]}))"
"""


@pytest.mark.browser
def test_full_disk_while_the_app_stores_feedback(copy, tmp_path):
    """The app's data directory on a file system that fills up while it runs:
    the vote is refused with a message, the conversation goes on, and the
    votes stored before are whole."""
    from playwright.sync_api import expect, sync_playwright

    from browser import ask_in_page, chromium, open_page

    flags, data = tmp_path / "flags", tmp_path / "mnt"
    flags.mkdir()
    data.mkdir()
    size = sum(f.stat().st_size for f in copy.data_dir.rglob("*") if f.is_file()) + 4 * 1024 * 1024
    port = free_port()
    env = env_for(replace(copy, data_dir=data))
    env.update(ASSISTANT_PORT=str(port), SIZE=str(size), DATA=str(data), SRC=str(copy.data_dir), FLAGS=str(flags),
               PY=PYTHON, LOG=str(tmp_path / "app.log"))
    proc = subprocess.Popen(_mount_ns() + ["bash", "-c", APP_ON_FULL_DISK], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_app(proc, url, lambda: proc.stderr.read())
        with sync_playwright() as pw:
            browser = chromium(pw)
            page, _ = open_page(browser, url, "nl-NL")
            ask_in_page(page, Q)
            (flags / "fill").touch()
            while not (flags / "filled").exists():
                time.sleep(0.2)
            page.locator("#comment textarea").fill("Dit past niet meer op de schijf " * 50)
            page.locator("#helpful").click()
            expect(page.locator("#feedback-status")).to_contain_text("kon niet worden opgeslagen", timeout=15_000)
            ask_in_page(page, "Wat vraagt NEMO van de Europese Unie over AI in musea?")
            expect(page.locator("#chat .message-row").last).to_contain_text("NEMO")
            browser.close()
    finally:
        (flags / "stop").touch()
        out, err = proc.communicate(timeout=60)
    result = json.loads(out.strip().splitlines()[-1])
    assert result == {"rows": ["eerder", "eerder"], "integrity": "ok"}, (result, err[-1000:])
