""""The second recommendation": a question that points at a numbered section.

A press release's recommendations, a letter's priorities, a report's chapters
are often numbered headings ("2. Financiële investeringen …"). Their text
rarely repeats the word the question uses ("recommendation"), so a question
that names one by its ordinal is matched to the n-th heading of the lead-in
that introduces the list, and that heading's section. The ordinal words are data (assistant/lexicon/<lang>.json).
"""
from __future__ import annotations

import re
from functools import lru_cache

from index.sentences import split_sentences

from .messages import LEXICON_DIR, language_file
from .types import Passage

_ENUMERATED = re.compile(r"^\s*(?:[-*]\s*)?\d+[.)]\s")
# "the last one", "de laatste aanbeveling": the lexicon's ordinals give it as -1, the list's final item
LAST = -1


def item_of(number: int | None, heads) -> str | None:
    """The heading an ordinal names among a lead-in's ``heads``: the n-th, or the last (``LAST``)."""
    if number == LAST:
        return heads[-1] if heads else None
    return heads[number - 1] if number and 1 <= number <= len(heads) else None


def section_title(p: Passage, listed=()) -> bool:
    """A heading unit that is a section's title, not an item of a list (numbered, or one of
    the headings a lead-in lists, ``listed``)."""
    return p.kind == "heading" and p.id not in listed and not _ENUMERATED.match(p.text)


@lru_cache(maxsize=1)
def _ordinals() -> dict[str, int]:
    out: dict[str, int] = {}
    for lang in ("nl", "en"):
        out.update(language_file(LEXICON_DIR, lang).get("ordinals", {}))
    return out


def asked_number(question: str) -> int | None:
    """The number an ordinal in the question names ("tweede", "second", "2nd"; ``LAST``), when it names one
    followed by a noun (not "in de eerste plaats", "first of all", which rank nothing)."""
    found = asked(question)
    return found[0] if found else None


@lru_cache(maxsize=1)
def _recent() -> frozenset[str]:
    return frozenset(w for lang in ("nl", "en") for w in language_file(LEXICON_DIR, lang).get("recent_nouns", []))


@lru_cache(maxsize=1)
def _fillers() -> frozenset[str]:
    return frozenset(w for lang in ("nl", "en") for w in language_file(LEXICON_DIR, lang).get("ordinal_fillers", []))


def asked(question: str) -> tuple[int, str] | None:
    """(number, the noun after the ordinal): "NEMO's second recommendation" → (2, "recommendation");
    "" for an ordinal that names none ("Kun je de tweede toelichten?", "the third one", "En de derde?")."""
    q = question.lower()
    # line by line: a follow-up is searched below the question it leans on ("En de derde?\nWat kost die?")
    for m in re.finditer(r"\b([a-z]+|\d{1,2}(?:st|nd|rd|th|e|de|ste))(?=[ \t]+([a-z-]+)|[ \t]*[?.!]*[ \t]*$)", q, re.M):
        word, noun = m.group(1), m.group(2) or ""
        noun = "" if noun in _fillers() else noun
        n = _ordinals().get(word)
        if n is None and word[:1].isdigit():
            n = int(re.match(r"\d+", word).group())
        # naming no noun, an ordinal points at an item after an article ("En de derde?", "the third one");
        # without one it is an adverb ("Why does the Netherlands want the methodology first?")
        before = q[:m.start()].split()[-1:]
        if not noun and not (before and before[0] in ("de", "het", "die", "dat", "deze", "the", "that", "this")):
            continue
        if n == LAST and noun in _recent():  # "the last years", "de laatste jaren": recent, no list's item
            continue
        if n and noun not in ("plaats", "place", "of", "all", "time", "keer", "instantie", "instance"):
            return n, noun
    return None


def under(heading_id: str, ids) -> list[str]:
    """The ids among ``ids`` of a heading unit's own section ("doc#slug/h" → "doc#slug/p1", …), in order."""
    if not heading_id.endswith("/h"):
        return []
    prefix = heading_id[:-1]
    return [i for i in ids if i.startswith(prefix) and i != heading_id and "/" not in i[len(prefix):]]


