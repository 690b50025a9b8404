"""Split paragraph text into sentences, with their offsets.

Dutch policy prose is full of abbreviations that end in a full stop
("o.a.", "m.b.t.", "jl.", "nr.", "incl.") that must not end a sentence.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

_ABBREV = {
    "o.a", "m.b.t", "jl", "nr", "incl", "e.d", "bijv", "d.w.z", "t.a.v", "i.c.m", "m.n", "z.g.a.n",
    "dhr", "mevr", "drs", "dr", "prof", "ir", "mr", "e.g", "i.e", "etc", "vs", "art", "blz", "p", "no",
    "r.h", "jr", "sr", "st", "ca", "resp", "evt", "mln", "mld",
}
_END = re.compile(r"[.!?…]+[»\"')\]]*(?=\s+|$)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; list items are sentences of their own."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        base, seg = line.start(), line.group()
        start = 0
        for m in _END.finditer(seg):
            word = re.search(r"(\S+)$", seg[:m.start()])
            token = (word.group(1) if word else "").lower().rstrip(".")
            # an abbreviation, an initial ("R.H.") or a list item's number ("2. Financiële …") does not end a
            # sentence; a day's number inside a line does ("… planned for May 13. I will participate …")
            marker = token.isdigit() and len(token) <= 2 and not seg[:word.start()].strip(" -*#\t") if word else False
            if m.group().startswith(".") and (token in _ABBREV or re.fullmatch(r"(?:[a-z]\.)*[a-z]", token)
                                              or marker):
                continue
            nxt = seg[m.end():].lstrip()
            if nxt and nxt[0].islower():  # "jl. de Commissie": not a sentence break
                continue
            end = m.end()
            if seg[start:end].strip():
                spans.append(_trim(seg, start, end, base))
            start = end
        if seg[start:].strip():
            spans.append(_trim(seg, start, len(seg), base))
    return spans


def _trim(seg: str, start: int, end: int, base: int) -> tuple[int, int]:
    while start < end and seg[start].isspace():
        start += 1
    while end > start and seg[end - 1].isspace():
        end -= 1
    return base + start, base + end


# words a sentence opens with when it points back ("Deze strategieën …", "This means …"), both languages
ANAPHORS = frozenset(w for lang, words in json.loads((Path(__file__).parent / "anaphors.json").read_text(
    encoding="utf-8")).items() if not lang.startswith("_") for w in words)
_FIRST_WORD = re.compile(r"\w+")


def leans_back(sentence: str) -> bool:
    """Does the sentence open by pointing back to the one before it?"""
    first = _FIRST_WORD.search(sentence)
    return bool(first) and first.group().lower() in ANAPHORS


def read_alone(text: str, spans: list[tuple[int, int]], k: int) -> str:
    """What sentence ``k`` of ``text`` means read on its own: the sentence,
    after the one before it when it points back to it. "Deze strategieën …
    zullen tegen eind 2026 … worden gecommuniceerd" is about the strategies
    the sentence before names; read alone, its vector misses what is asked."""
    a, b = spans[k]
    if k and leans_back(text[a:b]):
        return f"{text[spans[k - 1][0]:spans[k - 1][1]]} {text[a:b]}"
    return text[a:b]
