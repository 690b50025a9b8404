"""Bare web addresses: a footnote or a line that is only a URL says nothing
itself, yet its vector carries the sentence that cites it, so it scored high
against any question on that sentence's topic. It is shown only to a question
that asks for a link or a website."""
from __future__ import annotations

import re

_BARE_LINK = re.compile(r"^\W*(https?://|www\.)\S+\W*$", re.I)
_LINK_Q = re.compile(r"\b(link|url|website|webpagina|webpage|site|waar (kan ik|vind ik)|where (can i|do i) find)\b", re.I)


def bare_link(text: str) -> bool:
    """Is ``text`` (a sentence or a paragraph) only a web address?"""
    return bool(_BARE_LINK.match(text))


def asks_for_link(question: str) -> bool:
    return bool(_LINK_Q.search(question))
