"""User-facing text, one data file per language (assistant/prompts/*.json)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).parent / "prompts"
LEXICON_DIR = Path(__file__).parent / "lexicon"  # words the coverage check and the rendering check use
LANGS = ("nl", "en")


@lru_cache(maxsize=None)
def language_file(folder: Path, lang: str) -> dict:
    """``folder/<lang>.json`` (English for any other language), read once."""
    lang = lang if lang in LANGS else "en"
    return json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))


def messages(lang: str) -> dict:
    return language_file(PROMPTS_DIR, lang)


def text(lang: str, key: str, **params) -> str:
    return messages(lang)[key].format(**params)


def with_nearest(lang: str, refusal: str, quotes: str) -> str:
    """A refusal followed by what the sources do say nearest to the question (the
    quoted lines), the way every refusal that still has quotes reads."""
    return f"{refusal}\n\n{text(lang, 'nearest')}\n\n{quotes}" if quotes else refusal


def error_text(lang: str, code: str, **params) -> str:
    return messages(lang)["errors"][code].format(**params)


class AssistantError(Exception):
    """An error a user can act on: a code, and the message in their language."""

    def __init__(self, code: str, lang: str = "en", exit_code: int = 2, **params):
        self.code, self.lang, self.exit_code, self.params = code, lang, exit_code, params
        super().__init__(self.message())

    def message(self, lang: str | None = None) -> str:
        lang = lang or self.lang
        if not lang:  # language unknown (an empty question): say it in both
            return error_text("nl", self.code, **self.params) + "\n" + error_text("en", self.code, **self.params)
        return error_text(lang, self.code, **self.params)
