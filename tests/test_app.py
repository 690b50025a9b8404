"""The Gradio app, started for real on a free loopback port."""
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from browser import ask_in_page as _ask, chromium as _chromium, open_page as _open
from conftest import REPO, start_app, stop_app, wait_until_warm

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

    # the writing path streams the model's draft (the selecting writer sends its choice whole)
    proc, url = start_app(built, ASSISTANT_BACKEND="local", ASSISTANT_LLM_MODEL=str(llm_file), ASSISTANT_WRITER="write")
    try:
        wait_until_warm(built)  # until then the answer is quoted at once (the cold-start test below)
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
    # the optional parameters: answer language, mode, documents
    en = c.predict("Welk streefcijfer geldt voor leermobiliteit in het mbo?", language="en", mode="extractive",
                   api_name="/ask")
    assert "AI-generated" in en and "12%" in en
    nemo = c.predict("Welk streefcijfer geldt voor leermobiliteit in het mbo?", documents=["nemo-ai-musea-2024"],
                     api_name="/ask")
    assert "Kamerstuk" not in nemo


def _feedback_rows(built, count, timeout=15):
    from assistant.feedback import FeedbackStore

    store = FeedbackStore(built.data_dir / "feedback.sqlite")
    deadline = time.time() + timeout
    while time.time() < deadline and len(list(store.rows())) < count:
        time.sleep(0.3)
    return list(store.rows())


@pytest.mark.browser
def test_workspace_in_dutch(app_url, built):
    """Dutch browser: Dutch labels, a Dutch answer, clicking [2] selects the second
    paragraph with its cited span, trace, feedback with comment, export, filter."""
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = _chromium(pw)
        page, load_s = _open(browser, app_url, "nl-NL")
        expect(page.locator("#send")).to_have_text("Vragen")
        expect(page.locator("#new-conversation")).to_have_text("Nieuw gesprek")
        # (the organisations question now cites its one paragraph only: the footnote it also cited did not answer it)
        answer_s = _ask(page, "Welke AI-toepassingen in het onderwijs worden door de AI-verordening als hoog-risico "
                              "aangemerkt?")
        chat = page.locator("#chat")
        expect(chat).to_contain_text("Door AI gegenereerd")
        expect(chat).to_contain_text("hoog-risico")
        pane = page.locator("#source-pane")
        # the first citation is selected: its paragraph with the cited sentences marked, between its neighbours
        expect(pane.locator("mark").first).to_be_visible()
        expect(pane).to_contain_text("Voorafgaande alinea")
        expect(pane).to_contain_text("Kamerstuk 21 501-34, nr. 418")
        # clicking marker [2] in the answer selects the second paragraph
        chat.locator("a.cite[href$='-2']").first.click()
        expect(pane.locator("a.tab.selected")).to_have_text("[2]", timeout=15_000)
        cited = pane.locator(".cited")
        expect(cited).to_have_attribute("data-n", "2")
        expect(cited.locator("mark").first).to_be_visible()
        # [2] is footnote 7: shown after the paragraph that refers to it
        expect(cited).to_contain_text("Verwijst naar deze voetnoot")
        page.screenshot(path=str(ARTIFACTS / "workspace-nl.png"), full_page=True)
        # the trace: stand-alone query, retrieved paragraphs with scores, writer, timings
        page.locator("#trace-accordion").get_by_text("Verantwoording").click()
        trace = page.locator("#trace")
        expect(trace).to_contain_text("Zoekvraag")
        expect(trace).to_contain_text("extractive")
        expect(trace.locator("ol.retrieved li").first).to_be_visible()
        # feedback with a comment on the selected answer lands in SQLite
        page.locator("#comment textarea").fill("Handig voor de notitie")
        page.locator("#not-helpful").click()
        expect(page.locator("#feedback-status")).to_contain_text("opgeslagen", timeout=15_000)
        rows = _feedback_rows(built, 1)
        assert rows[-1]["rating"] == -1 and rows[-1]["comment"] == "Handig voor de notitie"
        assert rows[-1]["question"].startswith("Welke AI-toepassingen") and len(rows[-1]["citations"]) == 2
        # thumbs up on the chat message too (Gradio's own label, in Dutch)
        page.get_by_role("button", name="Vind ik leuk", exact=True).last.click()
        rows = _feedback_rows(built, 2)
        assert rows[-1]["rating"] == 1 and rows[-1]["question"].startswith("Welke AI-toepassingen")
        # export: the Markdown is shown and downloads as a file
        page.locator("#export-accordion").get_by_text("Markdown").first.click()
        expect(page.locator("#export textarea")).to_have_value(re.compile(r"\[1\].*Kamerstuk", re.S))
        with page.expect_download(timeout=15_000) as dl:
            page.locator("#download").click()
        md = Path(dl.value.path()).read_text(encoding="utf-8")
        assert md.startswith(page.locator("#export textarea").input_value()[:40]) and "Door AI gegenereerd" in md
        # a document filter: only the NEMO press release is searched
        page.locator("#new-conversation").click()
        expect(page.locator("#chat .message-row")).to_have_count(0)
        page.locator("#documents input").click()
        page.get_by_role("option", name=re.compile("NEMO|musea", re.I)).first.click()
        page.keyboard.press("Escape")
        _ask(page, "Wat zegt de brief over de AI-verordening en proctoring bij examens?")
        last = chat.locator(".message-row").last
        assert "Kamerstuk" not in last.inner_text() and "Kamerstuk" not in pane.inner_text()
        browser.close()
    (ARTIFACTS / "timings-nl.txt").write_text(f"page load {load_s:.2f} s\nfirst answer {answer_s:.2f} s\n")


