"""Refusal by coverage: is every restricting term of the question backed by
what the answer would quote?

A near-miss question ("Welk streefcijfer geldt voor het voortgezet
onderwijs?") retrieves the right topic with a high score — the sources give
targets, for mbo and higher education — so no score threshold refuses it. What
gives it away is a term the question restricts by (the school type, an
organisation, a year) that the chosen sentences, their headings and section
path do not hold. A term counts as backed by its stem, a compound part
("mobiliteit" in "leermobiliteit") or a listed abbreviation ("mbo").

Only terms that can be judged refuse: a name, an acronym or a number (what a
source that says nothing of it never writes), or a word the corpus uses
elsewhere (the sources speak of it, just not here). A word the corpus never
uses may be a synonym of what the sources write; the semantic signals judged
that already, so it does not refuse on its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.lexical import STOPWORDS
from .messages import language_file

LEXICON_DIR = Path(__file__).parent / "lexicon"
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
MIN_PART = 5  # shortest compound part that counts ("mobil" is too short to mean anything alone)


@dataclass(frozen=True)
class Term:
    word: str  # as written in the question
    name: bool  # a name, acronym or number: never a synonym of something else
    kind: str = "word"  # "number" | "name" | "restrictor" (lexicon) | "word"


@lru_cache(maxsize=2)
def lexicon(lang: str) -> dict:
    data = language_file(LEXICON_DIR, lang)
    return {"generic": set(data.get("generic", [])), "abbreviations": data.get("abbreviations", {}),
            "restrictors": set(data.get("restrictors", []))}


@lru_cache(maxsize=2)
def _stemmer(lang: str):
    import Stemmer

    return Stemmer.Stemmer("dutch" if lang == "nl" else "english")


def _possessive(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


def terms(question: str, lang: str) -> list[Term]:
    """The question's restricting terms: not its function or question words.
    A hyphenated word counts part by part ("EU-streefcijfer", "data-driven")."""
    lex = lexicon(lang)
    # both languages' function words: a Dutch question may carry English ones ("… ' OR '1'='1'")
    stop = STOPWORDS["nl"] | STOPWORDS["en"] | lex["generic"]
    out: list[Term] = []
    for i, raw in enumerate(_WORD.findall(question)):
        for w in _possessive(raw.strip("'’-")).split("-"):
            if not w or w.lower() in stop:
                continue
            if w.isdigit() and len(w) < 2:
                continue  # "1": a list position or noise; years, shares and amounts have two digits or more
            digits = w.isdigit()
            acronym = len(w) >= 2 and w.isupper()
            # capitalised inside the question (not its first word): a name
            capital = i > 0 and w[:1].isupper() and not acronym
            kind = ("number" if digits else "name" if (acronym or capital)
                    else "restrictor" if w.lower() in lex["restrictors"] else "word")
            if digits or acronym or len(w) >= 3:
                out.append(Term(w, name=digits or acronym or capital, kind=kind))
    return list({t.word.lower(): t for t in out}.values())


def _forms(word: str, lang: str) -> set[str]:
    low = word.lower()
    return {low, _stemmer(lang).stemWord(low), low[:6] if len(low) > 6 else low}


def backed(term: Term, text: str, lang: str) -> bool:
    """Is ``term`` found in ``text`` by stem, compound part or abbreviation?"""
    low_text = text.lower()
    words = _WORD.findall(low_text)
    words += [part for w in words if "-" in w for part in w.split("-") if part]  # "mbo-studenten" holds "mbo"
    if not words:
        return False
    stemmer = _stemmer(lang)
    stems = set(stemmer.stemWords(words)) | set(words)
    w = term.word.lower()
    if term.name:  # names and numbers as written (case aside)
        if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", low_text):
            return True
    else:
        forms = _forms(w, lang)
        if forms & stems or any(x.startswith(f) for f in forms if len(f) >= 6 for x in words):
            return True
        # compound parts: the term inside a word of the text, or a word of the text inside the term
        stem = stemmer.stemWord(w)
        if len(stem) >= MIN_PART and any(stem in x for x in words):
            return True
        # (not for a restrictor: "onderwijs" in the text does not back "basisonderwijs")
        if term.kind != "restrictor" and any(len(x) >= MIN_PART + 2 and x in w for x in words):
            return True
    for full in lexicon(lang)["abbreviations"].get(w, []):
        if full.lower() in low_text:
            return True
    return False


def uncovered(question: str, lang: str, texts: list[str], knows=None) -> list[str]:
    """The restricting terms of ``question`` that ``texts`` (the cited
    paragraphs with their headings, in every language they are shown in) do
    not back. ``knows(word)``: does the corpus use the word anywhere.

    - A number, or a restrictor from the lexicon (a school type, a measure,
      money), refuses whenever it is not backed: "voortgezet onderwijs" where
      the sources give targets for mbo and higher education only.
    - A name or acronym refuses when the corpus never uses it at all: an
      organisation or a country the sources do not involve (UNESCO,
      Duitsland, Google). One the corpus uses elsewhere (NEMO, the Council)
      was only written differently here.
    - Any other word does not refuse: measured on the dev split, unbacked
      plain words were mostly verbs and synonyms (false refusal 0.38)."""
    joined = "\n".join(texts)
    missing = []
    for t in terms(question, lang):
        if t.kind == "word" or backed(t, joined, lang):
            continue
        if t.kind in ("number", "restrictor") or (knows is not None and not knows(t.word)):
            missing.append(t.word)
    return missing


def texts_of(citations, headings=None, renderings=None) -> list[str]:
    """What the answer rests on: each cited paragraph as the source writes it
    and as shown, with its section path and document title, and, through
    ``headings`` / ``renderings``, their text in the asker's language."""
    out = []
    for c in citations:
        out += [c.text, *c.shown, c.section, c.doc_title, c.cited_by]
        if renderings is not None:
            out += [renderings(c.text) or "", renderings(c.cited_by) or "" if c.cited_by else ""]
        if headings is not None:
            out += [headings(h) or "" for h in c.section.split(" > ") if h]
    return out


def gate(composed, question: str, lang: str, headings=None, knows=None, renderings=None):
    """``composed`` as it is when the question's terms are covered; otherwise
    "not in the sources" about the missing terms, followed by what the sources
    do say about the nearest thing, cited."""
    from dataclasses import replace

    from .messages import text as msg

    if composed.refused or not composed.citations:
        return composed
    missing = uncovered(question, lang, texts_of(composed.citations, headings, renderings), knows)
    if not missing:
        return composed
    named = ", ".join(f"‘{m}’" for m in missing)
    quotes = composed.text.split("\n\n", 1)[1] if "\n\n" in composed.text else composed.text
    text = f"{msg(lang, 'coverage_refusal', missing=named)}\n\n{msg(lang, 'nearest')}\n\n{quotes}"
    return replace(composed, text=text, refused=True, reason=f"not covered: {', '.join(missing)}",
                   missing=tuple(missing))
