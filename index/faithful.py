"""Is a rendering true to its source sentence? Its names, numbers and policy
terms must come through ("Kennisnet", not "KnowledgeNet"; "23%", not "25%";
"member states", not "members"); a sentence of a paragraph is matched to its
part of the paragraph's rendering first (``align``).

The build uses this to render alone the sentences whose part of their
paragraph's rendering fails (index/translate.py); answering, to choose what an
asker in the other language is shown (assistant/rendering.py).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from . import glossary
from .sentences import split_sentences

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_TOKEN = re.compile(r"[\w-]+", re.UNICODE)


@lru_cache(maxsize=2)
def _translated_names(source: str = "nl") -> dict[str, list[str]]:
    """Words capitalised as names that a translation from ``source`` rightly
    changes ("Raad" → "Council", "Council" → "Raad"); every other name must
    come through as written."""
    data = json.loads((Path(__file__).parent / "prompts" / f"names_{source}.json").read_text(encoding="utf-8"))
    return {k.lower(): [v.lower() for v in vs] for k, vs in data["translated_names"].items()}


# digits grouped by threes: "21 501", "22,112", "36.200" (a document number or a thousand,
# written with the other language's separator) are one number
_GROUPED = re.compile(r"\b\d{1,3}(?:[ .,]\d{3})+\b")


def numbers(text: str) -> list[str]:
    text = _GROUPED.sub(lambda m: re.sub(r"\D", "", m.group()), text)
    return sorted(n.replace(",", ".") for n in _NUMBER.findall(text))


def names(sentence: str) -> list[str]:
    """Words a translation must keep: acronyms and capitalised words inside
    the sentence (not its first word, after any list dash or number). A
    compound counts part by part: "AI-toepassingen" keeps "AI" and may
    translate "toepassingen"."""
    out = []
    words = [t for t in _TOKEN.findall(sentence) if any(c.isalpha() for c in t)]
    for i, tok in enumerate(words):
        for j, part in enumerate(tok.split("-")):
            if len(part) < 2 or part.isdigit():
                continue
            acronym = sum(c.isupper() for c in part) >= 2
            if acronym or ((i or j) and part[0].isupper()):
                out.append(part)
    return out


def _kept(name: str, english: str, source: str = "nl") -> bool:
    low = english.lower()
    key = name.lower()
    if key in low:
        return True
    # "Europese" → "European", "Commissie" → "Commission": the same word, translated
    if len(key) >= 6 and key[:4] in low and any(w.startswith(key[:4]) for w in _TOKEN.findall(low)):
        return True
    parts = key.split("-")
    if len(parts) > 1 and all(_kept(p, english, source) for p in parts if len(p) >= 2):
        return True
    return any(alt in low for alt in _translated_names(source).get(key, []))


def lost(dutch: str, english: str, source: str = "nl") -> list[str]:
    """The names and numbers of ``dutch`` that ``english`` does not carry: what a
    rendering made again is asked to keep as written."""
    theirs = numbers(english)
    written = re.findall(rf"{_GROUPED.pattern}|{_NUMBER.pattern}", dutch)  # "22 112" as one
    gone = [n for n in dict.fromkeys(written) if numbers(n) and numbers(n)[0] not in theirs]
    return gone + [n for n in dict.fromkeys(names(dutch)) if not _kept(n, english, source)]


@lru_cache(maxsize=2)
def _negation(lang: str) -> re.Pattern:
    words = json.loads((Path(__file__).parent / "prompts" / "negation.json").read_text(encoding="utf-8"))[lang]

    def one(w: str) -> str:
        # "no. 321" abbreviates "number"
        core = re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else r"(?!\w)(?!\.\s*\d)")
        return (r"(?<!\w)" if "'" not in w else "") + core  # "n't" ends a word: "doesn't"

    return re.compile("|".join(one(w) for w in words), re.I)


def negated(text: str, lang: str) -> bool:
    """Does ``text`` say that something is not so, or is to be prevented (``prompts/negation.json``)?"""
    return bool(_negation(lang).search(text))


@lru_cache(maxsize=2)
def _day_words(lang: str) -> list[re.Pattern]:
    rows = json.loads((Path(__file__).parent / "prompts" / "days.json").read_text(encoding="utf-8"))["days"]
    return [re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, row[lang])) + r")(?!\w)", re.I) for row in rows]


def days_named(text: str, lang: str) -> set[int]:
    """The days ``text`` names by their place in time or in the week ("gisteren", "on Tuesday"), as
    indices into ``prompts/days.json``."""
    return {i for i, pattern in enumerate(_day_words(lang)) if pattern.search(text)}


def faithful(dutch: str, english: str, source: str = "nl") -> bool:
    """Names, numbers and policy terms (``index.glossary``: a *streefcijfer* is
    a target, not a statistic) of the Dutch sentence survive in the English one,
    and so do a negation (neither lost nor added) and a day named ("gisteren", "dinsdag")
    (with ``source="en"``: names and numbers of an English sentence in its Dutch rendering)."""
    if numbers(dutch) != numbers(english) or (source == "nl" and glossary.missing(dutch, english)):
        return False
    target = "en" if source == "nl" else "nl"
    if negated(dutch, source) != negated(english, target):
        return False
    if days_named(dutch, source) != days_named(english, target):  # "gisteren" is not "on Tuesday"
        return False
    return all(_kept(n, english, source) for n in names(dutch))


def align(spans: list[tuple[int, int]], text: str, rendering: str, k: int) -> str | None:
    """The rendering's sentence(s) for sentence ``k`` of the paragraph."""
    r_spans = split_sentences(rendering)
    if not r_spans:
        return None
    if len(r_spans) == len(spans):
        a, b = r_spans[k]
        return rendering[a:b]
    # counts differ (the model joined two sentences, or split one): the rendering
    # sentences whose middle falls in the same stretch of the text, by position.
    # Matching by shared names instead gave two Dutch sentences the same English
    # one, and one of them only half its translation ("… competence centre" lost)
    low = spans[k - 1][1] if k else 0
    high = spans[k][1] if k + 1 < len(spans) else len(text)
    lo, hi = low / len(text), high / len(text)
    group = [(a, b) for a, b in r_spans if lo <= (a + b) / 2 / len(rendering) < hi]
    return rendering[group[0][0]:group[-1][1]] if group else None