def item_place(para_id: str) -> int:
    """Where a paragraph sits under its heading: "…/p2" → 2; a heading (or any other id) 1."""
    m = re.search(r"/p(\d+)$", para_id)
    return int(m.group(1)) if m else 1


def asked_items(passages: list[Passage], question: str, shown=None) -> set[str]:
    """Ids of the item a question names by its ordinal: the n-th heading a retrieved
    lead-in introduces ("De drie aanbevelingen …:" → "2. Financiële investeringen …")
    and the paragraphs of that heading's section among ``passages``; only where the
    lead-in, or ``shown(lead_in)`` (its text in the asker's language), names what
    the question counts ("aanbeveling", "recommendation"): "de eerste Raad" is not
    the first of the recommendations."""
    found = asked(question)
    if not found:
        return set()
    number, noun = found
    stem = noun[:5]
    heads = [item_of(number, p.heads) for p in passages if item_of(number, p.heads)
             and (stem in p.text.lower() or (shown is not None and stem in shown(p).lower()))]
    if not noun:  # a follow-up's "de tweede": of the best-ranked list long enough, whatever it counts
        heads = heads[:1]
    ids = [p.id for p in passages]
    return set(heads) | {i for h in heads for i in under(h, ids)}


# an enumeration written out in prose: "De Raadsconclusies formuleren vier prioriteiten. Ten eerste …
# Ten tweede … Ten vierde …" has no headings to count, so "En de laatste?" had quoted the second and third


@lru_cache(maxsize=1)
def _prose() -> list[tuple[str, tuple[str, ...]]]:
    """(lead, last words) per language: "ten" before the ordinal, "Tot slot" for the last item."""
    return [(f.get("lead", ""), tuple(f.get("last", ()))) for f in
            (language_file(LEXICON_DIR, lang).get("prose_ordinals", {}) for lang in ("nl", "en"))]


def prose_rank(sentence: str) -> int | None:
    """The place a sentence opens in a prose enumeration: "Ten tweede moeten …" → 2, "Secondly, …" or
    "Second, …" → 2, "Tot slot …" / "Finally, …" → ``LAST``; None for any other sentence ("Eerste Kamer …")."""
    s = sentence.lstrip(" \t-*•«“\"(").lower()
    for lead, last in _prose():
        if any(re.match(rf"{re.escape(w)}\b", s) for w in last):
            return LAST
        if lead:  # "ten eerste", "ten vierde"
            m = re.match(rf"{re.escape(lead)}\s+([a-z]+)\b", s)
        else:  # "first,", "secondly", not "First the Commission …"
            m = re.match(r"([a-z]+?)(?:ly\b|\s*,)", s)
        if m and _ordinals().get(m.group(1), 0) > 0:
            return _ordinals()[m.group(1)]
    return None


def prose_ranks(text: str) -> list[int]:
    """The ranks a paragraph's sentences open with, in order (``LAST`` as written)."""
    return [r for r in (prose_rank(text[a:b]) for a, b in split_sentences(text)) if r is not None]


def prose_item(passages: list[Passage], question: str, shown=None) -> tuple[str, int] | None:
    """(paragraph id, rank) of the sentence a question names by its ordinal in an enumeration written out in
    prose (two ranked sentences at least): "the second priority" in the paragraph that names priorities
    (as written, or ``shown(p)``: in the asker's language); "En de laatste?" in the best-ranked such paragraph.
    The last is the highest rank written, or the sentence that says it is the last ("Tot slot …")."""
    found = asked(question)
    if not found:
        return None
    number, noun = found
    stem = noun[:5]

    def counts(p: Passage) -> bool:  # names what the question counts, or the question names nothing
        return not noun or stem in p.text.lower() or (shown is not None and stem in shown(p).lower())

    for p in passages:
        # a list of headings counts first where the question names its noun; named by no noun, the nearer
        # list is meant ("En de laatste?" after the four priorities, with NEMO's lead-in retrieved lower)
        if item_of(number, p.heads) and counts(p):
            return None
        ranks = prose_ranks(p.text)
        if len([r for r in ranks if r > 0]) + (LAST in ranks) < 2 or not counts(p):
            continue
        if number == LAST:
            return p.id, (LAST if LAST in ranks else max(ranks))
        return (p.id, number) if number in ranks else None
    return None
