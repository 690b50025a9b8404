"""Privacy and access: loopback only, an optional login, no connection to
anywhere but this machine during a whole session, no questions in the log."""
from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from browser import ask_in_page, chromium, open_page
from conftest import PYTHON, REPO, env_for, free_port, start_app, stop_app, wait_for_app

pytestmark = [pytest.mark.app, pytest.mark.model]
QUESTION = "Welk streefcijfer geldt voor leermobiliteit in het mbo?"
SECRET_QUESTION = "Wat zegt de brief over de AI-verordening bij dossier Jansen-7781?"


def _listening(port: int) -> set[str]:
    """Local addresses with a socket listening on ``port`` (from /proc/net/tcp*)."""
    out = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if int(p, 16) == port and state == "0A":  # LISTEN
                if width == 8:
                    out.add(".".join(str(b) for b in reversed(bytes.fromhex(addr))))
                else:
                    out.add("::1" if addr == "00000000000000000000000001000000" else addr)
    return out


def test_binds_to_loopback_unless_configured(built):
    proc, url = start_app(built)
    try:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert _listening(port) == {"127.0.0.1"}
    finally:
        stop_app(proc)


def test_login_when_configured(built):
    """ASSISTANT_AUTH guards the workspace, the Gradio API and /v1 alike."""
    from gradio_client import Client
    from openai import AuthenticationError, OpenAI

    proc, url = start_app(built, ASSISTANT_AUTH="anna:geheim-42")
    try:
        # the workspace: nothing of it is served before the login
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(url + "config", timeout=10)
        assert e.value.code == 401
        with pytest.raises(Exception):
            Client(url, verbose=False).predict(QUESTION, api_name="/ask")
        with pytest.raises(Exception):
            Client(url, verbose=False, auth=("anna", "fout")).predict(QUESTION, api_name="/ask")
        out = Client(url, verbose=False, auth=("anna", "geheim-42")).predict(QUESTION, api_name="/ask")
        assert "12%" in out
        # /v1: 401 without or with a wrong key; Basic or the OpenAI key "user:password" let in
        for header in ({}, {"Authorization": "Bearer anna:fout"}, {"Authorization": "Basic !!"}):
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(urllib.request.Request(url + "v1/models", headers=header), timeout=10)
            assert e.value.code == 401
        basic = base64.b64encode(b"anna:geheim-42").decode()
        with urllib.request.urlopen(urllib.request.Request(url + "v1/models", headers={
                "Authorization": f"Basic {basic}"}), timeout=10) as r:
            assert r.status == 200
        with pytest.raises(AuthenticationError):
            OpenAI(base_url=url + "v1", api_key="anna:fout", max_retries=0).models.list()
        r = OpenAI(base_url=url + "v1", api_key="anna:geheim-42", max_retries=0).chat.completions.create(
            model="beleidsassistent", messages=[{"role": "user", "content": QUESTION}])
        assert "12%" in r.choices[0].message.content
    finally:
        stop_app(proc)


@pytest.mark.browser
def test_login_page_in_the_browser(built):
    from playwright.sync_api import expect, sync_playwright

    proc, url = start_app(built, ASSISTANT_AUTH="anna:geheim-42")
    try:
        with sync_playwright() as pw:
            browser = chromium(pw)
            page = browser.new_context(locale="nl-NL").new_page()
            page.goto(url)
            page.get_by_label(re.compile("username|gebruikersnaam", re.I)).fill("anna")
            page.get_by_label(re.compile("password|wachtwoord", re.I)).fill("geheim-42")
            page.get_by_role("button", name=re.compile("login|inloggen", re.I)).click()
            page.locator("#question textarea").wait_for(timeout=60_000)
            ask_in_page(page, QUESTION)
            expect(page.locator("#chat")).to_contain_text("12%")
            browser.close()
    finally:
        stop_app(proc)


def _strace_works() -> bool:
    if not shutil.which("strace"):
        return False
    probe = subprocess.run(["strace", "-f", "-qq", "-e", "trace=connect", "true"], capture_output=True, timeout=30)
    return probe.returncode == 0


def _loopback(address) -> bool:
    if address is None or isinstance(address, (str, bytes)) and not re.match(r"^[\d.:a-fA-F]+$|^localhost$",
                                                                            str(address)):
        # a Unix socket path (a str that is no host) or an abstract one (bytes)
        return isinstance(address, bytes) or (isinstance(address, str) and address.startswith(("/", "\0")))
    host = address[0] if isinstance(address, list) else address
    return host in ("localhost", "::1", "0.0.0.0") or str(host).startswith(("127.", "::ffff:127."))


