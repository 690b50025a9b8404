"""Section roles of parliamentary papers and press releases, read from data (``index/roles/<lang>.json``).

A Dutch annotated agenda repeats one structure per agenda item: *Achtergrond*
(what the proposal says), *Nederlandse inzet* (what the Netherlands thinks
and will do), *Indicatie krachtenveld* (where the other member states stand).
A civil servant reads the role first; so does retrieval: the role of a
paragraph's section is stored with it, and a question that asks for a
position prefers paragraphs of that role.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

ROLES_DIR = Path(__file__).parent / "roles"


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted(ROLES_DIR.glob("*.json")):
        out[path.stem] = json.loads(path.read_text(encoding="utf-8"))["roles"]
    return out


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


@lru_cache(maxsize=1)
def _headings() -> dict[str, str]:
    return {_norm(h): role for table in _tables().values() for role, spec in table.items()
            for h in spec.get("headings", [])}


def heading_role(heading: str) -> str:
    """The role a section heading names ("Nederlandse inzet" → "position"), or ""."""
    return _headings().get(_norm(heading.rstrip(":")), "")


@lru_cache(maxsize=1)
def _closings() -> list[tuple[str, int, str]]:
    return [(_norm(c), int(spec.get("max_chars", 200)), role) for table in _tables().values()
            for role, spec in table.items() for c in spec.get("closings", [])]


def closing_role(text: str) -> str:
    """The role a short paragraph has by how it opens, where no heading names one
    (the signature under a Kamerbrief: "De Minister van …, R.H. Dijkgraaf"), or ""."""
    t = _norm(text)
    return next((role for c, most, role in _closings() if len(t) <= most and t.startswith(c)), "")


@lru_cache(maxsize=1)
def _contents() -> list[tuple[re.Pattern, int, str]]:
    return [(re.compile(r"(?<!\w)" + re.escape(_norm(c)) + r"(?!\w)"), int(spec.get("max_chars", 400)), role)
            for table in _tables().values() for role, spec in table.items() for c in spec.get("contains", [])]


def content_role(text: str) -> str:
    """The role a paragraph has by what it says, where no heading or closing gives one: who
    attends a Council meeting is said in the letter's opening lines ("Ik zal hieraan
    deelnemen"), under no heading, and a question asks for it in other words ("Wie gaat
    namens Nederland naar de Cultuurraad?" drew the paragraphs of the Dutch position)."""
    t = _norm(text)
    return next((role for pattern, most, role in _contents() if len(t) <= most and pattern.search(t)), "")


@lru_cache(maxsize=1)
def _voices() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(r"(?<!\w)" + re.escape(_norm(v)) + r"(?!\w)"), role)
            for table in _tables().values() for role, spec in table.items() for v in spec.get("voices", [])]


def voiced_role(sentence: str) -> str:
    """The role one sentence states by its words wherever its section stands, or "": a letter
    gives the cabinet's view of a measure in the measure's *Inhoud* ("Het kabinet vindt dat dit
    een goede manier is …"), and a question for the Dutch view wants that sentence."""
    t = _norm(sentence)
    return next((role for pattern, role in _voices() if pattern.search(t)), "")


def section_role(section: tuple[str, ...]) -> str:
    """The role of the innermost heading of a section path that names one."""
    for heading in reversed(section):
        role = heading_role(heading)
        if role:
            return role
    return ""


@lru_cache(maxsize=4096)  # every question reads every cue
def _cue(cue: str) -> re.Pattern:
    # "press release … published": the parts in that order, anything between them
    parts = [re.escape(_norm(part)) for part in cue.split("…")]
    return re.compile(r"(?<!\w)" + r"(?!\w).*?(?<!\w)".join(parts) + r"(?!\w)")


def question_roles(question: str, lang: str) -> list[str]:
    """Roles a question asks for, by the cues of its language (longest cue first)."""
    q = _norm(question)
    table = _tables().get(lang) or {}
    found = []
    for role, spec in table.items():
        if any(_cue(c).search(q) for c in spec.get("cues", [])):
            found.append(role)
    return found


def kind_role(kind: str) -> str:
    """The role a unit has by its kind (the header card: "header"), or ""."""
    return next((role for table in _tables().values() for role, spec in table.items()
                 if kind in spec.get("kinds", [])), "")


@lru_cache(maxsize=1)
def demoted_roles() -> frozenset[str]:
    """Roles ranked below the rest unless a question asks for them (a press release's
    contact block: "Rebecca Thonander / NEMO thonander@ne-mo.org" shared the word NEMO
    with every question about NEMO and was quoted as its answer)."""
    return frozenset(role for table in _tables().values() for role, spec in table.items() if spec.get("demoted"))


@lru_cache(maxsize=1)
def role_boosts() -> dict[str, float]:
    """How many times the usual boost a role asked for gets (1 unless its table says):
    who attends a meeting is said in words a question about it does not use."""
    return {role: float(spec.get("boost", 1.0)) for table in _tables().values() for role, spec in table.items()}


@lru_cache(maxsize=1)
def block_roles() -> frozenset[str]:
    """Roles that answer a question asking for them by cue better than any words can (the
    signature, the contact block, the header card): such a question gets them first."""
    return frozenset(role for table in _tables().values() for role, spec in table.items() if spec.get("block"))


def is_role_heading(heading: str) -> bool:
    return bool(heading_role(heading))
