"""The written answer (``ASSISTANT_WRITER=write``): the model writes one to
three sentences from the best sentences of the best paragraphs, and each
sentence is checked against its source (cite.py) before it is shown.

When the model fails, or asked for a number or a date its checked answer
holds none, the quotes answer is given instead, with the reason."""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from index.faithful import part

from .backends import Backend, GenerationError
from .cite import verify
from .compose import answer_type, has_frequency, has_quantity, has_time
from .condense import followup
from .context import in_english, select_context
from .messages import text as msg
from .open_index import OpenIndex
from .prompt import build_messages
from .types import Citation, ContextPassage, StreamEvent, Turn

log = logging.getLogger(__name__)


def written(turn: Turn, backend: Backend, index: OpenIndex, min_score: float, refusal) -> Iterator[StreamEvent]:
    """``refusal(lang, text)``: "not in the sources" with what the sources are about."""
    found, lang = turn.found, turn.lang
    evidence = {c.id: c.spans for c in turn.quotes.citations}
    context = select_context(found.passages, found.hits, min_score, evidence)
    if lang == "en":
        context = english_context(index, found.query_vec, context, evidence)
    yield StreamEvent("passages", passages=[Citation.of(c.passage, c.n, c.spans) for c in context])
    question = followup(found.question, turn.history, lang)
    tokens: list[str] = []
    try:
        for token in backend.stream(build_messages(lang, question, context), lang):
            if not tokens:
                turn.timings["first_token"] = turn.ms()
            tokens.append(token)
            yield StreamEvent("token", token=token)
    except GenerationError as e:
        log.warning("generation failed: %s", e)
        yield from quoted_instead(turn, msg(lang, "label_fallback", detail=str(e)), lead="\n\n")
        return
    t3 = time.perf_counter()
    raw = "".join(tokens).strip()
    support = support_texts(index, context) if lang == "en" else {}
    checked = verify(raw, context, support, index.embedder.embed_queries,
                     index.store.vectors([c.passage.id for c in context]), question=question)
    turn.timings.setdefault("first_token", round((t3 - found.started) * 1000, 1))
    turn.timings.update(generate=round((t3 - found.ended) * 1000, 1), verify=turn.ms(t3), total=turn.ms(),
                        tokens=len(tokens))
    if not checked.refused and not _typed_ok(found.question, checked):
        # asked for a number or a date, and the model's checked answer holds
        # none: quote the sentences that do (the quotes rules found them)
        note = msg(lang, "typed_fallback")
        yield turn.answer(text=turn.quotes.text, citations=turn.quotes.citations, mode="extractive",
                          backend=backend.name, model=backend.model, label=f"{msg(lang, 'label')} {note}",
                          notes=[note], sentences=checked.sentences, raw=raw)
        return
    notes = [msg(lang, "unsupported_note", count=checked.removed)] if checked.removed and not checked.refused else []
    text = refusal(lang, msg(lang, "refusal")) if checked.refused else checked.text
    yield turn.answer(text=text, citations=checked.citations, refused=checked.refused, mode="generative",
                      label=msg(lang, "label_generated", model=backend.model), sentences=checked.sentences,
                      backend=backend.name, model=backend.model, notes=notes, raw=raw)


def _typed_ok(question: str, checked) -> bool:
    """A question for a number or a date has one in a supported sentence."""
    kind = answer_type(question)
    if kind not in ("quantity", "time", "frequency"):  # a place is a soft type: never required
        return True
    typed = {"quantity": has_quantity, "time": has_time, "frequency": has_frequency}[kind]
    return any(typed(x.text) for x in checked.sentences if x.supported)


def quoted_instead(turn: Turn, note: str, lead: str = "") -> Iterator[StreamEvent]:
    """The model failed: the quotes answer, labelled with why."""
    turn.timings.setdefault("first_token", turn.ms())
    turn.timings.update(total=turn.ms())
    q = turn.quotes
    yield StreamEvent("token", token=lead + q.text)
    yield turn.answer(text=q.text, citations=q.citations, refused=q.refused, mode="extractive",
                      label=f"{msg(turn.lang, 'label')} {note}", notes=[note])


def english_context(index: OpenIndex, query_vec, context: list[ContextPassage],
                    evidence: dict[str, tuple[tuple[int, int], ...]] | None = None) -> list[ContextPassage]:
    """The English renderings of the context paragraphs, made as the Dutch
    context is: the renderings of the sentences the quotes chose
    (``evidence``) always, then the sentences closest to the question. By
    closeness alone, "Which organisations help Dutch schools deal with AI?"
    read the AI coalition's sentence, not the one naming Kennisnet and SURF."""
    renderings, scores, required = {}, {}, {}
    for c in context:
        got = index.rendering_sentences(c.passage)
        if got:
            text, spans, vectors = got
            chosen = [x for x in (part(c.passage.text, sp, text) for sp in (evidence or {}).get(c.passage.id, ())) if x]
            renderings[c.passage.id] = text
            scores[c.passage.id] = [(sp, float(v @ query_vec)) for sp, v in zip(spans, vectors)]
            required[c.passage.id] = [sp for sp in spans if any(text[sp[0]:sp[1]].strip() in x for x in chosen)]
    return in_english(context, renderings, scores, required=required) if renderings else context


def support_texts(index: OpenIndex, context: list[ContextPassage]) -> dict[str, str]:
    """Paragraph + its English rendering: what an English sentence may rest on."""
    out = {c.passage.id: c.passage.text for c in context}
    try:
        for pid, doc in index.store.english_texts(list(out)).items():
            out[pid] = f"{out.get(pid, '')}\n{doc}"
    except Exception as e:  # an index without renderings still verifies against the Dutch
        log.warning("English renderings unavailable: %s", e)
    return out
