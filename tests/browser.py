"""Chromium through Playwright, for the tests that drive the workspace like a user."""
import os
import time
from pathlib import Path

import pytest


def chromium(pw):
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        pytest.fail(f"Chromium not found at {chromium}: run the README test command, which installs it")
    return pw.chromium.launch(executable_path=chromium, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"])


def open_page(browser, url, locale):
    """A page in ``locale``; returns it with its load time (until the question box is ready)."""
    page = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1100},
                               accept_downloads=True).new_page()
    t0 = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.locator("#question textarea").wait_for(timeout=60_000)
    return page, time.perf_counter() - t0


def ask_in_page(page, question):
    """Type and send a question; returns the seconds until the cited paragraph is highlighted in the pane."""
    n = page.locator("#chat .message-row").count()
    page.locator("#question textarea").fill(question)
    t0 = time.perf_counter()
    page.locator("#question textarea").press("Enter")
    from playwright.sync_api import expect

    expect(page.locator("#chat .message-row")).to_have_count(n + 2, timeout=60_000)
    expect(page.locator("#source-pane")).to_contain_text(question[:40], timeout=120_000)
    return time.perf_counter() - t0
