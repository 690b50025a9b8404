"""The Gradio app, started for real on a free loopback port."""
import os
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO, start_app, stop_app

pytestmark = [pytest.mark.app, pytest.mark.model]
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def app_url(built):
    proc, url = start_app(built)
    yield url
    stop_app(proc)


@pytest.mark.llm
def test_chat_streams_generated_tokens_then_the_checked_answer(built, llm_file):
    from gradio_client import Client

    proc, url = start_app(built, ASSISTANT_BACKEND="local", ASSISTANT_LLM_MODEL=str(llm_file))
    try:
        c = Client(url, verbose=False)
        job = c.submit("Welke organisaties helpen Nederlandse onderwijsinstellingen bij het omgaan met AI?",
                       api_name="/ask")
        job.result(timeout=300)
        outputs = job.outputs()
        # the reply grew while the model wrote (a cursor marks the unfinished text) ...
        partial = [o for o in outputs if o.endswith("▌")]
        assert len(partial) >= 3 and len(partial[-1]) > len(partial[0])
        # ... and ended as the checked answer with its sources and the AI label
        final = outputs[-1]
        assert "Kennisnet" in final and "[1]" in final and "<mark>" in final
        assert "Door AI gegenereerd" in final and "qwen2.5-coder-1.5b" in final and "▌" not in final
    finally:
        stop_app(proc)


def test_gradio_client_answers_with_citations(app_url):
    from gradio_client import Client

    c = Client(app_url, verbose=False)
    out = c.predict("Welk streefcijfer geldt voor leermobiliteit in het mbo?", api_name="/ask")
    assert "12%" in out and "[1]" in out and "Kamerstuk 21 501-34, nr. 418" in out
    assert "Door AI gegenereerd" in out and "<mark>" in out
    err = c.predict("   ", api_name="/ask")
    assert "leeg" in err and "empty" in err and "Traceback" not in err
    html_q = c.predict("<script>alert(1)</script> What is the AI Act?", api_name="/ask")
    assert "<script>" not in html_q


@pytest.mark.browser
def test_in_chromium(app_url, built):
    from assistant.feedback import FeedbackStore

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        pytest.fail(f"Chromium not found at {chromium}: run the README test command, which installs it")
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        t0 = time.perf_counter()
        page.goto(app_url, wait_until="domcontentloaded")
        box = page.get_by_role("textbox").first
        box.wait_for(timeout=60_000)
        load_s = time.perf_counter() - t0
        box.fill("What share of vocational students should take part in learning mobility?")
        t1 = time.perf_counter()
        box.press("Enter")
        expect(page.locator("mark").first).to_be_visible(timeout=60_000)
        answer_s = time.perf_counter() - t1
        text = page.locator("body").inner_text()
        assert "12%" in text and "AI-generated" in text and "Kamerstuk 21 501-34, nr. 418" in text
        page.screenshot(path=str(ARTIFACTS / "chat-en.png"), full_page=True)
        (ARTIFACTS / "timings.txt").write_text(f"page load {load_s:.2f} s\nfirst answer {answer_s:.2f} s\n")
        # thumbs up on the answer lands in the feedback store with its question and citations
        page.get_by_role("button", name="Like").last.click()
        store = FeedbackStore(built.data_dir / "feedback.sqlite")
        deadline = time.time() + 15
        while time.time() < deadline and not list(store.rows()):
            time.sleep(0.3)
        rows = list(store.rows())
        assert rows and rows[-1]["rating"] == 1
        assert rows[-1]["question"].startswith("What share of vocational students")
        assert rows[-1]["citations"] and rows[-1]["citations"][0]["reference"] == "Kamerstuk 21 501-34, nr. 418"
        browser.close()
