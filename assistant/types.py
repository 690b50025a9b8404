"""What passes between the answering stages, defined once."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Passage:
    """A retrieved paragraph with its score (cosine similarity to the question)."""

    id: str
    text: str
    score: float
    doc_id: str
    doc_title: str
    reference: str
    section: str
    file: str
    kind: str = "paragraph"
    date: str = ""
    publisher: str = ""
    number: int = 0
    start: int = 0
    end: int = 0
    footnotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    """Marker [n] in an answer → one paragraph of one document."""

    n: int
    id: str
    doc_id: str
    doc_title: str
    reference: str
    section: str
    text: str
    file: str
    score: float
    # character offsets of the quoted sentences inside ``text``, for highlighting
    spans: tuple[tuple[int, int], ...] = ()


@dataclass
class Retrieval:
    """What search found for a question, before any answer is written."""

    question: str
    query: str  # the stand-alone text searched with (the question, condensed with the history)
    lang: str
    passages: list[Passage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass
class Answer:
    question: str
    text: str
    lang: str  # "nl" | "en": the language of the question, and of the answer
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False  # True when the sources do not hold the answer
    mode: str = "extractive"
    label: str = ""  # the AI-generated notice, in the answer's language
    retrieved: list[Passage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    query: str = ""  # the stand-alone text searched with

    def to_dict(self) -> dict:
        return asdict(self)
