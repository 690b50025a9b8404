"""English renderings of Dutch paragraphs (and Dutch ones of English
paragraphs), made once at index time.

English questions against Dutch text are the hard side of retrieval: the
multilingual vectors match across languages only loosely, and Dutch BM25 does
not match English words at all. An English rendering of every paragraph, by the
local model, gives English questions a monolingual index to search
(``<collection>_en`` vectors and an English BM25).

Renderings are cached by the hash of the Dutch text (and the model), in a JSON
lines file beside the sources, so a rebuild translates only new or changed text
and the shipped corpus needs no model at all. English sources get Dutch
renderings the same way (``translations.nl.jsonl``), which only quote them in
Dutch for Dutch askers: Dutch questions find English text through the
multilingual vectors already.
"""
from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

from . import glossary
from .faithful import faithful, lost, unfaithful
from .llm import LLM_NAME
from .paragraphs import content_hash
from .sentences import split_sentences

log = logging.getLogger(__name__)
# per target language: the prompt, the cache file, and the language of the texts rendered into it
PROMPTS = {t: json.loads((Path(__file__).parent / "prompts" / f"translate_{t}.json").read_text(encoding="utf-8"))
           for t in ("en", "nl")}
CACHE_NAMES = {"en": "translations.en.jsonl", "nl": "translations.nl.jsonl"}
CACHE_NAME = CACHE_NAMES["en"]
SOURCE = {"en": "nl", "nl": "en"}


def key(text: str) -> str:
    return content_hash(text.strip())


@dataclass
class TranslationCache:
    path: Path
    entries: dict[str, dict]
    target: str = "en"

    @classmethod
    def open(cls, sources_dir: Path, target: str = "en") -> "TranslationCache":
        path = Path(sources_dir) / CACHE_NAMES[target]
        entries: dict[str, dict] = {}
        if path.is_file():
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                try:
                    row = json.loads(line)
                    row["en"] = _without_preamble(row["en"])  # rows written before a cleaning rule was added
                    entries[row["key"]] = row
                except (ValueError, KeyError):
                    log.warning("%s:%d: unreadable translation line skipped", path.name, n)
        return cls(path, entries, target)

    def get(self, text: str) -> str | None:
        row = self.entries.get(key(text))
        return row["en"] if row else None

    def stale(self, text: str) -> bool:
        """Missing a glossary term the prompt did not ask for when it was
        rendered (the term was added since): worth one more rendering. A term
        it was asked for and still lacks is not retried: answering shows the Dutch."""
        row = self.entries.get(key(text))
        if self.target != "en" or not row:
            return False
        asked = set(row.get("asked", ())) if row.get("glossary") else set()
        return any(t not in asked for t in glossary.missing(text, row["en"]))

    def kept(self, text: str) -> bool:
        """Rendered once more with its lost names and numbers named (``Translator(keep=…)``)."""
        return bool(self.entries.get(key(text), {}).get("kept"))

    def pinned(self, text: str) -> bool:
        """Rendered once more with the glossary terms it lacked written in English in the text."""
        return bool(self.entries.get(key(text), {}).get("pinned"))

    def put(self, text: str, english: str, model: str, kept: bool = False, pinned: bool = False) -> None:
        row = {"key": key(text), "model": model, "nl": text.strip()[:60], "en": english, "glossary": True,
               "asked": [t.nl for t in glossary.held(text)] if self.target == "en" else []}
        if kept:
            row["kept"] = True
        if pinned:
            row["pinned"] = True
        self.entries[row["key"]] = row
        with self.path.open("a", encoding="utf-8") as f:  # append: an interrupted run keeps what it made
            f.write(json.dumps(row, ensure_ascii=False) + "\n")

    def prune(self, keep: set[str]) -> int:
        """Drop renderings of text no source holds any more, and the older rows
        of text rendered again; rewrite atomically."""
        gone = [k for k in self.entries if k not in keep]
        lines = len(self.path.read_text(encoding="utf-8").splitlines()) if self.path.is_file() else 0
        if not gone and lines == len(self.entries):
            return 0
        for k in gone:
            del self.entries[k]
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.entries.values()),
                       encoding="utf-8")
        tmp.replace(self.path)
        return len(gone)


class Translator:
    """Dutch → English (or, with ``target="nl"``, English → Dutch) with the
    local model, deterministic (temperature 0). The ``en`` key of a cache row
    holds the rendering in either direction."""

    def __init__(self, llm, model: str = LLM_NAME, target: str = "en"):
        self.llm, self.model, self.target = llm, model, target

    def into(self, target: str) -> "Translator":
        """The same model, rendering into ``target``."""
        return Translator(self.llm, self.model, target)

    def __call__(self, text: str, keep: list[str] | tuple[str, ...] = (), pin: list[str] | tuple[str, ...] = ()) -> str:
        """``keep``: names and numbers a first rendering lost, named in the prompt; ``pin``: glossary
        terms it lacked, written in English in the text the model reads."""
        if pin and self.target == "en":
            text = glossary.written_in_english(text, list(pin))
        n_in = len(self.llm.tokenize(text.encode("utf-8"), add_bos=False))
        prompt = PROMPTS[self.target]
        terms = glossary.instructions(text) if self.target == "en" else ""
        pinned = prompt["keep"].format(words=", ".join(f"'{w}'" for w in keep)) if keep else ""
        system = " ".join(x for x in (prompt["system"], terms, pinned) if x)
        out = self.llm.create_chat_completion(
            messages=[{"role": "system", "content": system},
                      {"role": "user", "content": prompt["user"].format(text=text)}],
            temperature=0.0, max_tokens=int(n_in * 1.6) + 40,
        )
        return _without_preamble(out["choices"][0]["message"]["content"].strip())


