"""Follow-up questions: what to search with, and what the model reads.

A follow-up ("En wat vindt Nederland daarvan?") names no topic; the previous
user turn supplies it."""
from __future__ import annotations

from .clean import tidy
from .messages import messages


def leaned_on(history: list[dict] | None) -> str:
    """The question a follow-up leans on: the last user turn ("" for none)."""
    previous = [tidy(str(t.get("content") or "")) for t in (history or []) if t.get("role") == "user"]
    return next((p for p in reversed(previous) if p), "")


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
