"""What passes between the answering stages, defined once."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from settings import Tuned


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
    doc_kind: str = ""  # the document's kind from its front matter ("persbericht", "Kamerbrief")
    number: int = 0
    start: int = 0
    end: int = 0
    footnotes: tuple[str, ...] = ()
    page: int = 0  # PDF page (0: none)
    role: str = ""  # section role: background / position / forces (parliamentary papers), contact (press releases)
    heads: tuple[str, ...] = ()  # a lead-in's headings (ids of the "heading" units it introduces)
    cited_by: str = ""  # a footnote: the sentence that refers to it (what it is a note to)
    # the cosine of the paragraph's English rendering (0: not searched). An English
    # question can sit closer to the rendering than to the Dutch text: refusing on
    # the Dutch cosine alone refused answerable English dev questions (settings.Tuned.RENDERED_OFFSET)
    rendered: float = 0.0

    @property
    def closeness(self) -> float:
        """How close the paragraph is to the question in either language (the refusal threshold)."""
        return max(self.score, self.rendered - Tuned.RENDERED_OFFSET)


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
    number: int = 0  # the paragraph's 1-based position in its document (to find its neighbours)
    date: str = ""  # the document's
    publisher: str = ""
    page: int = 0  # PDF page the paragraph starts on (0: none)
    # the cited sentences as the answer shows them: the original, or its machine translation into
    # the asker's language (``translated``); the original is always ``text[a:b]`` for each span
    shown: tuple[str, ...] = ()
    translated: bool = False
    cited_by: str = ""  # a footnote: the sentence that refers to it

    @classmethod
    def of(cls, p: Passage, n: int, spans: tuple[tuple[int, int], ...] = (), shown: tuple[str, ...] = (),
           translated: bool = False) -> "Citation":
        return cls(n=n, id=p.id, doc_id=p.doc_id, doc_title=p.doc_title, reference=p.reference, section=p.section,
                   text=p.text, file=p.file, score=p.score, spans=tuple(spans), number=p.number,
                   date=p.date, publisher=p.publisher, page=p.page, shown=tuple(shown), translated=translated,
                   cited_by=p.cited_by)


@dataclass(frozen=True)
class SentenceHit:
    """One sentence of a retrieved paragraph and how close it is to the question."""

    para_id: str
    start: int  # offsets into the paragraph text
    end: int
    score: float  # cosine of question and sentence (read with its section path)
    sid: str = ""  # its id in the store ("<paragraph>~s<k>"), when read from it


@dataclass
class Found:
    """What checking, condensing and retrieving a question hand to answering."""

    question: str  # checked and cleaned
    lang: str  # the question's language
    query: str  # the stand-alone text searched with
    passages: list[Passage]
    hits: list[SentenceHit]  # every sentence of the passages, best first (empty for a plain search)
    query_vec: object  # the query's embedding (numpy vector)
    withheld: list[str]  # ids of retrieved paragraphs that address an AI system (left out)
    started: float  # perf_counter when the question came in, when the search began and when it ended
    searched: float
    ended: float
    chat: str = ""  # small talk, nothing searched (smalltalk.py): "greetings" or "small_talk"

    @property
    def retrieve_ms(self) -> float:
        return round((self.ended - self.searched) * 1000, 1)


@dataclass(frozen=True)
class Shown:
    """A quoted sentence as the answer shows it."""

    text: str  # what the answer quotes
    translated: bool  # True: a machine translation of ``original``
    original: str  # the sentence as the source writes it


@dataclass
class Composed:
    """An answer made in code from chosen sentences (quotes, or the model's choice)."""

    text: str
    citations: list[Citation]
    refused: bool
    reason: str = ""
    missing: tuple[str, ...] = ()  # the question's terms the chosen sentences do not back (refusal by coverage)
    quotes: str = ""  # the quoted lines alone, without the intro (what a refusal cites as the nearest thing)
    lacking: tuple[str, ...] = ()  # parts of a two-part question the sources do not answer (parts.py)


@dataclass(frozen=True)
class Candidate:
    """A sentence the selecting model reads, numbered."""

    n: int  # the number the model sees
    hit: SentenceHit
    passage: Passage
    shown: str  # the sentence as the model reads it (the asker's language where a rendering exists)


@dataclass(frozen=True)
class ContextPassage:
    """A paragraph as the writing model reads it: cut to its best sentences."""

    n: int  # the marker [n] the model sees and cites
    passage: Passage
    spans: tuple[tuple[int, int], ...]  # the parts of passage.text shown, in document order
    shown: str = ""  # set when the model reads another text (the English rendering) instead

    @property
    def excerpt(self) -> str:
        if self.shown:
            return self.shown
        parts, last = [], None
        for a, b in self.spans:
            if last is not None and a > last + 1:
                parts.append("…")
            parts.append(self.passage.text[a:b])
            last = b
        return " ".join(parts)


@dataclass(frozen=True)
class SentenceSupport:
    """One sentence of a generated answer and how the sources back it."""

    text: str  # the sentence without its markers
    cited: tuple[int, ...]  # the markers [n] it carries in the final answer
    lexical: float  # share of its content words found in the cited paragraph(s)
    semantic: float  # embedding cosine with the best cited paragraph
    supported: bool  # False: left out of the answer text
    note: str = ""  # what the check changed: "re-cited", "cited in code", "marker dropped", …


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
    sentences: list[SentenceSupport] = field(default_factory=list)  # generated answers: per-sentence support
    backend: str = "extractive"  # who wrote it: "local", "openai" or "extractive"
    model: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. why generation fell back to quoting
    raw: str = ""  # generated answers: the model's text before verification
    withheld: list[str] = field(default_factory=list)  # ids of retrieved paragraphs that address an AI system
    # the chance the answer (or the refusal) is right, calibrated on the dev split (confidence.py);
    # None where no calibration is shipped
    confidence: float | None = None
    confidence_level: str = ""  # "high" | "medium" | "low"
    signals: dict[str, float] = field(default_factory=dict)  # what the confidence was read from
    # the selecting writer: the model's probability that the first quote answers the question (None: not asked)
    judged: float | None = None
    # the selecting writer: the model's probability of choosing no sentence, read before it chose
    # (None: not read); below Tuned.JUDGE_DOUBT the answer is not judged
    doubt: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class StreamEvent:
    """What ``assistant.stream`` yields: "passages" (the paragraphs an answer
    is written from), then "token"s, then one "answer". The selecting writer
    also yields one "draft" before the model is asked: the quotes the scoring
    chose (``token``), shown while the model chooses and replaced by the answer
    (which quotes them too, with what the model adds)."""

    kind: str
    passages: list[Citation] = field(default_factory=list)
    token: str = ""
    answer: Answer | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Turn:
    """One question on its way to an answer: what the answer paths share."""

    found: Found
    lang: str  # the answer's language (the question's, unless the caller chose)
    quotes: Composed  # the quotes answer: sentences chosen by scoring, coverage checked
    history: list[dict] | None
    render: Callable | None  # a quoted sentence in the asker's language (compose.Render); None: as written
    cover: Callable[[Composed, str], Composed]  # refusal by coverage of (answer, question)
    warnings: list[str] = field(default_factory=list)  # about the sources (withheld paragraphs): lead the notes
    timings: dict[str, float] = field(default_factory=dict)

    def ms(self, since: float | None = None) -> float:
        """Milliseconds since ``since`` (default: since the question came in)."""
        return round((time.perf_counter() - (self.found.started if since is None else since)) * 1000, 1)

    def answer(self, **fields) -> StreamEvent:
        """The final event: the ``Answer`` with what every answer carries."""
        f = self.found
        a = Answer(question=f.question, lang=self.lang, retrieved=f.passages, query=f.query, withheld=f.withheld,
                   timings_ms=self.timings, **fields)
        a.notes = self.warnings + a.notes
        return StreamEvent("answer", answer=a)