# "The Dutch text translates to:" / "Here is the translation:" before the text itself
_PREAMBLE = re.compile(r"^[^\n]{0,80}\btranslat\w*[^\n]{0,40}:\s*\n+", re.I)


# "…\n\nThis translation maintains the original meaning …" after the text
_POSTAMBLE = re.compile(r"\n\s*\n[^\n]{0,200}\btranslat\w*[^\n]{0,200}$", re.I)


def _without_preamble(text: str) -> str:
    """The rendering without the model's words about it, before or after."""
    rest = _POSTAMBLE.sub("", _PREAMBLE.sub("", text, count=1).strip(), count=1).strip()
    if rest != text and len(rest) > 1 and rest[0] == rest[-1] == '"':  # the text, quoted inside them
        rest = rest[1:-1].strip()
    return rest or text


def units(items, source: str = "nl") -> list[str]:
    """The texts to render: paragraph text, a footnote's citing sentence, the
    document titles and section names (short, shared by many paragraphs), of
    the documents in ``source``."""
    seen: dict[str, None] = {}
    for doc, p in items:
        if doc.language != source:
            continue
        for t in (doc.title, *p.section, p.cited_by, p.text):
            if t and t.strip():
                seen.setdefault(t.strip(), None)
    return list(seen)


def english_text(doc, p, cache: TranslationCache) -> str | None:
    """The English rendering of one paragraph with its context, or None if a
    part is not translated (then the paragraph has no English entry)."""
    if doc.language == "en":
        parts = [doc.title, " > ".join(p.section), p.cited_by, p.text]
        return "\n".join(x for x in parts if x)
    title = cache.get(doc.title) or ""
    section = " > ".join(cache.get(s) or "" for s in p.section)
    cited = cache.get(p.cited_by) if p.cited_by else ""
    body = cache.get(p.text)
    if body is None:
        return None
    return "\n".join(x for x in (title, section, cited or "", body) if x)


def sentence_units(items, cache: TranslationCache, source: str = "nl") -> list[str]:
    """Sentences to render alone: those whose part of their paragraph's
    rendering is not true to them (index.faithful). The 1.5B model keeps names
    and terms better in one sentence than in a paragraph; 43 of 212 sentences of
    the corpus were shown to English askers in Dutch."""
    seen: dict[str, None] = {}
    for doc, p in items:
        if doc.language == source:
            for s in unfaithful(p.text, cache.get(p.text), source):
                seen.setdefault(s, None)
            # a paragraph of one sentence (a heading, a signature, a line) is its own sentence: untrue,
            # it is worth the same retry told what it lost ("… Onderwijs, Cultuur en Wetenschap" lost "Science")
            body = cache.get(p.text)
            if body is not None and len(split_sentences(p.text)) < 2 and not faithful(p.text.strip(), body, source):
                seen.setdefault(p.text.strip(), None)
    return list(seen)


def wanted(items, cache: TranslationCache) -> set[str]:
    """The cache keys the sources still need (what ``prune`` keeps)."""
    source = SOURCE[cache.target]
    return {key(t) for t in units(items, source) + sentence_units(items, cache, source)}


def translate_missing(items, cache: TranslationCache, translator: Translator | None, progress: bool = True) -> dict:
    """Render every text the cache lacks, then the sentences that need
    rendering alone; without a model, report what is missing."""
    source = SOURCE[cache.target]
    texts = units(items, source)
    todo = _todo(texts, cache, translator)
    report = {"units": len(texts), "missing": len(todo), "translated": 0, "seconds": 0.0}
    if translator is None:  # sentences are judged against their paragraphs' renderings: those come first
        return report
    t0 = time.perf_counter()
    _render(todo, cache, translator, progress)
    needing = sentence_units(items, cache, source)  # read from the paragraphs' renderings, made above
    alone = _todo(needing, cache, translator)
    _render(alone, cache, translator, progress)
    # rendered alone and still not true to it: once more, told what it lost ("Keep these exactly
    # as written: 'Onderwijsruimte', '2021'"); tried once per sentence, kept either way
    again = [s for s in needing if not cache.kept(s) and cache.get(s) is not None
             and not faithful(s, cache.get(s), source)]
    for text in again:
        cache.put(text, translator(text, keep=lost(text, cache.get(text), source)), translator.model, kept=True)
    # still lacking a policy term ("higher education" for hoger beroepsonderwijs): once more, with the
    # terms written in English in the text (the model copies what it reads); kept only if true to it
    pinned = [s for s in needing if source == "nl" and not cache.pinned(s) and cache.get(s) is not None
              and not faithful(s, cache.get(s), source) and glossary.missing(s, cache.get(s))]
    for text in pinned:
        before = cache.get(text)
        english = translator(text, keep=lost(text, before, source), pin=glossary.missing(text, before))
        cache.put(text, english if faithful(text, english, source) else before, translator.model, kept=True, pinned=True)
    report.update(missing=0, translated=len(todo) + len(alone) + len(again) + len(pinned), again=len(again),
                  pinned=len(pinned), seconds=round(time.perf_counter() - t0, 1))
    return report


def _todo(texts: list[str], cache: TranslationCache, translator: Translator | None) -> list[str]:
    return [t for t in texts if cache.get(t) is None or (translator is not None and cache.stale(t))]


def _render(todo: list[str], cache: TranslationCache, translator: Translator, progress: bool) -> None:
    from tqdm import tqdm

    into = {"en": "English", "nl": "Dutch"}[cache.target]
    for text in tqdm(todo, desc=f"translating to {into}", unit="text", disable=not progress or not todo):
        cache.put(text, translator(text), translator.model)
