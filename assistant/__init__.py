"""Answering: ``ask(question, history=None, filters=None) -> Answer``.

Importing the package makes the process offline first (via ``index``).
"""
from __future__ import annotations

import threading

import index  # noqa: F401  (sets the offline environment before heavy imports)

from .messages import AssistantError
from .types import Answer, Citation, Passage, Retrieval, SentenceSupport, StreamEvent

_default = None
_lock = threading.Lock()


def get_assistant():
    """The process-wide assistant: model and index are opened once."""
    global _default
    with _lock:
        if _default is None:
            from .pipeline import Assistant

            _default = Assistant()
        return _default


def use(assistant) -> None:
    """Make ``assistant`` the process's assistant: ``app.build_app(settings)``
    installs the one it built from its settings, so the workspace, the Gradio
    API and /v1 answer with those settings, not with others read from the
    environment again."""
    global _default
    with _lock:
        _default = assistant


def ask(question: str, history: list[dict] | None = None, filters: dict | None = None,
        mode: str | None = None, language: str | None = None) -> Answer:
    """Answer ``question`` from the indexed sources, with paragraph citations.

    ``history`` is the conversation so far as ``[{"role": "user"|"assistant", "content": str}]``;
    ``filters`` narrows the sources, e.g. ``{"doc_id": "kst-21501-34-418"}``.
    Raises ``AssistantError`` with a message in the question's language for
    input that cannot be answered (empty, too long, another language) and for
    a missing or damaged index.

    >>> a = ask("Welk streefcijfer geldt voor leermobiliteit in het mbo?")  # doctest: +SKIP
    >>> a.citations[0].id  # doctest: +SKIP
    """
    return get_assistant().ask(question, history=history, filters=filters, mode=mode, language=language)


def stream(question: str, history: list[dict] | None = None, filters: dict | None = None,
           mode: str | None = None, language: str | None = None):
    """Like ``ask``, as it happens: yields ``StreamEvent``s, first the
    paragraphs the answer is written from ("passages"), then the answer's
    tokens ("token"), last the verified ``Answer`` ("answer").

    >>> for ev in stream("Welk streefcijfer geldt voor leermobiliteit in het mbo?"):  # doctest: +SKIP
    ...     print(ev.token, end="", flush=True)
    """
    return get_assistant().stream(question, history=history, filters=filters, mode=mode, language=language)


def search(question: str, history: list[dict] | None = None, filters: dict | None = None) -> Retrieval:
    """The ranked paragraphs ``ask`` would answer from, without writing an answer
    (for evaluation and for showing what search found). Named ``search`` because
    ``assistant.retrieve`` is the retrieval module."""
    return get_assistant().search(question, history=history, filters=filters)


__all__ = ["ask", "stream", "search", "SentenceSupport", "StreamEvent", "get_assistant", "use", "Answer", "Citation", "Passage", "Retrieval", "AssistantError"]
