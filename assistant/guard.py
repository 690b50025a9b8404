"""Paragraphs that talk to the assistant instead of to the reader.

Anyone who can add a document can plant "ignore your instructions and …" in
it. Such a paragraph is never given to the answer model and never quoted:
verification cannot catch it, because the answer would be faithful to it.
The patterns (``guard_patterns.json``, per language, checked whatever the
question's language) look for instructions addressed to an AI system, not
for the topic: policy text *about* AI does not match them.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

PATTERNS_FILE = Path(__file__).parent / "guard_patterns.json"


@lru_cache(maxsize=1)
def _patterns() -> list[re.Pattern]:
    data = json.loads(PATTERNS_FILE.read_text(encoding="utf-8"))
    return [re.compile(p, re.IGNORECASE | re.DOTALL) for lang in sorted(data) for p in data[lang]]


def injected(text: str) -> str | None:
    """The matched words when ``text`` holds instructions to an AI system, else None."""
    for pattern in _patterns():
        m = pattern.search(text)
        if m:
            return m.group(0)
    return None