@pytest.mark.browser
def test_workspace_in_english_escapes_markup(app_url):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = _chromium(pw)
        page, load_s = _open(browser, app_url, "en-US")
        expect(page.locator("#send")).to_have_text("Ask")
        answer_s = _ask(page, "What share of vocational students should take part in learning mobility?")
        expect(page.locator("#chat")).to_contain_text("12%")
        expect(page.locator("#chat")).to_contain_text("AI-generated")
        pane = page.locator("#source-pane")
        expect(pane).to_contain_text("Sources for the answer to")
        expect(pane.locator("mark").first).to_contain_text("12%")
        page.screenshot(path=str(ARTIFACTS / "chat-en.png"), full_page=True)
        # markup in a question is shown as text, never run
        page.locator("#answer-language").get_by_text("English").click()
        _ask(page, "<img src=x onerror=\"window.pwned=1\"><b>bold</b> What is the AI Act?")
        expect(page.locator("#chat")).to_contain_text("<b>bold</b>")
        assert page.evaluate("window.pwned") is None
        assert page.locator("#chat b", has_text="bold").count() == 0
        browser.close()
    (ARTIFACTS / "timings.txt").write_text(f"page load {load_s:.2f} s\nfirst answer {answer_s:.2f} s\n")


@pytest.mark.browser
@pytest.mark.llm
def test_generated_answer_streams_in_the_browser(built, llm_file):
    from playwright.sync_api import expect, sync_playwright

    # the writing path streams the model's draft (the selecting writer sends its choice whole)
    proc, url = start_app(built, ASSISTANT_BACKEND="local", ASSISTANT_LLM_MODEL=str(llm_file), ASSISTANT_WRITER="write")
    try:
        wait_until_warm(built)  # until then the answer is quoted at once (the cold-start test below)
        with sync_playwright() as pw:
            browser = _chromium(pw)
            page, _ = _open(browser, url, "en-US")

            def streamed(question):
                """Seconds until the first words stream in behind the cursor, and until
                they are replaced by the checked answer with its paragraph in the pane."""
                page.locator("#question textarea").fill(question)
                t0 = time.perf_counter()
                page.locator("#question textarea").press("Enter")
                last = page.locator("#chat .message-row").last
                expect(last).to_contain_text(re.compile(r"\w+.*▌"), timeout=180_000)
                first = time.perf_counter() - t0
                expect(page.locator("#source-pane")).to_contain_text(question[:40], timeout=180_000)
                expect(page.locator("#source-pane mark").first).to_be_visible()
                expect(last).not_to_contain_text("▌")
                return last, first, time.perf_counter() - t0

            last, first_s, total_s = streamed("Which organisations help Dutch schools deal with AI?")
            expect(last).to_contain_text("qwen2.5-coder-1.5b")
            page.screenshot(path=str(ARTIFACTS / "streamed-en.png"), full_page=True)
            # a second question, the model's prefix cache now holding another question
            _, warm_first_s, warm_total_s = streamed("Welk streefcijfer geldt voor leermobiliteit in het mbo?")
            browser.close()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "timings-generated.txt").write_text(
            f"first question (model loaded): first streamed words {first_s:.2f} s, checked answer {total_s:.2f} s\n"
            f"second question: first streamed words {warm_first_s:.2f} s, checked answer {warm_total_s:.2f} s\n")
    finally:
        stop_app(proc)


