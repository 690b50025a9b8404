"""The written answer, attribute-first: the model chooses, code composes.

A 1.5B model on 2 cores writes poorly but can choose well. It reads the
candidate sentences, numbered, each with its section path, and answers only
with the numbers of those that answer the question, under a llama.cpp
grammar, so its output is always a parseable list of at most
``Tuned.MAX_CHOSEN`` numbers (or ``[]``: none does). Code then quotes the chosen
sentences verbatim (compose.write), in the asker's language where a faithful
rendering exists, and checks coverage like the quotes answer.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import replace

from settings import Tuned

from .backends import Backend, GenerationError
from .compose import (by_structure, candidates, closed_question, dating, with_antecedents, with_blocks, with_citing,
                      with_lists, with_notes, with_roles_whole, without_own_headings, write)
from .condense import followup, leaned_on
from .messages import text as msg, with_nearest
from .prompt import judge_messages, judge_words, selection_messages
from .types import Candidate, Citation, Passage, SentenceHit, StreamEvent, Turn
from .write import quoted_instead

log = logging.getLogger(__name__)


def choose_candidates(question: str, passages: list[Passage], hits: list[SentenceHit],
                      render=None, k: int = Tuned.CANDIDATES) -> list[Candidate]:
    """The best ``k`` sentences by the quotes answer's scoring; a lead-in's
    headings come along with it (the list is the answer to "what are the …")."""
    by_id = {p.id: p for p in passages}
    out: list[Candidate] = []
    seen: set[tuple[str, int]] = set()

    def add(hit: SentenceHit, p: Passage) -> None:
        if (hit.para_id, hit.start) in seen:
            return
        seen.add((hit.para_id, hit.start))
        text = render(p, (hit.start, hit.end)).text if render else p.text[hit.start:hit.end]
        out.append(Candidate(len(out) + 1, hit, p, text.replace("\n", " ")))

    for _, _, hit, p in candidates(question, passages, hits, render):
        if len(out) >= k:
            break
        add(hit, p)
        for h in p.heads:
            if h in by_id and len(out) < k + len(p.heads):
                unit = by_id[h]
                add(SentenceHit(h, 0, len(unit.text), unit.score), unit)
    return out


def grammar(n: int) -> str:
    """GBNF: "[]" or "[a, b, …]" with numbers 1..n, at most Tuned.MAX_CHOSEN of them."""
    nums = " | ".join(f'"{i}"' for i in range(n, 0, -1))  # longest first: "10" before "1"
    rest = " ".join(['("," " "? num)?'] * (Tuned.MAX_CHOSEN - 1))
    return f'root ::= "[" (num {rest})? "]"\nnum ::= {nums}\n'


_NUM = re.compile(r"\d+")


def parse(reply: str, n: int) -> list[int]:
    """The chosen numbers, in order, without repeats or numbers out of range
    (a server without grammar support may say more than the list)."""
    body = reply[reply.find("["):reply.find("]") + 1] if "[" in reply and "]" in reply else reply
    out: list[int] = []
    for m in _NUM.findall(body):
        i = int(m)
        if 1 <= i <= n and i not in out:
            out.append(i)
    return out[:Tuned.MAX_CHOSEN]


def selected(turn: Turn, backend: Backend, how: str = "filter") -> Iterator[StreamEvent]:
    """The model picks the sentences under a grammar; code quotes them and
    checks coverage. ``how`` (settings.select): the pick filters the quotes'
    paragraphs, is added to them, or replaces them."""
    found, lang, quotes = turn.found, turn.lang, turn.quotes
    cands = choose_candidates(found.question, found.passages, found.hits, turn.render)
    yield StreamEvent("passages", passages=[Citation.of(c.passage, c.n, ((c.hit.start, c.hit.end),)) for c in cands])
    if not quotes.refused and quotes.citations:
        # the model keeps the best of these (or adds to them) and has not refused where
        # the scoring answered (158 of 158 eval questions): show them while it chooses
        turn.timings["first_quote"] = turn.ms()
        yield StreamEvent("draft", token=quotes.text)
    t3 = time.perf_counter()
    try:
        asked = followup(found.question, turn.history, lang)
        msgs = selection_messages(lang, asked, cands)
        # with the pick, the model's doubt that any sentence answers (read before it chose)
        reply, doubt = backend.pick(msgs, grammar(len(cands)), lang) if cands else ("[]", None)
    except GenerationError as e:  # the model failed: the quotes answer, and why
        log.warning("selection failed: %s", e)
        yield from quoted_instead(turn, msg(lang, "label_fallback", detail=str(e)))
        return
    picked = [cands[i - 1] for i in parse(reply, len(cands))]
    judged = None
    if picked:
        composed = turn.cover(_quote_picked(picked, turn, cands, how), found.question)
        # the quotes' first paragraph: the scoring's best, whatever the model added
        firsts = quotes.citations if not quotes.refused and quotes.citations else composed.citations
        first_quote = firsts[0] if firsts else None
        # the check costs a second prompt (~2 s on 2 cores): not asked where the model was sure
        # some sentence answers (dev: the near miss the check refused had doubt 0.064; Tuned.JUDGE_DOUBT)
        sure = doubt is not None and doubt < Tuned.JUDGE_DOUBT
        # nor where the documents' structure found the answer (an item by its ordinal, a block by its cue): the
        # model, reading "3. Oprichting van een Europese AI-innovatiehub …", judged it no answer to "the last one"
        sure = sure or (Tuned.UNJUDGED_STRUCTURE and by_structure(found.question, found.passages, turn.render,
                                                                   followup=bool(turn.history)))
        if Tuned.JUDGE and not composed.refused and first_quote is not None and not closed_question(asked) and not sure:
            t4 = time.perf_counter()
            try:
                judged = backend.judge(judge_messages(lang, asked, first_quote),
                                       *judge_words(lang), lang=lang)
            except GenerationError as e:  # the answer stands unjudged
                log.warning("judging failed: %s", e)
            turn.timings["judge"] = turn.ms(t4)
            if judged is not None and judged < Tuned.JUDGE_MIN:
                text = with_nearest(lang, msg(lang, "judged_refusal"), composed.quotes)
                composed = replace(composed, text=text, refused=True, reason=f"judged {judged:.2f}")
    elif quotes.missing:  # none answers, and coverage already said what is missing and what is nearest
        composed = quotes
    else:  # none answers: say so, with what the sources do say nearest to it
        text = with_nearest(lang, msg(lang, "none_chosen"), quotes.quotes)
        composed = replace(quotes, text=text, refused=True, reason="none chosen")
    turn.timings.update(first_token=turn.ms(), generate=turn.ms(t3), total=turn.ms())
    yield StreamEvent("token", token=composed.text)
    yield turn.answer(text=composed.text, citations=composed.citations, refused=composed.refused, mode="generative",
                      label=msg(lang, "label_selected", model=backend.model), backend=backend.name,
                      model=backend.model, raw=reply, judged=judged, doubt=doubt)


def _quote_picked(picked: list[Candidate], turn: Turn, cands: list[Candidate], how: str):
    """The answer's sentences, quoted in order. "filter": the quotes' first
    ``Tuned.SELECT_KEEP`` paragraphs, and a later one only if the model picked
    a sentence of it, each with the model's picks in it: the scoring's later
    paragraphs were often padding (dev precision 0.715), and the model's picks
    elsewhere added no fact the quotes lacked. "add": the picks
    and every quote. "replace" (and whenever the quotes refused): the picks alone."""
    chosen: dict[str, list] = {}
    for c in picked:
        chosen.setdefault(c.passage.id, []).append(c.hit)
    quotes = [] if turn.quotes.refused or how == "replace" else turn.quotes.citations
    if how == "filter" and quotes:
        keep = [c.id for i, c in enumerate(quotes) if i < Tuned.SELECT_KEEP or c.id in chosen]
        chosen = {pid: chosen.get(pid, []) for pid in keep}
    for c in quotes:
        if c.id in chosen or how == "add":
            for a, b in c.spans:
                if not any(h.start == a for h in chosen.get(c.id, [])):
                    chosen.setdefault(c.id, []).append(SentenceHit(c.id, a, b, c.score))
    passages = turn.found.passages
    known = {p.id: p for p in passages} | {c.passage.id: c.passage for c in cands}
    if Tuned.OWN_HEADING:  # a heading picked after a paragraph under it, as in the quotes
        chosen = without_own_headings(chosen, known)
    chosen = with_citing(with_antecedents(chosen, turn.found.hits, known), known)
    # what the question asks of the structure comes back as in the quotes: the footnote naming a
    # source ("which report recommended this?"), a whole block, a lead-in's list
    question = turn.found.question
    chosen = with_roles_whole(with_blocks(with_notes(chosen, question, known), question, known), question, known)
    return write(turn.lang, known, with_lists(chosen, passages, known, question, turn.render), turn.render,
                 dating(question, leaned_on(turn.history)))
