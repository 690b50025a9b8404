"""The written answer, attribute-first: the model chooses, code composes.

A 1.5B model on 2 cores writes poorly but can choose well. It reads the
candidate sentences, numbered, each with its section path, and answers only
with the numbers of those that answer the question, under a llama.cpp
grammar, so its output is always a parseable list of at most
``MAX_CHOSEN`` numbers (or ``[]``: none does). Code then quotes the chosen
sentences verbatim (answer.write), in the asker's language where a faithful
rendering exists, and checks coverage like the quotes answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .answer import SentenceHit, candidates
from .messages import messages
from .types import Passage

CANDIDATES = 4  # sentences the model reads: ~55 tokens each at ~70 prompt tokens/s on 2 cores (6: p50 5.4 s)
MAX_CHOSEN = 4
SENTENCE_CHARS = 160  # a longer sentence is cut for the model (the answer quotes it whole)


@dataclass(frozen=True)
class Candidate:
    n: int  # the number the model sees
    hit: SentenceHit
    passage: Passage
    shown: str  # the sentence as the model reads it (the asker's language where a rendering exists)


def choose_candidates(question: str, passages: list[Passage], hits: list[SentenceHit],
                      render=None, k: int = CANDIDATES) -> list[Candidate]:
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

    for _, _, hit, p in candidates(question, passages, hits):
        if len(out) >= k:
            break
        add(hit, p)
        for h in p.heads:
            if h in by_id and len(out) < k + len(p.heads):
                unit = by_id[h]
                add(SentenceHit(h, 0, len(unit.text), unit.score), unit)
    return out


def grammar(n: int) -> str:
    """GBNF: "[]" or "[a, b, …]" with numbers 1..n, at most MAX_CHOSEN of them."""
    nums = " | ".join(f'"{i}"' for i in range(n, 0, -1))  # longest first: "10" before "1"
    rest = " ".join(['("," " "? num)?'] * (MAX_CHOSEN - 1))
    return f'root ::= "[" (num {rest})? "]"\nnum ::= {nums}\n'


def build_messages(lang: str, question: str, cands: list[Candidate]) -> list[dict]:
    """Chat messages from the language's prompt file (key ``select``): the
    rules and worked examples first (they stay in llama.cpp's prefix cache)."""
    g = messages(lang)["select"]
    out = [{"role": "system", "content": g["system"]}]
    for ex in g["examples"]:
        out.append({"role": "user", "content": ex["user"]})
        out.append({"role": "assistant", "content": ex["assistant"]})
    lines = []
    for c in cands:
        where = c.passage.section.split(" > ")[-1] if c.passage.section else c.passage.doc_title
        text = c.shown if len(c.shown) <= SENTENCE_CHARS else c.shown[:SENTENCE_CHARS].rsplit(" ", 1)[0] + " …"
        lines.append(g["sentence"].format(n=c.n, section=where, text=text))
    out.append({"role": "user", "content": g["user"].format(sentences="\n".join(lines), question=question)})
    return out


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
    return out[:MAX_CHOSEN]