@pytest.mark.llm
@pytest.mark.browser
def test_the_selecting_writer_shows_the_quotes_while_the_model_chooses(built, llm_file):
    """The default writer: the scoring's quotes are on screen at once (behind the
    cursor), and the model's answer, which quotes them too, replaces them."""
    from playwright.sync_api import expect, sync_playwright

    proc, url = start_app(built, ASSISTANT_BACKEND="local", ASSISTANT_LLM_MODEL=str(llm_file))
    try:
        wait_until_warm(built)  # until then the answer is quoted at once, without the model
        with sync_playwright() as pw:
            browser = _chromium(pw)
            page, _ = _open(browser, url, "nl-NL")
            page.locator("#question textarea").fill("Welk streefcijfer geldt voor leermobiliteit in het mbo?")
            t0 = time.perf_counter()
            page.locator("#question textarea").press("Enter")
            last = page.locator("#chat .message-row").last
            expect(last).to_contain_text(re.compile(r"12%.*▌", re.S), timeout=60_000)
            draft_s = time.perf_counter() - t0
            expect(last).to_contain_text("Door AI gekozen", timeout=180_000)
            expect(last).not_to_contain_text("▌")
            expect(last).to_contain_text("12%")
            answer_s = time.perf_counter() - t0
            browser.close()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "timings-selected.txt").write_text(
            f"quotes on screen {draft_s:.2f} s, the model's answer {answer_s:.2f} s\n")
        assert draft_s < answer_s
    finally:
        stop_app(proc)


@pytest.fixture
def own_app(built, tmp_path):
    """An app over a copy of the index, so uploads leave the shared one as it was."""
    from dataclasses import replace

    data = tmp_path / "data"
    shutil.copytree(built.data_dir, data, ignore=shutil.ignore_patterns("app.log", "feedback.sqlite"))
    settings = replace(built, data_dir=data)
    proc, url = start_app(settings)
    yield settings, url
    stop_app(proc)


