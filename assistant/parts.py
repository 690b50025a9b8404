"""Multi-part questions: "Welke structuur stelt NEMO voor en welke
werkplaatsen zou de Commissie kunnen faciliteren?" asks two things, often
answered in two paragraphs far apart. Searched as one, the second paragraph
ranks 2–9 behind long paragraphs about the first part. Each part is searched
on its own as well, and the best paragraph of each part leads the ranking.
"""
from __future__ import annotations

import re

# a second question word after "en"/"and": where one question becomes two
_SPLIT = re.compile(r",?\s+(?:en|and)\s+(?=(?:welke|wat|wie|waar|wanneer|hoe|waarom|hoeveel|is|zijn|zal|wil|"
                    r"which|what|who|where|when|how|why|is|are|does|do|will|did)\b)", re.I)
MIN_WORDS = 3  # a part shorter than this is not a question of its own


def split(question: str) -> list[str]:
    """The parts of a question, or [] when it asks one thing."""
    parts = [p.strip(" ?") for p in _SPLIT.split(question) if p.strip(" ?")]
    if len(parts) < 2 or any(len(p.split()) < MIN_WORDS for p in parts):
        return []
    return parts


def merge(whole: list, per_part: list[list], key=lambda p: p.id) -> list:
    """The best of each part first (in part order), then the whole question's ranking."""
    out, seen = [], set()
    for ranking in per_part:
        for p in ranking[:1]:
            if key(p) not in seen:
                out.append(p)
                seen.add(key(p))
    for p in whole:
        if key(p) not in seen:
            out.append(p)
            seen.add(key(p))
    return out[:max(len(whole), len(out))]
