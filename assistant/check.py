"""Check what a caller asks before anything is searched: the question (text,
not empty, not too long, Dutch or English), the conversation history and the
options. Each problem is an ``AssistantError`` worded in the user's language
(in both, where the language is not known yet)."""
from __future__ import annotations

from settings import Tuned

from . import language
from .clean import NotAQuestion, clean, tidy
from .messages import AssistantError
from .smalltalk import language_of

MODES = (None, "generative", "extractive")
LANGUAGES = (None, "", "auto", "nl", "en")


def options(mode: str | None, answer_language: str | None) -> None:
    """A caller's mistake should not cost a retrieval: checked first."""
    if mode not in MODES:
        raise AssistantError("bad_mode", "", mode=mode)
    if answer_language not in LANGUAGES:
        raise AssistantError("bad_language", "", language=answer_language)


def history(turns) -> None:
    if turns is not None and not (isinstance(turns, list) and all(isinstance(h, dict) for h in turns)):
        raise AssistantError("bad_history", "")


def question(text, max_chars: int, lang: str | None = None) -> tuple[str, str]:
    """The question cleaned, with its language ("nl" / "en"). ``lang``: the
    language already known (a part of a checked question, whose few words
    language detection may take for another language)."""
    if text is not None and not isinstance(text, str):  # e.g. a number or a list from an API client
        raise AssistantError("not_text", "")
    text = (text or "").strip()
    if not text:
        raise AssistantError("empty_question", "")
    if len(text) > max_chars:
        lang = language.detect(tidy(text[:Tuned.DETECT_CHARS])).lang
        raise AssistantError("question_too_long", lang, length=len(text), limit=max_chars)
    try:
        text = clean(text)
    except NotAQuestion as e:  # no language to speak of: the message comes in both
        raise AssistantError(e.code, "") from None
    if lang is not None:
        return text, lang
    detected = language.detect(text)
    if not detected.supported:
        if own := language_of(text):  # a greeting in our own wordings is Dutch or English, whatever langdetect says
            return text, own
        raise AssistantError("unsupported_language", detected.lang, guess=detected.guess)
    return text, detected.lang