@pytest.mark.browser
def test_upload_indexes_documents_and_answers_from_them(own_app, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    sys.path.insert(0, str(REPO / "tests" / "index"))
    from sample_docs import make_docx, make_pdf

    settings, url = own_app
    pdf = make_pdf(tmp_path / "nota-bibliotheek.pdf")
    docx = make_docx(tmp_path / "notitie museum.docx")
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with sync_playwright() as pw:
        browser = _chromium(pw)
        page, _ = _open(browser, url, "nl-NL")
        page.locator("#upload-accordion").get_by_text("Documenten toevoegen").click()
        page.locator("#upload input[type=file]").set_input_files([str(pdf), str(docx), str(broken)])
        t0 = time.perf_counter()
        page.locator("#upload-button").click()
        status = page.locator("#upload-status")
        expect(status).to_contain_text("3 bestand(en) toegevoegd", timeout=180_000)
        index_s = time.perf_counter() - t0
        expect(status).to_contain_text("Overgeslagen: kapot.pdf (niet leesbaar als PDF")  # the reason in Dutch
        # stored inside the data directory, under a safe name
        assert sorted(p.name for p in (settings.data_dir / "uploads").iterdir()) == [
            "kapot.pdf", "nota-bibliotheek.pdf", "notitie_museum.docx"]
        page.locator("#documents input").click()
        expect(page.get_by_role("option", name=re.compile("Nota AI in de bibliotheek"))).to_be_visible()
        page.keyboard.press("Escape")
        _ask(page, "Hoeveel geld vraagt het college voor de proef met het taalmodel?")
        expect(page.locator("#chat .message-row").last).to_contain_text("40.000 euro")
        pane = page.locator("#source-pane")
        expect(pane).to_contain_text("Nota AI in de bibliotheek")
        expect(pane).to_contain_text("pagina")
        page.screenshot(path=str(ARTIFACTS / "upload-nl.png"), full_page=True)
        browser.close()
    (ARTIFACTS / "timings-upload.txt").write_text(f"upload and index 3 files {index_s:.2f} s\n")


@pytest.mark.browser
@pytest.mark.llm
def test_cold_start_answers_at_once_while_the_model_loads(built, llm_file):
    """The first question right after the app starts does not wait for the
    answer model (~36 s to load on 2 cores): it gets the quotes, with a note
    that the written mode is getting ready. The seconds go to test-artifacts."""
    from playwright.sync_api import expect, sync_playwright

    t_start = time.perf_counter()
    proc, url = start_app(built, ASSISTANT_BACKEND="local", ASSISTANT_LLM_MODEL=str(llm_file))
    try:
        with sync_playwright() as pw:
            browser = _chromium(pw)
            page, load_s = _open(browser, url, "nl-NL")
            answer_s = _ask(page, "Welk streefcijfer geldt voor leermobiliteit in het mbo?")
            since_start = time.perf_counter() - t_start
            last = page.locator("#chat .message-row").last
            expect(last).to_contain_text("12%")
            text = last.inner_text()
            warming = "nog geladen" in text
            # either the model was still loading (quotes, said so) or it was ready (chosen by it)
            assert warming or "qwen2.5-coder-1.5b" in text, text[-400:]
            page.screenshot(path=str(ARTIFACTS / "cold-start.png"), full_page=True)
            browser.close()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "timings-cold-start.txt").write_text(
            f"app started and page loaded: {since_start - answer_s:.1f} s (page {load_s:.1f} s); first answer "
            f"{answer_s:.1f} s after asking, {since_start:.1f} s after start; "
            f"{'quotes while the model loaded' if warming else 'written by the model'}\n")
    finally:
        stop_app(proc)


@pytest.mark.browser
def test_the_page_speaks_the_browsers_language_from_its_first_paint(built):
    """While the freshly started app still opens its index (the load event
    waits for it), the header and the source pane already speak the browser's
    language: the first text the pane ever shows is recorded in the page."""
    from playwright.sync_api import sync_playwright

    first_text = """() => {
      window.__pane = [];
      new MutationObserver(() => {
        const pane = document.querySelector('#source-pane');
        const text = pane ? pane.innerText.trim() : '';
        if (text && window.__pane[window.__pane.length - 1] !== text) window.__pane.push(text);
      }).observe(document, {subtree: true, childList: true, characterData: true});
    }"""
    proc, url = start_app(built)
    try:
        with sync_playwright() as pw:
            browser = _chromium(pw)
            for locale, title, pane in (("en-US", "Policy assistant", "Ask a question"),
                                        ("nl-NL", "Beleidsassistent", "Stel een vraag")):
                context = browser.new_context(locale=locale)
                context.add_init_script(f"({first_text})()")
                page = context.new_page()
                page.goto(url, wait_until="domcontentloaded")
                page.locator("#question textarea").wait_for(timeout=60_000)
                page.wait_for_function("window.__pane && window.__pane.length > 0", timeout=30_000)
                shown = page.evaluate("window.__pane")
                assert shown[0].startswith(pane), (locale, shown)
                assert title in page.locator("h2").first.inner_text()
                context.close()
            browser.close()
    finally:
        stop_app(proc)
