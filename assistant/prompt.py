"""The writing model's chat messages, from the language's data file
(``assistant/prompts/<lang>.json``): prompts are data, not code.

The writing writer's prompt (``build_messages``) and the selecting writer's
(``selection_messages``) put their rules and worked examples first: they stay
in llama.cpp's prefix cache."""
from __future__ import annotations

from settings import Tuned

from .messages import messages
from .types import Candidate, Citation, ContextPassage


def build_messages(lang: str, question: str, context: list[ContextPassage]) -> list[dict]:
    """Chat messages from ``assistant/prompts/<lang>.json``: system rules,
    two worked examples (an answer and a refusal), then the real question."""
    g = messages(lang)["generation"]
    refusal = g["refusal"]
    out = [{"role": "system", "content": g["system"].format(refusal=refusal)}]
    for ex in g["examples"]:
        out.append({"role": "user", "content": ex["user"]})
        out.append({"role": "assistant", "content": ex["assistant"].format(refusal=refusal)})
    passages = "\n".join(g["passage"].format(n=c.n, text=c.excerpt.replace("\n", " ")) for c in context)
    out.append({"role": "user", "content": g["user"].format(passages=passages, question=question)})
    return out


def selection_messages(lang: str, question: str, cands: list[Candidate]) -> list[dict]:
    """Chat messages from the language's prompt file (key ``select``): the
    rules and worked examples first (they stay in llama.cpp's prefix cache)."""
    g = messages(lang)["select"]
    out = [{"role": "system", "content": g["system"]}]
    for ex in g["examples"]:
        out.append({"role": "user", "content": ex["user"]})
        out.append({"role": "assistant", "content": ex["assistant"]})
    lines, previous = [], None
    for c in cands:
        where = c.passage.section.split(" > ")[-1] if c.passage.section else c.passage.doc_title
        text = c.shown if len(c.shown) <= Tuned.SENTENCE_CHARS else c.shown[:Tuned.SENTENCE_CHARS].rsplit(" ", 1)[0] + " …"
        # each section named once, and a heading not twice: the prompt is read at ~60 tokens/s, and
        # a document without sections would repeat its whole title before every sentence
        plain = where == previous or c.shown.startswith(where)
        lines.append(g["sentence_plain" if plain else "sentence"].format(n=c.n, section=where, text=text))
        previous = where
    out.append({"role": "user", "content": g["user"].format(sentences="\n".join(lines), question=question)})
    return out


def judge_messages(lang: str, question: str, first: Citation | None) -> list[dict]:
    """Does ``first`` (the quotes' first paragraph, as the asker is shown it) give what
    the question asks? A conversation of its own: asked as one more turn after its
    pick, the model mostly confirmed what it had just picked."""
    g = messages(lang)["select"]["judge"]
    text = "" if first is None else " ".join(first.shown) or " ".join(first.text[a:b] for a, b in first.spans)
    if first is not None and first.cited_by and Tuned.JUDGE_CITING:
        # a footnote says what it is a note to only in the sentence citing it: "Tweede Kamer, …, 26 643,
        # nr. 1125" alone does not say it is where the government's vision on generative AI stands
        text = f"{first.cited_by.strip()} ({text})"
    return [{"role": "system", "content": g["system"]},
            {"role": "user", "content": g["user"].format(question=question, text=text[:Tuned.JUDGE_CHARS])}]


def judge_words(lang: str) -> tuple[list[str], list[str]]:
    """The words that say yes and no in the language's judge prompt."""
    g = messages(lang)["select"]["judge"]
    return g["yes"], g["no"]
