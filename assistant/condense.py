"""Follow-up questions: what to search with, and what the model reads.

A follow-up ("En wat vindt Nederland daarvan?") names no topic; the previous
user turn supplies it."""
from __future__ import annotations

import re

from settings import Tuned

from .clean import tidy
from .messages import messages

# (a possessive points back too: "What did its study look at?" after a question about DEN; not Dutch "zijn",
# which is mostly "are")
_POINTING = re.compile(r"\b(dit|dat|daar\w*|hier\w*|deze|die|ze|zij|hij|hun|haar|this|that|these|those|it|they|them|"
                       r"its|their|his|her)\b", re.I)


def points_back(text: str) -> bool:
    """Does a question point back to one before it ("Which report recommended this?", "Gaat Nederland
    daarmee akkoord?")?"""
    return bool(_POINTING.search(text))


# a follow-up that narrows the question before it to another scope: "And for primary schools?", "En voor het mbo?"
_NARROWS = re.compile(r"^\W*(?:and|en|maar|but)\s+(?:for|voor|in|bij|at)\b", re.I)


def narrows(question: str) -> bool:
    return bool(_NARROWS.match(question))


def elliptical(question: str) -> bool:
    """Does a question name too little to stand alone: no name, one restricting word at most ("How did other
    member states react?")? A word generic in either language restricts nothing."""
    from .coverage import lexicon, terms

    nl, en = terms(question, "nl"), terms(question, "en")
    words = {t.word.lower() for t in nl} & {t.word.lower() for t in en}
    # a nationality or its country names whose view is asked, not what about ("What is the Dutch position?")
    holders = ({n for lang in ("nl", "en") for k, forms in lexicon(lang)["nationalities"].items() for n in [k, *forms]}
               if Tuned.HOLDER_NOT_TOPIC else set())
    names = [t for t in nl + en if t.kind == "name" and t.word.lower() not in holders]
    return not names and len(words - holders) <= 1


def leaned_on(history: list[dict] | None) -> str:
    """The question a follow-up leans on: the last user turn ("" for none), after the one before it
    when it points back itself: "Hoe reageerden de andere lidstaten?" after "Gaat Nederland daarmee
    akkoord?" is about the influencers of "Wat zegt de brief over influencers?" (Tuned.LEANED_CHAIN)."""
    previous = [p for p in (tidy(str(t.get("content") or "")) for t in (history or []) if t.get("role") == "user") if p]
    if not previous:
        return ""
    if Tuned.LEANED_CHAIN and len(previous) > 1 and (points_back(previous[-1]) or elliptical(previous[-1])
                                                          or narrows(previous[-1])):
        return f"{previous[-2]}\n{previous[-1]}"
    return previous[-1]


def condense(question: str, history: list[dict] | None) -> str:
    """The text to search with. A plain join for now: a model-written
    stand-alone question can replace it without changing callers."""
    previous = leaned_on(history)
    return f"{previous}\n{question}" if previous else question


def followup(question: str, history: list[dict] | None, lang: str) -> str:
    """The question as the model reads it: a follow-up names the earlier one."""
    previous = [h.get("content", "") for h in (history or []) if h.get("role") == "user" and h.get("content")]
    if not previous:
        return question
    return messages(lang)["generation"]["followup"].format(question=question, previous=previous[-1].strip())
