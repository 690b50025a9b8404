"""Policy terms a rendering must carry (``prompts/glossary_en.json``): the
1.5B model wrote "traffic statistics" for *streefcijfers*, "members" for
*lidstaten* and "middle school education" for *mbo* in 26 of 122 renderings.
The translation prompt names the terms a text holds; ``missing`` says which a
rendering still lacks, so a build renders it again and answering shows the
Dutch instead of a wrong English term."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

FILE = Path(__file__).parent / "prompts" / "glossary_en.json"
TYPO_MIN = 12  # a stem this long is not another word with one letter less ("leermobiliteit")


@dataclass(frozen=True)
class Term:
    nl: str
    en: str
    accept: tuple[str, ...]
    word: bool = False

    @cached_property
    def pattern(self) -> str:
        """How the term is found: a whole word (an abbreviation); or the stem, where a long stem also
        matches with one letter left out, as a source may misspell it (the letter writes "datagedreven
        publieksonwikkeling", and the model rendered it "publicly funded content creation")."""
        if self.word:
            return rf"\b{re.escape(self.nl)}\b"
        if len(self.nl) < TYPO_MIN:
            return re.escape(self.nl)
        dropped = {self.nl[:i] + self.nl[i + 1:] for i in range(1, len(self.nl) - 1)}
        return "|".join(re.escape(v) for v in sorted({self.nl} | dropped, key=len, reverse=True))

    @cached_property
    def _found(self) -> re.Pattern:
        return re.compile(self.pattern)

    def in_dutch(self, text: str) -> bool:
        return bool(self._found.search(text.lower()))


@lru_cache(maxsize=1)
def terms() -> tuple[Term, ...]:
    data = json.loads(FILE.read_text(encoding="utf-8"))
    return tuple(Term(t["nl"], t["en"], tuple(a.lower() for a in t["accept"]), bool(t.get("word")))
                 for t in data["terms"])


_URL = re.compile(r"<?https?://\S+")


def held(dutch: str) -> list[Term]:
    """The glossary terms a Dutch text holds (one entry per English term), not
    inside a web address: a footnote's link ("…/conceptkerndoelen-digitale-geletterdheid/")
    is shown as written, and asked for its terms the model had described the link in prose."""
    dutch = _URL.sub(" ", dutch)
    out: dict[str, Term] = {}
    for t in terms():
        if t.in_dutch(dutch):
            out.setdefault(t.en, t)
    return list(out.values())


def missing(dutch: str, english: str) -> list[str]:
    """The Dutch terms whose English no accepted form of ``english`` carries."""
    low = english.lower()
    return [t.nl for t in held(dutch) if not any(a in low for a in t.accept)]


def instructions(dutch: str) -> str:
    """The prompt's line for the terms a text holds ("" when it holds none)."""
    found = held(dutch)
    if not found:
        return ""
    return "Translate these terms as given: " + "; ".join(f"{t.nl} = {t.en}" for t in found) + "."


def written_in_english(dutch: str, nl_terms: list[str]) -> str:
    """``dutch`` with the named glossary terms already written in English ("hoger
    beroepsonderwijs" → "higher professional education (hbo)"): told to translate a term
    as given, the 1.5B model still wrote "higher education"; a term it reads in English it copies."""
    out = dutch
    for t in terms():
        if t.nl in nl_terms:
            out = re.sub(t.pattern, t.en, out, flags=re.I)
    return out
