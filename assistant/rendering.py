"""Quote in the asker's language: the index-time English rendering of a Dutch
sentence, labelled as a machine translation, with the Dutch original kept.

Renderings are per paragraph (``sources/translations.en.jsonl``); a sentence
maps to its part of its paragraph's rendering (``index.faithful.part``), and
where that part is not true to it, to its own rendering, made alone at build
time. A rendering is shown only when its
names, numbers and policy terms match the Dutch sentence ("Kennisnet", not
"KnowledgeNet"; "23%", not "25%"; "member states", not "members"): otherwise
the Dutch is quoted, as the sources say it.
"""
from __future__ import annotations

from functools import lru_cache

from index.faithful import rendered

from .types import Shown


@lru_cache(maxsize=8192)  # the quotes' scoring asks for every candidate sentence, on every question
def shown(paragraph: str, span: tuple[int, int], rendering: str | None, source: str = "nl",
          alone: str | None = None) -> Shown:
    """The sentence at ``span`` of ``paragraph``, in the other language when a
    faithful rendering of it exists (its part of the paragraph's ``rendering``,
    else its rendering ``alone``), else as written."""
    original = paragraph[span[0]:span[1]]
    english = rendered(paragraph, span, rendering, source, alone)
    return Shown(english, True, original) if english else Shown(original, False, original)


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
    return lambda p, span: shown(p.text, span, cache.get(p.text), source, cache.get(p.text[span[0]:span[1]]))
