"""Questions that are not about any document: a greeting, thanks, the time,
the weather, "who are you?".

Such a question has nothing for retrieval to find, yet e5 scores short texts
close to short texts: "Wat is het weer morgen?" and "Hoe laat is het?" sat just
above the refusal threshold and were answered with quotes about AI policy. They
are recognised by their whole wording (``small_talk`` in assistant/lexicon,
both languages whatever the question's), never by a word inside a real
question: "Hoe gaat het met de onderhandelingen?" is a question for the sources.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .messages import LANGS, LEXICON_DIR, language_file


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    wordings = [p for lang in LANGS for p in language_file(LEXICON_DIR, lang).get("small_talk", [])]
    return re.compile(r"^\W*(?:" + "|".join(f"(?:{w})" for w in wordings) + r")[\s!?.,:;)]*$", re.I)


def small_talk(question: str) -> bool:
    """Is the whole question a greeting, thanks or a question about the world outside the sources?"""
    return bool(_pattern().match(" ".join(question.split())))
