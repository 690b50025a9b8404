"""The answering pipeline, top to bottom:

check the question (check.py) → condense a follow-up (condense.py) → retrieve
(retrieve.py, over the index opened by open_index.py) → withhold planted
instructions (guard.py) → the quotes answer (compose.py) with refusal by
coverage (coverage.py) → the written answer when a model is asked: chosen by
the model and quoted in code (select.py) or written and checked (write.py,
cite.py).

``Assistant`` holds the opened index and the answer model for many
questions; ``assistant.ask`` uses the one the process installed.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

from index.roles import question_roles
from index.store import unreachable
from settings import Settings, Tuned

from . import check, idioms, parts
from .backends import Backend, GenerationError, LocalBackend, make_backend
from .compose import (asks_who, compose, named_kinds, said_before, short_name, single_fact, sourced_kinds, speaker_doc,
                      typed_test)
from .condense import condense, leaned_on
from .confidence import assess
from .coverage import gate
from .filters import dates_to_documents
from .guard import injected
from .messages import AssistantError, text as msg
from .open_index import OpenIndex, short
from .ordinal import asked_number
from .prompt import selection_messages
from .rendering import renderer
from .retrieve import Query
from .select import selected
from .smalltalk import small_talk
from .types import Answer, Citation, Composed, Found, Passage, Retrieval, StreamEvent, Turn
from .write import written

log = logging.getLogger(__name__)


class Assistant:
    """``settings`` are handed down, never read again here; ``index`` and
    ``backend`` may be given ready (tests hand fakes, tests/fakes.py)."""

    def __init__(self, settings: Settings | None = None, index: OpenIndex | None = None,
                 backend: Backend | None = None):
        self.settings = settings or Settings.load()
        self.index = index or OpenIndex(self.settings)
        self._backend = backend
        self._backend_lock = threading.Lock()
        self._warming = False  # warm_up is loading the answer model (in the app, in a thread)

    # -- opening ---------------------------------------------------------
    def warm_up(self, mode: str | None = None, generation: bool = True) -> None:
        """Open model and index now, and the answer model ``mode`` would use,
        so the first user does not wait for them. Questions asked meanwhile
        (the app warms up in a thread) get the quotes answer at once."""
        if not generation:  # the index only (the page asks for the document list): no model involved
            self.index.ensure("en")
            return
        self._warming = True
        try:
            self.index.ensure("en")
            backend = self.backend(mode)
            if backend is not None:
                select = self.settings.writer == "select"
                backend.warm_up((lambda lang: selection_messages(lang, "?", [])) if select else None)
        except GenerationError as e:  # answers fall back to quoting, with this reason shown
            log.warning("answer model unavailable: %s", e)
        finally:
            self._warming = False

    def reload(self) -> None:
        """The index was rebuilt (documents added): read it afresh on the next question."""
        self.index.drop()

    def close(self) -> None:
        self.index.close()
        self._backend = None  # the model, if loaded, is freed with it

    @property
    def embedder(self):
        """The loaded embedding model (the index is opened for it if need be),
        for indexing in the same process without loading the model twice."""
        self.index.ensure("en")
        return self.index.embedder

    def backend(self, mode: str | None) -> Backend | None:
        """The writer for ``mode``: None → the configured backend (None for
        extractive); "generative" → the configured one, or the local model
        when the configuration says extractive; "extractive" → None."""
        if mode not in check.MODES:
            raise ValueError(f"mode must be 'generative' or 'extractive', not {mode!r}")
        if mode == "extractive" or (mode is None and self.settings.backend == "extractive"):
            return None
        with self._backend_lock:
            if self._backend is None:
                try:
                    self._backend = make_backend(self.settings) or LocalBackend(self.settings)
                except GenerationError:
                    raise
                except Exception as e:
                    raise GenerationError(f"{e.__class__.__name__}: {e}") from None
            return self._backend

    @property
    def documents(self) -> list[dict]:
        return self.index.documents

    def neighbours(self, citation: Citation, around: int = 1) -> tuple[list[Passage], list[Passage]]:
        """The paragraphs around a cited one, for reading it in context."""
        try:
            self.index.ensure("en")
            return self.index.neighbours(citation, around)
        except Exception as e:  # context is a courtesy: the citation itself still shows
            log.warning("neighbouring paragraphs unavailable: %s", e)
            return [], []

    # -- finding ---------------------------------------------------------
    def _corpus_language(self, question: str, lang: str) -> str | None:
        """"nl" or "en" when most of a question's words (four letters or more) are words of the sources
        (the original paragraphs, or their English renderings), at least two of them; None otherwise."""
        if not Tuned.CORPUS_WORDS:
            return None
        words = re.findall(r"[^\W\d_]{4,}", question)
        if len(words) < 2:
            return None
        self.index.ensure(lang or "nl")
        shares = {}
        for code in ("nl", "en"):
            lexical = self.index.lexical(code)
            if lexical is not None:
                known = sum(lexical.knows(w) for w in words)
                shares[code] = known / len(words) if known >= 2 else 0.0
        best = max(shares, key=lambda c: (shares[c], c == "nl"), default=None)
        return best if best is not None and shares[best] >= 0.5 else None

    def _find(self, question, history, filters, sentences: bool, lang: str | None = None) -> Found:
        """Check, condense and retrieve: what ``search`` and ``ask`` share.
        ``lang``: the question's language when known (a part of a question)."""
        started = time.perf_counter()
        check.history(history)
        try:
            question, lang = check.question(question, self.settings.max_question_chars, lang)
        except AssistantError as e:
            # "Telt virtuele mobiliteit mee?" reads as Estonian: a question in the corpus's own words is asked
            # in the language of those words, whatever langdetect says of so few
            lang = self._corpus_language(question, e.lang) if e.code == "unsupported_language" else None
            if lang is None:
                raise
            question, lang = check.question(question, self.settings.max_question_chars, lang)
        self.index.ensure(lang)
        query = condense(question, history)
        if self.settings.log_questions:  # off by default: questions may be confidential
            log.info("question (%s): %s", lang, query)
        t1 = time.perf_counter()
        if chat := small_talk(question):  # "Hallo", "Hoe laat is het?": nothing to embed or search
            return Found(question, lang, query, [], [], None, [], started, t1, t1, chat)
        passages, hits, vec = self._retrieve(query, filters, lang, sentences, question, leaned_on(history))
        withheld = {p.id: m for p in passages if (m := injected(p.text))}
        if withheld:  # instructions planted in a document: never quoted, never shown to the model
            log.warning("withheld %d paragraph(s) addressing an AI system: %s", len(withheld), ", ".join(withheld))
            passages = [p for p in passages if p.id not in withheld]
            hits = [h for h in hits if h.para_id not in withheld]
        return Found(question, lang, query, passages, hits, vec, sorted(withheld), started, t1, time.perf_counter())

    def _retrieve(self, query: str, filters: dict | None, lang: str, sentences: bool, asked: str = "",
                  previous: str = ""):
        try:
            filters = dates_to_documents(filters, self.documents) or self._sourced(asked or query)
            searched, docs = self._as_spoken(query, asked or query, previous)
            searched = idioms.searched(searched, lang)
            q = Query(searched, self.index.embedder.embed_queries([searched])[0])
            # the section role a question asks for is its own: "Welke organisaties helpen scholen daarbij?"
            # after "Wat is de Nederlandse inzet …?" asks for organisations, not for the Dutch position
            passages, hits = self.index.retriever.retrieve(
                q, filters, weights=self.settings.fusion(lang), sentences=sentences,
                roles=tuple(question_roles(asked or query, lang)), role_boost=self.settings.role_boost,
                number=asked_number(query), prefer=docs, lang=lang, typed=typed_test(asked or query))
            return passages, hits, q.vector
        except ValueError as e:
            raise AssistantError("bad_filter", lang, detail=str(e)) from None
        except Exception as e:  # the store vanished or broke under a running app
            log.warning("retrieval failed: %s", e)
            self.index.drop()
            if self.settings.chroma_url and unreachable(e):  # the server stopped: its data is safe
                raise AssistantError("index_unreachable", lang, exit_code=3, url=self.settings.chroma_url,
                                     detail=short(e)) from None
            raise AssistantError("index_corrupt", lang, exit_code=3, detail=short(e)) from None

    def _sourced(self, asked: str) -> dict | None:
        """A question that asks what a document of some kind says ("Wat zegt het persbericht over
        auteursrecht?", "in the letter") is answered from the documents of that kind alone, as if the
        asker had filtered on them: the letter's sentence on copyright is not what the press release
        says. None when it names none, or none of that kind is indexed (the caller's filters stand)."""
        indexed = self.index.retriever.doc_kinds()
        if not Tuned.KIND_ONLY or not (kinds := sourced_kinds(asked, indexed.values())):
            return None
        docs = sorted(d for d, k in indexed.items() if k.lower() in kinds)
        return {"doc_id": docs} if docs else None

    def _as_spoken(self, query: str, asked: str, previous: str = "") -> tuple[str, frozenset[str]]:
        """(the text to search with, the documents to prefer). "What does NEMO recommend?" names
        the publisher as the speaker, not the subject: the paragraph that names NEMO (its
        organisers) outranked every recommendation. Searched without the name ("What does
        recommend?"), with NEMO's document preferred (Tuned.SPEAKER_BOOST); the question as
        asked decides (a follow-up's history may name NEMO as its subject), or the question a follow-up
        leans on, where that names NEMO as the speaker ("En wat zegt NEMO over de derde?" → "Met welke
        waarden moet die in overeenstemming zijn?": Tuned.SPEAKER_LEANED), unless the follow-up asks who
        ("Wie organiseerde die conferentie?": NEMO, by name). A question that
        names a kind of document ("according to the letter", "het persbericht") prefers the
        documents of that kind, searched as asked."""
        if not Tuned.SPEAKER_BOOST:
            return query, frozenset()
        retriever = self.index.retriever
        named = {d: p for d, p in retriever.publishers().items()
                 if speaker_doc(asked, p) or (Tuned.SPEAKER_LEANED and previous and not asks_who(asked)
                                              and speaker_doc(previous, p))}
        if len(named) != 1:
            kinds = named_kinds(asked) if Tuned.KIND_PREFER else set()
            return query, frozenset(d for d, k in retriever.doc_kinds().items() if k.lower() in kinds)
        doc, publisher = next(iter(named.items()))
        short = re.escape(short_name(publisher))
        searched = re.sub(rf"(?<!\w){short}(?:['’]s)?(?!\w)", " ", query, flags=re.I)
        return re.sub(r"\s+", " ", searched).strip() or query, frozenset([doc])

    def search(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Retrieval:
        """The ranked paragraphs the answer would be written from (no answer)."""
        f = self._find(question, history, filters, sentences=False)
        total = round((f.ended - f.started) * 1000, 1)
        return Retrieval(question=f.question, query=f.query, lang=f.lang, passages=f.passages,
                         timings_ms={"retrieve": f.retrieve_ms, "total": total})

    # -- answering -------------------------------------------------------
    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None,
            mode: str | None = None, language: str | None = None) -> Answer:
        """Answer from the sources: ``stream`` run to its end."""
        answer = None
        for event in self.stream(question, history=history, filters=filters, mode=mode, language=language):
            if event.kind == "answer":
                answer = event.answer
        return answer

    def stream(self, question: str, history: list[dict] | None = None, filters: dict | None = None,
               mode: str | None = None, language: str | None = None) -> Iterator[StreamEvent]:
        """Yield ``StreamEvent``s: first "passages" (the paragraphs the answer
        is written from, numbered as the model sees them), with the selecting
        writer a "draft" (the quotes, while the model chooses), then "token"s of
        the answer as written, last "answer" with the verified ``Answer``
        (its text may differ from the tokens: unsupported sentences are left
        out and markers renumbered). ``language`` ("nl"/"en") sets the answer's
        language; by default it is the question's."""
        check.options(mode, language)  # a caller's mistake should not cost a retrieval
        found = self._find(question, history, filters, sentences=True)
        turn = self._turn(found, language if language in ("nl", "en") else found.lang, history, filters)
        generative = mode == "generative" or (mode is None and self.settings.backend != "extractive")
        backend, notes = self._writer(turn, mode) if generative else (None, [])
        if backend is None:
            events = self._quoted(turn, generative, notes)
        elif self.settings.writer == "select":
            events = selected(turn, backend, self.settings.select)
        else:
            events = written(turn, backend, self.index, self.settings.min_score(found.lang), self._refusal)
        for event in events:
            if event.kind == "answer":
                self._assess(turn, event.answer)
            yield event

    def _assess(self, turn: Turn, answer: Answer) -> None:
        """The answer's confidence (confidence.py), from what this turn found."""
        c = assess(answer, turn.found.hits, self.settings.min_score(turn.found.lang), len(turn.quotes.missing))
        answer.confidence, answer.confidence_level, answer.signals = c.value, c.level, c.signals

    def _turn(self, found: Found, lang: str, history, filters=None) -> Turn:
        """The quotes answer (scoring, then coverage), and what every path needs.
        A two-part question the sources do not answer whole, or whose parts ask
        for different kinds of answer (a figure and a view), is searched and
        quoted part by part (parts.py): the part they answer, and which they lack."""
        render = renderer(lang, self.index.translations)
        leaned = leaned_on(history)
        cover = lambda composed, question: self._covered(composed, question, lang, leaned)  # noqa: E731
        if found.chat:  # nothing was looked up: no quote, however close a cosine would have been
            titles = "; ".join(d["title"] for d in self.documents) or "-"
            text = msg(lang, "greeting", documents=titles) if found.chat == "greetings" else msg(lang, "small_talk")
            quotes = Composed(text, [], True, found.chat)
            return Turn(found, lang, quotes, history, render, cover, [], {"retrieve": found.retrieve_ms})
        # the threshold belongs to the question's language (cross-lingual scores run lower)
        context = leaned  # a follow-up's sentences are also read with the question it leans on
        said = [str(t.get("content") or "") for t in history or [] if t.get("role") == "assistant"]
        if said and Tuned.SAID_BEFORE:  # ... and asks for more than the last answer quoted
            found = replace(found, hits=said_before(found.hits, found.passages, said[-1], render))
        quotes = cover(compose(found.question, lang, found.passages, found.hits, self.settings.min_score(found.lang),
                               self.settings.max_citations, render=render, context=context), found.question)
        if quotes.refused and quotes.citations and single_fact(found.question):
            # one fact asked, its best paragraph refused by coverage or the date rule: every paragraph chosen
            # is read, so what backs the date counts (or the refusal cites the nearest things, not one)
            quotes = cover(compose(found.question, lang, found.passages, found.hits,
                                   self.settings.min_score(found.lang), self.settings.max_citations, render=render,
                                   one_fact=False, context=context), found.question)
        if (quotes.refused or parts.asks_apart(found.question, self._speakers())) and not history:
            found, quotes = self._by_part(found, lang, filters, render, cover) or (found, quotes)
        warnings = [msg(lang, "withheld_note", count=len(found.withheld))] if found.withheld else []
        return Turn(found, lang, quotes, history, render, cover, warnings, {"retrieve": found.retrieve_ms})

    def _by_part(self, found: Found, lang: str, filters, render, cover) -> tuple[Found, Composed] | None:
        """(the parts' search joined, their quotes joined) for a two-part
        question the sources answer at least in part; None otherwise. Only for
        a refused question or one whose parts ask apart: answering every two-part
        question by parts moved no keyword on dev and cost citation precision (0.523 -> 0.517)."""
        pieces = parts.split(found.question, self._speakers())
        if len(pieces) < 2:
            return None
        first = [{"role": "user", "content": pieces[0]}]
        each = [filters] * len(pieces)
        if filters is None and parts.by_speaker(found.question, self._speakers()):
            # the publisher's part from its own documents, the other subject's from the rest: "… NEMO en de
            # Nederlandse regering …" had quoted NEMO's hub for what the Dutch government proposes
            publishers = self.index.retriever.publishers()
            own = sorted(d for d, p in publishers.items() if p and re.search(
                rf"(?<!\w){re.escape(short_name(p))}(?!\w)", pieces[0]))
            rest = sorted(d for d in publishers if d not in own)
            if own and rest:
                each = [{"doc_id": own}, {"doc_id": rest}]
        finds = [self._find(p, first if i and parts.leans_on_first(p) else None, each[i], sentences=True,
                            lang=found.lang) for i, p in enumerate(pieces)]
        quotes = parts.answer(pieces, finds, lang, self.settings.min_score, self.settings.max_citations, render, cover)
        return None if quotes is None else (parts.merged(found, finds), quotes)

    def _speakers(self) -> list[str]:
        """The publishers' short names ("NEMO"), for a question that asks the same of one and of another."""
        return sorted({short_name(p) for p in self.index.retriever.publishers().values() if p} - {""})

    def _writer(self, turn: Turn, mode: str | None) -> tuple[Backend | None, list[str]]:
        """The model to ask, or None with the reason. Refused by the rules
        (threshold, number and date rules): no model is asked. A coverage
        refusal of the quotes does not bind the selecting writer: its own
        choice is checked for coverage."""
        quotes = turn.quotes
        if quotes.refused and not (self.settings.writer == "select" and quotes.missing):
            return None, []
        if quotes.lacking:  # answered in part: the quotes say which part the sources lack, the model could not
            return None, []
        try:
            backend = self.backend("generative" if mode == "generative" else None)
        except GenerationError as e:
            log.warning("generation unavailable: %s", e)
            return None, [msg(turn.lang, "label_fallback", detail=str(e))]
        if backend is not None and self._warming:
            # the app just started and the model is still loading (~36 s on 2 cores): quote now
            return None, [msg(turn.lang, "warming_note")]
        return backend, []

    def _quoted(self, turn: Turn, generative: bool, notes: list[str]) -> Iterator[StreamEvent]:
        """The quotes answer: extractive; or refused in code before any model
        is asked; or no model to ask."""
        q, lang = turn.quotes, turn.lang
        # a coverage or typed refusal already says what is missing and what the sources say instead, a reply
        # to a greeting what to ask about ("try other wording" does not follow "Dank je wel!")
        hint = q.refused and not q.missing and not q.citations and q.reason != "greetings"
        text = self._refusal(lang, q.text) if hint else q.text
        yield StreamEvent("passages", passages=q.citations)
        turn.timings["first_token"] = turn.ms()
        yield StreamEvent("token", token=text)
        turn.timings.update(answer=turn.ms(turn.found.ended), total=turn.ms())
        in_code = generative and q.refused
        yield turn.answer(text=text, citations=q.citations, refused=q.refused,
                          mode="generative" if in_code else "extractive", backend="rules" if in_code else "extractive",
                          label=" ".join([msg(lang, "label"), *notes]), notes=notes)

    def _covered(self, composed: Composed, question: str, lang: str, context: str = "") -> Composed:
        """Refusal by coverage (coverage.py): the question's restricting terms
        must be backed by what the answer quotes and its headings (and, for a
        follow-up that narrows the question it leans on, ``context``, that one's topic)."""
        if not self.settings.coverage:
            return composed
        lexical = self.index.lexical(lang)
        cache = self.index.translations() if lang == "en" else None
        # a name is unknown only when neither language's index uses it: Dutch askers say "AI Act",
        # which the letter calls the AI-verordening and its English renderings the AI Act
        indexes = [x for x in (lexical, self.index.lexical("nl" if lang == "en" else "en")) if x is not None]
        corpus = lexical is not None
        return gate(composed, question, lang, headings=cache.get if cache else None,
                    renderings=cache.get if cache else None,
                    knows=(lambda word: any(x.knows(word) for x in indexes)) if corpus else None,
                    together=(lambda groups: any(x.knows_together(groups) for x in indexes)) if corpus else None,
                    share=lexical.share if corpus else None, context=context)

    def _refusal(self, lang: str, text: str) -> str:
        """"Not in the sources", with what the sources are about."""
        titles = "; ".join(d["title"] for d in self.documents) or "-"
        return f"{text}\n\n{msg(lang, 'refusal_hint', documents=titles)}"
