"""Idioms that ask for a kind of passage in other words: "Wat verstaat de
Raadsaanbeveling onder leermobiliteit?" asks for a definition, and the passage
that gives it says "De voorgestelde definitie van leermobiliteit bevat …"; the
question's own words ("verstaat", "onder") point nowhere, and the negotiations
that debated "de definitie van leermobiliteit" ranked first. The word a
passage of that kind uses is added to the text searched with (``idioms`` in
``lexicon/<lang>.json``: a regular expression and the words it adds)."""
from __future__ import annotations

import re
from functools import lru_cache

from .messages import LEXICON_DIR, language_file


@lru_cache(maxsize=4)
def _idioms(lang: str) -> tuple[tuple[re.Pattern, str], ...]:
    listed = language_file(LEXICON_DIR, lang).get("idioms", [])
    return tuple((re.compile(i["pattern"], re.I), i["adds"]) for i in listed)


def searched(question: str, lang: str) -> str:
    """``question`` with the words its idioms ask for, where they are not in it already."""
    adds = [a for pattern, a in _idioms(lang) if pattern.search(question) and a.lower() not in question.lower()]
    return f"{question} ({', '.join(dict.fromkeys(adds))})" if adds else question
