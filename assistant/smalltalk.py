"""Questions that are not about any document: a greeting or thanks ("Dank je
wel!", "Who are you?"), or the world outside the sources (the time, the weather).

Such a question has nothing for retrieval to find, yet e5 scores short texts
close to short texts: "Wat is het weer morgen?" and "Hoe laat is het?" sat just
above the refusal threshold and were answered with quotes about AI policy. They
are recognised by their whole wording (``greetings`` and ``small_talk`` in
assistant/lexicon, both languages whatever the question's), never by a word
inside a real question: "Hoe gaat het met de onderhandelingen?" is a question
for the sources.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .messages import LANGS, LEXICON_DIR, language_file

KINDS = ("greetings", "small_talk")


@lru_cache(maxsize=8)
def _pattern(kind: str, lang: str) -> re.Pattern:
    wordings = language_file(LEXICON_DIR, lang).get(kind, [])
    return re.compile(r"^\W*(?:" + "|".join(f"(?:{w})" for w in wordings) + r")[\s!?.,:;)]*$", re.I)


def _match(question: str) -> tuple[str, str]:
    text = " ".join(question.split())
    return next(((kind, lang) for kind in KINDS for lang in LANGS if _pattern(kind, lang).match(text)), ("", ""))


def small_talk(question: str) -> str:
    """"greetings" for a greeting or thanks, "small_talk" for a question about
    the world outside the sources, "" for a question to look up."""
    return _match(question)[0]


def language_of(question: str) -> str:
    """The language whose wordings hold the whole question, or "": "Hallo" reads
    as Finnish to langdetect, and a greeting should not be told to use Dutch."""
    return _match(question)[1]
