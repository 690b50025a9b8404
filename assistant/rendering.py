"""Quote in the asker's language: the index-time English rendering of a Dutch
sentence, labelled as a machine translation, with the Dutch original kept.

Renderings are per paragraph (``sources/translations.en.jsonl``); a sentence
of the paragraph maps to the rendering's sentence at the same position when
both split into as many sentences, otherwise to the rendering sentences in the
same stretch of the text by position. A rendering is shown only when its
names, numbers and policy terms match the Dutch sentence ("Kennisnet", not
"KnowledgeNet"; "23%", not "25%"; "member states", not "members"): otherwise
the Dutch is quoted, as the sources say it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from index import glossary
from index.sentences import split_sentences

from .messages import LEXICON_DIR, language_file
from .types import Shown

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_TOKEN = re.compile(r"[\w-]+", re.UNICODE)


@lru_cache(maxsize=2)
def _glossary(source: str = "nl") -> dict[str, list[str]]:
    """Words capitalised as names that a translation from ``source`` rightly
    changes ("Raad" → "Council", "Council" → "Raad"); every other name must
    come through as written."""
    data = language_file(LEXICON_DIR, source)
    return {k.lower(): [v.lower() for v in vs] for k, vs in data.get("translated_names", {}).items()}


def numbers(text: str) -> list[str]:
    return sorted(n.replace(",", ".") for n in _NUMBER.findall(text))


def names(sentence: str) -> list[str]:
    """Tokens a translation must keep: acronyms, words with inner capitals,
    and capitalised words inside the sentence (not its first word)."""
    out = []
    for i, tok in enumerate(_TOKEN.findall(sentence)):
        if tok.isdigit() or len(tok) < 2:
            continue
        acronym = sum(c.isupper() for c in tok) >= 2
        if acronym or (i > 0 and tok[0].isupper()):
            out.append(tok)
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
    return any(alt in low for alt in _glossary(source).get(key, []))


def faithful(dutch: str, english: str, source: str = "nl") -> bool:
    """Names, numbers and policy terms (``index.glossary``: a *streefcijfer* is
    a target, not a statistic) of the Dutch sentence survive in the English one
    (with ``source="en"``: names and numbers of an English sentence in its Dutch rendering)."""
    if numbers(dutch) != numbers(english) or (source == "nl" and glossary.missing(dutch, english)):
        return False
    return all(_kept(n, english, source) for n in names(dutch))


def _align(spans: list[tuple[int, int]], text: str, rendering: str, k: int) -> str | None:
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


def shown(paragraph: str, span: tuple[int, int], rendering: str | None, source: str = "nl") -> Shown:
    """The sentence at ``span`` of ``paragraph``, in the other language when a
    faithful rendering of it exists, else as written."""
    original = paragraph[span[0]:span[1]]
    if not rendering:
        return Shown(original, False, original)
    spans = split_sentences(paragraph)
    if span in spans:
        english = _align(spans, paragraph, rendering, spans.index(span))
    elif span == (0, len(paragraph)):  # a whole unit (a heading, a short paragraph)
        english = rendering
    else:
        english = None
    if english and faithful(original, english, source):
        return Shown(english.strip(), True, original)
    return Shown(original, False, original)


def renderer(lang: str, translations):
    """Quotes in the asker's language: English askers get the labelled
    rendering of each Dutch sentence, Dutch askers that of each English one,
    when it is faithful; a sentence with no rendering (one in the asker's own
    language) as written. ``translations(target)``: the cache of renderings
    into ``target`` (opened only when needed)."""
    if lang not in ("en", "nl"):
        return None
    cache = translations(lang)
    source = "nl" if lang == "en" else "en"
    return lambda p, span: shown(p.text, span, cache.get(p.text), source)
