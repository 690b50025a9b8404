"""What the writing model reads: the best paragraphs, each cut to the
sentences closest to the question, in English for English askers.

Prompt processing on 2 cores runs at ~75 tokens/s (a 732-token prompt: first
token after 9.5 s), so the context is the best sentences of the best
paragraphs, not whole paragraphs (``settings.Tuned``)."""
from __future__ import annotations

from settings import Tuned

from .types import ContextPassage, Passage, SentenceHit


def select_context(passages: list[Passage], hits: list[SentenceHit], min_score: float,
                   evidence: dict[str, tuple[tuple[int, int], ...]] | None = None,
                   max_passages: int = Tuned.CONTEXT_PASSAGES, budget: int = Tuned.CONTEXT_CHARS) -> list[ContextPassage]:
    """The paragraphs the model reads, each cut down to the sentences closest
    to the question. ``evidence`` (paragraph id → sentence spans) is what the
    extractive answer chose, with its number/date rules: those paragraphs come
    first and those sentences are always shown; the best-ranked other
    paragraphs above the threshold fill the rest of the budget."""
    evidence = evidence or {}
    by_id = {p.id: p for p in passages}
    order = [by_id[i] for i in evidence if i in by_id]
    order += [p for p in passages if p.closeness >= min_score and p.id not in evidence]
    chosen = order[:max_passages] or passages[:1]
    by_para: dict[str, list[SentenceHit]] = {}
    for h in hits:
        by_para.setdefault(h.para_id, []).append(h)
    out, left = [], budget
    for i, p in enumerate(chosen):
        share = max(160, left // (len(chosen) - i))  # unused budget rolls over
        if len(p.text) <= max(Tuned.SHORT_PARAGRAPH, share):
            spans = [(0, len(p.text))]
        else:
            spans = list(evidence.get(p.id, ()))
            used = sum(b - a for a, b in spans)
            for h in sorted(by_para.get(p.id, []), key=lambda h: -h.score):
                if (h.start, h.end) in spans or (spans and used + (h.end - h.start) > share):
                    continue
                spans.append((h.start, h.end))
                used += h.end - h.start
            spans = sorted(spans) or [(0, min(len(p.text), share))]
        out.append(ContextPassage(i + 1, p, tuple(spans)))
        left -= sum(b - a for a, b in spans)
    return out


def in_english(context: list[ContextPassage], renderings: dict[str, str],
               scores: dict[str, list[tuple[tuple[int, int], float]]], budget: int = Tuned.CONTEXT_CHARS,
               required: dict[str, list[tuple[int, int]]] | None = None) -> list[ContextPassage]:
    """For an English question, the model reads the index-time English
    rendering of each paragraph (its best sentences, by ``scores``: span in
    the rendering → similarity to the question) instead of the Dutch: a 1.5B
    model answers far better in one language than while translating (adding
    the Dutch key sentence made it answer partly in Dutch: language match
    1.00 → 0.93 on the English questions). The Dutch wording is in the cited
    paragraph shown with every answer. ``required`` (paragraph id → spans of
    its rendering) are always shown, as the quotes' sentences are in Dutch."""
    out, left = [], budget
    for i, c in enumerate(context):
        text = renderings.get(c.passage.id)
        if not text:
            out.append(c)
            left -= len(c.excerpt)
            continue
        share = max(160, left // (len(context) - i))
        if len(text) <= max(Tuned.SHORT_PARAGRAPH, share):
            shown = text
        else:
            spans = list((required or {}).get(c.passage.id, ()))
            used = sum(b - a for a, b in spans)
            for (a, b), _ in sorted(scores.get(c.passage.id, []), key=lambda x: -x[1]):
                if (a, b) in spans:
                    continue
                if spans and used + (b - a) > share:
                    continue
                spans.append((a, b))
                used += b - a
            shown = " … ".join(text[a:b] for a, b in sorted(spans)) or text[:share]
        shown = shown.replace("\n", " ")
        out.append(ContextPassage(c.n, c.passage, c.spans, shown=shown))
        left -= len(shown)
    return out