def part(paragraph: str, span: tuple[int, int], rendering: str | None) -> str | None:
    """What of ``rendering`` (the whole paragraph's) renders the sentence at ``span``."""
    if not rendering:
        return None
    spans = split_sentences(paragraph)
    if span in spans:
        return align(spans, paragraph, rendering, spans.index(span))
    return rendering if span == (0, len(paragraph)) else None  # a whole unit (a heading, a short paragraph)


# a list item's number or dash: the model often drops it ("1. Een politieke visie …" → "A policy vision …")
_MARKER = re.compile(r"^\s*(?:\d{1,2}[.)]|[-–•])\s+")


def _marked(original: str, english: str) -> str:
    """The rendering with the original's list marker put back where the model dropped it:
    the marker is layout, not translation, so code restores it rather than showing the original."""
    m = _MARKER.match(original)
    return f"{m.group().strip()} {english.lstrip()}" if m and not _MARKER.match(english) else english


def rendered(paragraph: str, span: tuple[int, int], rendering: str | None, source: str = "nl",
             alone: str | None = None) -> str | None:
    """The sentence at ``span`` in the other language, as an asker of it is shown it: its part
    of the paragraph's ``rendering``, else its rendering ``alone``, whichever is true to it
    first; None when neither is. The quotes show this, and the build embeds it."""
    original = paragraph[span[0]:span[1]]
    for english in (part(paragraph, span, rendering), alone):
        english = english and _marked(original, english)
        if english and faithful(original, english, source):
            return english.strip()
    return None


def unfaithful(paragraph: str, rendering: str | None, source: str = "nl") -> list[str]:
    """The sentences of a paragraph of several whose part of its rendering is
    not true to them: each is worth rendering alone (a one-sentence paragraph's
    rendering is already its sentence's)."""
    spans = split_sentences(paragraph)
    if not rendering or len(spans) < 2:
        return []
    out = []
    for span in spans:
        english = part(paragraph, span, rendering)
        sentence = paragraph[span[0]:span[1]]
        if not english or not faithful(sentence, english, source):
            out.append(sentence.strip())
    return out