@pytest.mark.browser
def test_no_connection_leaves_the_machine_during_a_full_session(built, tmp_path):
    """A whole session (workspace in Chromium: question, citation, feedback,
    export, upload; the Gradio API; the OpenAI endpoint) with every name
    look-up and connection the app's processes attempt recorded: in Python by
    an audit hook (tests/netaudit), and for native code too by strace where
    it can trace. Every one must stay on this machine, and the log must not
    hold the questions."""
    from gradio_client import Client
    from playwright.sync_api import expect, sync_playwright

    data = tmp_path / "data"
    shutil.copytree(built.data_dir, data, ignore=shutil.ignore_patterns("app.log", "feedback.sqlite"))
    settings = replace(built, data_dir=data)
    audit, trace, log_path = tmp_path / "net-audit.jsonl", tmp_path / "strace.log", data / "app.log"
    port = free_port()
    env = env_for(settings)
    env.update(ASSISTANT_PORT=str(port), NET_AUDIT_LOG=str(audit),
               PYTHONPATH=str(REPO / "tests" / "netaudit"))
    prefix = ["strace", "-f", "-qq", "-o", str(trace), "-e", "trace=connect,sendto,sendmsg"] if _strace_works() else []
    # the recorders themselves: an attempt to reach 10.255.255.1 is seen by both
    probe = "import socket\ntry: socket.create_connection(('10.255.255.1', 9), timeout=0.2)\nexcept OSError: pass"
    subprocess.run(prefix + [PYTHON, "-c", probe], env=env, timeout=60)
    assert "10.255.255.1" in audit.read_text() and (not prefix or "10.255.255.1" in trace.read_text())
    audit.unlink()
    log = open(log_path, "w")
    proc = subprocess.Popen(prefix + [PYTHON, "app.py"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_app(proc, url, log_path.read_text)
        with sync_playwright() as pw:
            browser = chromium(pw)
            page, _ = open_page(browser, url, "nl-NL")
            ask_in_page(page, QUESTION)
            ask_in_page(page, SECRET_QUESTION)
            page.locator("#chat a.cite").first.click()
            page.locator("#comment textarea").fill("Handig")
            page.locator("#helpful").click()
            expect(page.locator("#feedback-status")).to_contain_text("opgeslagen", timeout=15_000)
            page.locator("#export-accordion").get_by_text("Markdown").first.click()
            expect(page.locator("#export textarea")).to_have_value(re.compile(r"\[1\]"), timeout=15_000)
            doc = tmp_path / "notitie.md"
            doc.write_text("# Notitie bibliotheek\n\nDe bibliotheek in Zwolle is sinds 1 maart op zondag open.\n",
                           encoding="utf-8")
            page.locator("#upload-accordion").get_by_text("Documenten toevoegen").click()
            page.locator("#upload input[type=file]").set_input_files([str(doc)])
            page.locator("#upload-button").click()
            expect(page.locator("#upload-status")).to_contain_text("toegevoegd", timeout=120_000)
            browser.close()
        assert "12%" in Client(url, verbose=False).predict(QUESTION, api_name="/ask")
        body = json.dumps({"messages": [{"role": "user", "content": SECRET_QUESTION}]}).encode()
        with urllib.request.urlopen(urllib.request.Request(url + "v1/chat/completions", data=body, headers={
                "Content-Type": "application/json"}), timeout=120) as r:
            assert json.loads(r.read())["citations"]
    finally:
        if prefix:  # stop the traced app itself; strace then exits with it
            for child in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split():
                subprocess.run(["kill", "-TERM", child])
        stop_app(proc)
        log.close()

    events = [json.loads(line) for line in audit.read_text().splitlines()]
    assert any(e["event"] == "audit.start" and e["to"][-1:] == ["app.py"] for e in events), "the hook did not load"
    outside = [e for e in events if e["event"] != "audit.start" and not _loopback(e["to"])]
    assert outside == [], outside
    if prefix:
        lines = trace.read_text().splitlines()
        inet = [line for line in lines if "AF_INET" in line]
        bad = [line for line in inet if not re.search(r'inet_addr\("127\.|inet_pton\(AF_INET6, "::(1|ffff:127\.[\d.]+)"',
                                                         line)]
        assert bad == [], bad[:5]
    # questions stay out of the log unless ASSISTANT_LOG_QUESTIONS asks for them
    text = log_path.read_text()
    for q in (QUESTION, SECRET_QUESTION, "Jansen-7781"):
        assert q not in text


def test_questions_are_logged_only_when_asked_for(built, caplog):
    from assistant.pipeline import Assistant

    for on in (False, True):
        caplog.clear()
        a = Assistant(replace(built, log_questions=on))
        with caplog.at_level("INFO", logger="assistant.pipeline"):
            a.ask(SECRET_QUESTION)
        assert ("Jansen-7781" in caplog.text) is on
        a.close()
