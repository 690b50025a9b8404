"""The answering pipeline: detect language → condense → retrieve → answer → cite.

``Assistant`` opens the model and the index once and answers many questions;
``assistant.ask`` uses one shared instance per process.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import replace

import numpy as np

from index.embedding import Embedder, ModelMissingError, load_embedder
from index.lexical import LexicalIndex
from index.sentences import split_sentences
from index.settings import Settings
from index.store import (IndexCorruptError, IndexMissingError, IndexUnreachableError, Manifest, english_collection,
                         forget, open_collection, sentence_collection, signature, unreachable, vector_store)

from . import language
from .clean import NotAQuestion, clean, tidy
from .guard import injected
from .answer import SentenceHit, answer_type, compose, has_quantity, has_time
from .cite import verify
from .generate import GenerationError, build_messages, make_backend, select_context, LocalBackend
from .messages import AssistantError, messages as prompts, text as msg
from .retrieve import Retriever, neighbours, referring
from .types import Answer, Citation, Passage, Retrieval, StreamEvent

log = logging.getLogger(__name__)


def condense(question: str, history: list[dict] | None) -> str:
    """The text to search with. A follow-up ("En wat vindt Nederland daarvan?")
    names no topic; the previous user turn supplies it. A plain join for now:
    a model-written stand-alone question can replace it without changing callers."""
    previous = [tidy(str(t.get("content") or "")) for t in (history or []) if t.get("role") == "user"]
    previous = [p for p in previous if p]
    if not previous:
        return question
    return f"{previous[-1]}\n{question}"


class Assistant:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()
        self._lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._embedder: Embedder | None = None
        self._sentences = None
        self._manifest: Manifest | None = None
        self._collection = self._english = None
        self._translations = None
        self._rendering_vecs: dict[str, tuple] = {}
        self._backend = None
        self._backend_lock = threading.Lock()
        self._signature = None  # of the index on disk when it was opened
        self._warming = False  # warm_up is loading the answer model (in the app, in a thread)

    # -- opening ---------------------------------------------------------
    def _open(self, lang: str) -> None:
        if self._retriever is not None and signature(self.settings) == self._signature:
            return
        with self._lock:
            if self._retriever is not None:
                if signature(self.settings) == self._signature:
                    return
                # rebuilt, replaced or deleted by another process: read it afresh
                log.info("the index changed on disk; reopening it")
                self._drop_index()
            if self._signature is not None:
                forget(self.settings)
            try:
                self._signature = signature(self.settings)
                self._manifest = Manifest.read(self.settings.manifest_path)
                collection = open_collection(self.settings)
                self._sentences = open_collection(self.settings, name=sentence_collection(self.settings))
                # the model outlives a reopened index: a rebuild does not change it
                self._embedder = self._embedder or load_embedder(self.settings)
                lexical = LexicalIndex.load(self.settings.data_dir)
                english, lexical_en = self._open_english()
                self._collection, self._english = collection, english
            except IndexMissingError:
                raise AssistantError("index_missing", lang, exit_code=3) from None
            except IndexUnreachableError as e:
                raise AssistantError("index_unreachable", lang, exit_code=3, url=e.url, detail=e.detail) from None
            except IndexCorruptError as e:
                raise AssistantError("index_corrupt", lang, exit_code=3, detail=_short(e)) from None
            except ModelMissingError as e:
                raise AssistantError("model_missing", lang, exit_code=3, detail=_short(e)) from None
            self._retriever = Retriever(vector_store(collection), self._embedder, self.settings.top_k,
                                        lexical=lexical, sentences=self._sentences, collection=collection,
                                        english=english, lexical_en=lexical_en)

    def _open_english(self):
        """The English renderings, when a build made them (an index built
        before they existed still answers, without that signal)."""
        try:
            return (open_collection(self.settings, name=english_collection(self.settings)),
                    LexicalIndex.load(self.settings.data_dir, language="en"))
        except (IndexMissingError, IndexCorruptError) as e:
            log.warning("no English renderings in the index (%s); rebuild to add them", e)
            return None, None

    def warm_up(self, mode: str | None = None, generation: bool = True) -> None:
        """Open model and index now, and the answer model ``mode`` would use,
        so the first user does not wait for them. Questions asked meanwhile
        (the app warms up in a thread) get the quotes answer at once."""
        if not generation:  # the index only (the page asks for the document list): no model involved
            self._open("en")
            return
        self._warming = True
        try:
            self._open("en")
            backend = self.backend(mode)
            if backend is not None:
                backend.warm_up(self._warm_prefix if self.settings.writer == "select" else None)
        except GenerationError as e:  # answers fall back to quoting, with this reason shown
            log.warning("answer model unavailable: %s", e)
        finally:
            self._warming = False

    @staticmethod
    def _warm_prefix(lang: str) -> list[dict]:
        from .select import build_messages as select_messages

        return select_messages(lang, "?", [])

    def _drop_index(self) -> None:
        """Forget the opened index (it broke under us, or was rebuilt); the next
        question reopens it. The embedding model stays loaded."""
        self._retriever = self._sentences = self._collection = self._english = None
        # the renderings belong to the index: a rebuild elsewhere may have added some
        self._rendering_vecs = {}
        self._translations = None

    def reload(self) -> None:
        """The index was rebuilt (documents added): read it afresh on the next question."""
        with self._lock:
            self._drop_index()

    def close(self) -> None:
        self._drop_index()
        self._embedder = self._backend = None  # the models, if loaded, are freed with it

    @property
    def embedder(self) -> Embedder:
        """The loaded embedding model (the index is opened for it if need be),
        for indexing in the same process without loading the model twice."""
        self._open("en")
        return self._embedder

    def backend(self, mode: str | None):
        """The writer for ``mode``: None → the configured backend (None for
        extractive); "generative" → the configured one, or the local model
        when the configuration says extractive; "extractive" → None."""
        if mode not in (None, "generative", "extractive"):
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
        return list(self._manifest.documents) if self._manifest else []

    def neighbours(self, citation: Citation, around: int = 1) -> tuple[list[Passage], list[Passage]]:
        """The paragraphs around a cited one, for reading it in context. For a
        footnote, the paragraphs that refer to it come first instead: the
        footnotes numbered around it say nothing about it."""
        try:
            self._open("en")
            refs = referring(self._collection, citation.id)
            if refs:
                return refs, []
            return neighbours(self._collection, citation.doc_id, citation.number, around)
        except Exception as e:  # context is a courtesy: the citation itself still shows
            log.warning("neighbouring paragraphs unavailable: %s", e)
            return [], []

    # -- answering -------------------------------------------------------
    def _check(self, question: str) -> tuple[str, str]:
        """Validate the question; return it stripped, with its language."""
        if question is not None and not isinstance(question, str):  # e.g. a number or a list from an API client
            raise AssistantError("not_text", "")
        question = (question or "").strip()
        if not question:
            raise AssistantError("empty_question", "")
        if len(question) > self.settings.max_question_chars:
            lang = language.detect(tidy(question[:2000])).lang
            raise AssistantError("question_too_long", lang, length=len(question), limit=self.settings.max_question_chars)
        try:
            question = clean(question)
        except NotAQuestion as e:  # no language to speak of: the message comes in both
            raise AssistantError(e.code, "") from None
        detected = language.detect(question)
        lang = detected.lang
        if not detected.supported:
            raise AssistantError("unsupported_language", lang, guess=detected.guess)
        self._open(lang)
        return question, lang

    def _dates_to_documents(self, filters: dict | None) -> dict | None:
        """``since`` / ``until`` (ISO dates) are document properties: turn them
        into the list of documents in range, a cheap ``in`` filter, instead of
        a per-paragraph range condition in the store."""
        if not isinstance(filters, dict) or not ({"since", "until"} & set(filters)):
            return filters  # anything but an object is refused by the filter check itself
        rest = {k: v for k, v in filters.items() if k not in ("since", "until")}
        since, until = str(filters.get("since") or ""), str(filters.get("until") or "")
        for value in (since, until):
            if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
                raise ValueError(f"dates are YYYY-MM-DD, not {value!r}")
        # ISO dates compare as strings; a bare year or month covers the whole of it
        docs = [d["id"] for d in self.documents
                if (not since or d.get("date", "") >= since) and (not until or d.get("date", "")[:len(until)] <= until)]
        wanted = rest.get("doc_id")
        if wanted is not None:
            wanted = set(wanted) if isinstance(wanted, (list, tuple, set)) else {wanted}
            docs = [d for d in docs if d in wanted]
        rest["doc_id"] = docs or ["\u2205"]  # no document in range: match nothing
        return rest

    def _search(self, query: str, filters: dict | None, lang: str, sentences: bool):
        try:
            return self._retrieve(query, self._dates_to_documents(filters), lang, sentences)
        except ValueError as e:
            raise AssistantError("bad_filter", lang, detail=str(e)) from None
        except Exception as e:  # the store vanished or broke under a running app
            log.warning("retrieval failed: %s", e)
            self._drop_index()
            if self.settings.chroma_url and unreachable(e):  # the server stopped: its data is safe
                raise AssistantError("index_unreachable", lang, exit_code=3, url=self.settings.chroma_url,
                                     detail=_short(e)) from None
            raise AssistantError("index_corrupt", lang, exit_code=3, detail=_short(e)) from None

    def _find(self, question: str, history, filters, sentences: bool):
        """Check, condense and retrieve: what ``search`` and ``ask`` share."""
        t0 = time.perf_counter()
        if history is not None and not (isinstance(history, list) and all(isinstance(h, dict) for h in history)):
            raise AssistantError("bad_history", "")
        question, lang = self._check(question)
        query = condense(question, history)
        if self.settings.log_questions:  # off by default: questions may be confidential
            log.info("question (%s): %s", lang, query)
        t1 = time.perf_counter()
        passages, hits, vec = self._search(query, filters, lang, sentences)
        withheld = {p.id: m for p in passages if (m := injected(p.text))}
        if withheld:  # instructions planted in a document: never quoted, never shown to the model
            log.warning("withheld %d paragraph(s) addressing an AI system: %s", len(withheld), ", ".join(withheld))
            passages = [p for p in passages if p.id not in withheld]
            hits = [h for h in hits if h.para_id not in withheld]
        t2 = time.perf_counter()
        return question, lang, query, passages, hits, {"retrieve": round((t2 - t1) * 1000, 1), "start": t0, "end": t2,
                                                       "query_vec": vec, "withheld": sorted(withheld)}

    def search(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Retrieval:
        """The ranked paragraphs the answer would be written from (no answer)."""
        question, lang, query, passages, _, t = self._find(question, history, filters, sentences=False)
        return Retrieval(question=question, query=query, lang=lang, passages=passages,
                         timings_ms={"retrieve": t["retrieve"], "total": round((t["end"] - t["start"]) * 1000, 1)})

    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None,
            mode: str | None = None, language: str | None = None) -> Answer:
        """Answer from the sources: ``stream`` run to its end."""
        answer = None
        for event in self.stream(question, history=history, filters=filters, mode=mode, language=language):
            if event.kind == "answer":
                answer = event.answer
        return answer

    def stream(self, question: str, history: list[dict] | None = None, filters: dict | None = None,
               mode: str | None = None, language: str | None = None):
        """Yield ``StreamEvent``s: first "passages" (the paragraphs the answer
        is written from, numbered as the model sees them), then "token"s of
        the answer as written, last "answer" with the verified ``Answer``
        (its text may differ from the tokens: unsupported sentences are left
        out and markers renumbered). ``language`` ("nl"/"en") sets the answer's
        language; by default it is the question's."""
        # parameters first: a caller's mistake should not cost a retrieval
        # (the message comes in both languages: the question's is not known yet)
        if mode not in (None, "generative", "extractive"):
            raise AssistantError("bad_mode", "", mode=mode)
        if language not in (None, "", "auto", "nl", "en"):
            raise AssistantError("bad_language", "", language=language)
        question, asked, query, passages, hits, t = self._find(question, history, filters, sentences=True)
        lang = language if language in ("nl", "en") else asked
        timings = {"retrieve": t["retrieve"]}
        withheld = t["withheld"]
        warn = [msg(lang, "withheld_note", count=len(withheld))] if withheld else []
        # the threshold belongs to the question's language (cross-lingual scores run lower)
        min_score = self.settings.min_score(asked)
        composed = compose(question, lang, passages, hits, min_score, self.settings.max_citations,
                           render=self._renderer(lang))
        composed = self._covered(composed, question, lang)
        base = dict(question=question, lang=lang, retrieved=passages, query=query, withheld=withheld)
        generative = mode == "generative" or (mode is None and self.settings.backend != "extractive")
        backend, notes = None, []
        # refused by the rules (threshold, number and date rules): no model is asked. A coverage refusal
        # of the quotes does not bind the selecting writer: its own choice is checked for coverage
        selects = self.settings.writer == "select"
        if generative and (not composed.refused or (selects and composed.missing)):
            try:
                backend = self.backend("generative" if mode == "generative" else None)
            except GenerationError as e:
                notes = [msg(lang, "label_fallback", detail=str(e))]
                log.warning("generation unavailable: %s", e)
            if backend is not None and self._warming:
                # the app just started and the model is still loading (~36 s on 2 cores): quote now
                backend, notes = None, [msg(lang, "warming_note")]
        if backend is None:
            # extractive; or refused in code (retrieval threshold, number and
            # date rules) before any model is asked; or no model to ask
            # a coverage refusal already says what is missing and what the sources say instead
            text = self._refusal(lang, composed.text) if composed.refused and not composed.missing else composed.text
            yield StreamEvent("passages", passages=composed.citations)
            t3 = time.perf_counter()
            timings["first_token"] = round((t3 - t["start"]) * 1000, 1)
            yield StreamEvent("token", token=text)
            timings.update(answer=round((t3 - t["end"]) * 1000, 1), total=round((t3 - t["start"]) * 1000, 1))
            in_code = generative and composed.refused
            yield _done(warn, Answer(
                **base, text=text, citations=composed.citations, refused=composed.refused,
                mode="generative" if in_code else "extractive", backend="rules" if in_code else "extractive",
                label=" ".join([msg(lang, "label"), *notes]), timings_ms=timings, notes=notes))
            return

        if selects:
            yield from self._selected(backend, question, lang, passages, hits, history, composed,
                                      dict(base=base, timings=timings, t=t, warn=warn))
            return
        context = select_context(passages, hits, min_score, {c.id: c.spans for c in composed.citations})
        if lang == "en":
            context = self._english_context(t["query_vec"], context)
        yield StreamEvent("passages", passages=[Citation.of(c.passage, c.n, c.spans) for c in context])
        prompt_q = self._followup(question, history, lang)
        written = []
        try:
            for token in backend.stream(build_messages(lang, prompt_q, context), lang):
                if not written:
                    timings["first_token"] = round((time.perf_counter() - t["start"]) * 1000, 1)
                written.append(token)
                yield StreamEvent("token", token=token)
        except GenerationError as e:
            log.warning("generation failed: %s", e)
            note = msg(lang, "label_fallback", detail=str(e))
            t3 = time.perf_counter()
            timings.setdefault("first_token", round((t3 - t["start"]) * 1000, 1))
            timings.update(total=round((t3 - t["start"]) * 1000, 1))
            yield StreamEvent("token", token="\n\n" + composed.text)
            yield _done(warn, Answer(
                **base, text=composed.text, citations=composed.citations, mode="extractive",
                label=f"{msg(lang, 'label')} {note}", timings_ms=timings, notes=[note]))
            return
        t3 = time.perf_counter()
        raw = "".join(written).strip()
        checked = verify(raw, context, self._support_texts(context) if lang == "en" else {},
                         self._embedder.embed_queries, self._vectors(context), question=prompt_q)
        t4 = time.perf_counter()
        notes = []
        if checked.removed and not checked.refused:
            notes.append(msg(lang, "unsupported_note", count=checked.removed))
        timings.setdefault("first_token", round((t3 - t["start"]) * 1000, 1))
        timings.update(generate=round((t3 - t["end"]) * 1000, 1), verify=round((t4 - t3) * 1000, 1),
                       total=round((t4 - t["start"]) * 1000, 1), tokens=len(written))
        kind = answer_type(question)
        typed = has_quantity if kind == "quantity" else has_time
        if not checked.refused and kind != "any" and not any(typed(x.text) for x in checked.sentences if x.supported):
            # asked for a number or a date, and the model's checked answer
            # holds none: quote the sentences that do (the extractive rules found them)
            note = msg(lang, "typed_fallback")
            yield _done(warn, Answer(
                **base, text=composed.text, citations=composed.citations, mode="extractive", backend=backend.name,
                model=backend.model, label=f"{msg(lang, 'label')} {note}", timings_ms=timings, notes=[note],
                sentences=checked.sentences, raw=raw))
            return
        text = self._refusal(lang, msg(lang, "refusal")) if checked.refused else checked.text
        yield _done(warn, Answer(
            **base, text=text, citations=checked.citations, refused=checked.refused, mode="generative",
            label=msg(lang, "label_generated", model=backend.model), timings_ms=timings,
            sentences=checked.sentences, backend=backend.name, model=backend.model, notes=notes, raw=raw))

    def _selected(self, backend, question, lang, passages, hits, history, quotes, run):
        """The written answer, attribute-first (select.py): the model picks the
        sentences under a grammar, code quotes them and checks coverage."""
        from .answer import with_lists, write
        from .select import build_messages as select_messages, choose_candidates, grammar, parse

        base, timings, t = run["base"], run["timings"], run["t"]
        render = self._renderer(lang)
        cands = choose_candidates(question, passages, hits, render)
        yield StreamEvent("passages", passages=[Citation.of(c.passage, c.n, ((c.hit.start, c.hit.end),))
                                                for c in cands])
        t3 = time.perf_counter()
        try:
            reply = backend.select(select_messages(lang, self._followup(question, history, lang), cands),
                                   grammar(len(cands)), lang) if cands else "[]"
        except GenerationError as e:  # the model failed: the quotes answer, and why
            log.warning("selection failed: %s", e)
            note = msg(lang, "label_fallback", detail=str(e))
            timings.update(first_token=round((time.perf_counter() - t["start"]) * 1000, 1),
                           total=round((time.perf_counter() - t["start"]) * 1000, 1))
            yield StreamEvent("token", token=quotes.text)
            yield _done(run["warn"], Answer(**base, text=quotes.text, citations=quotes.citations, refused=quotes.refused,
                                            mode="extractive", label=f"{msg(lang, 'label')} {note}",
                                            timings_ms=timings, notes=[note]))
            return
        picked = [cands[i - 1] for i in parse(reply, len(cands))]
        if picked:
            chosen: dict[str, list] = {}
            for c in picked:
                chosen.setdefault(c.passage.id, []).append(c.hit)
            if self.settings.select_adds and not quotes.refused:
                # the model adds to what the scoring chose, it does not replace it
                for c in quotes.citations:
                    for a, b in c.spans:
                        if not any(h.start == a for h in chosen.get(c.id, [])):
                            chosen.setdefault(c.id, []).append(SentenceHit(c.id, a, b, c.score))
            known = {p.id: p for p in passages} | {c.passage.id: c.passage for c in cands}
            composed = self._covered(write(lang, known, with_lists(chosen, passages, known), render), question, lang)
        elif quotes.missing:  # none answers, and coverage already said what is missing and what is nearest
            composed = quotes
        else:  # none answers: say so, with what the sources do say nearest to it
            text = msg(lang, "none_chosen") + (f"\n\n{msg(lang, 'nearest')}\n\n{quotes.quotes}" if quotes.quotes else "")
            composed = replace(quotes, text=text, refused=True, reason="none chosen")
        t4 = time.perf_counter()
        timings.update(first_token=round((t4 - t["start"]) * 1000, 1), generate=round((t4 - t3) * 1000, 1),
                       total=round((t4 - t["start"]) * 1000, 1))
        yield StreamEvent("token", token=composed.text)
        yield _done(run["warn"], Answer(
            **base, text=composed.text, citations=composed.citations, refused=composed.refused, mode="generative",
            label=msg(lang, "label_selected", model=backend.model), timings_ms=timings, backend=backend.name,
            model=backend.model, raw=reply))

    def _followup(self, question: str, history, lang: str) -> str:
        """The question as the model reads it: a follow-up names the earlier one."""
        previous = [h.get("content", "") for h in (history or []) if h.get("role") == "user" and h.get("content")]
        if not previous:
            return question
        return prompts(lang)["generation"]["followup"].format(question=question, previous=previous[-1].strip())

    def _renderer(self, lang: str):
        """Quotes in the asker's language: English askers get the labelled
        rendering of each Dutch sentence (rendering.py), when it is faithful."""
        if lang != "en":
            return None
        from .rendering import shown

        cache = self._translation_cache()
        return lambda p, span: shown(p.text, span, cache.get(p.text))

    def _translation_cache(self):
        from index.translate import TranslationCache

        if self._translations is None:
            self._translations = TranslationCache.open(self.settings.sources_dir)
        return self._translations

    def _covered(self, composed, question: str, lang: str):
        """Refusal by coverage (coverage.py): the question's restricting terms
        must be backed by what the answer quotes and its headings."""
        from .coverage import gate

        if not self.settings.coverage:
            return composed
        lexical = self._retriever.lexical_en if lang == "en" else self._retriever.lexical
        cache = self._translation_cache() if lang == "en" else None
        return gate(composed, question, lang, headings=cache.get if cache else None,
                    renderings=cache.get if cache else None, knows=lexical.knows if lexical is not None else None)

    def _refusal(self, lang: str, text: str) -> str:
        """"Not in the sources", with what the sources are about."""
        titles = "; ".join(d["title"] for d in self.documents) or "-"
        return f"{text}\n\n{msg(lang, 'refusal_hint', documents=titles)}"

    def _english_context(self, query_vec, context):
        """The English renderings of the context paragraphs, best sentences first."""
        from .generate import in_english

        renderings, scores = {}, {}
        for c in context:
            got = self._rendering_sentences(c.passage)
            if got:
                renderings[c.passage.id] = got[0]
                scores[c.passage.id] = [(sp, float(v @ query_vec)) for sp, v in zip(got[1], got[2])]
        return in_english(context, renderings, scores) if renderings else context

    def _rendering_sentences(self, p):
        """(rendering, sentence spans, sentence vectors) of a paragraph's English
        rendering, embedded once per process: ~250 ms per question otherwise."""
        text = self._translation_cache().get(p.text)
        if not text:
            return None
        cached = self._rendering_vecs.get(p.id)
        if cached is None or cached[0] != text:
            spans = split_sentences(text)
            cached = (text, spans, self._embedder.embed_passages([text[a:b] for a, b in spans]))
            self._rendering_vecs[p.id] = cached
        return cached

    def _support_texts(self, context) -> dict[str, str]:
        """Paragraph + its English rendering: what an English sentence may rest on."""
        ids = [c.passage.id for c in context]
        out = {c.passage.id: c.passage.text for c in context}
        if self._english is not None:
            try:
                got = self._english.get(ids=ids, include=["documents"])
                for pid, doc in zip(got["ids"], got["documents"] or []):
                    out[pid] = f"{out.get(pid, '')}\n{doc}"
            except Exception as e:  # an index without renderings still verifies against the Dutch
                log.warning("English renderings unavailable: %s", e)
        return out

    def _vectors(self, context) -> dict:
        got = self._collection.get(ids=[c.passage.id for c in context], include=["embeddings"])
        return {pid: np.asarray(v, dtype=np.float32) for pid, v in zip(got["ids"], got["embeddings"])}

    def _retrieve(self, query: str, filters: dict | None, lang: str, sentences: bool):
        from llama_index.core.schema import QueryBundle

        from index.roles import question_roles

        vec = self._embedder.embed_queries([query])[0]
        passages, hits = self._retriever.retrieve(QueryBundle(query_str=query, embedding=vec.tolist()), filters,
                                                  weights=self.settings.fusion(lang), sentences=sentences,
                                                  roles=tuple(question_roles(query, lang)),
                                                  role_boost=self.settings.role_boost)
        return passages, [SentenceHit(*h) for h in hits], vec


def _done(warnings: list[str], answer: Answer) -> StreamEvent:
    """The final event; warnings about the sources (withheld paragraphs) lead its notes."""
    answer.notes = warnings + answer.notes
    return StreamEvent("answer", answer=answer)


def _short(e: Exception) -> str:
    s = str(e).strip().splitlines()[0] if str(e).strip() else e.__class__.__name__
    return s[:200]
