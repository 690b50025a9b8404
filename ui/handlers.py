"""The workspace's event handlers and the Gradio API ``/ask``, bound to the
one ``Assistant`` the app was built with (``Workspace``).

Per-browser-session state: ``answers`` maps the chat index of each assistant
message to its Answer; ``turns`` is the plain-text history the assistant
condenses follow-ups with (not the rendered HTML); ``selected`` the answer the
pane, trace, feedback and export refer to."""
from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
from pathlib import Path
from typing import Iterator

import gradio as gr

from assistant.export import to_markdown
from assistant.language import detect
from assistant.messages import AssistantError, error_text
from assistant.pipeline import Assistant
from assistant.types import Answer

from .render import (answer_html, chat_message, describe, esc, escape_text, label, pane_empty, source_pane,
                     trace_html)

log = logging.getLogger("app")

CURSOR = " ▌"
EXPORT_DIR = Path(tempfile.gettempdir()) / "beleidsassistent-export"


def _filters(documents) -> dict | None:
    return {"doc_id": list(documents)} if documents else None


def _language(choice: str | None) -> str | None:
    return choice if choice in ("nl", "en") else None


def _error(question: str, e: Exception) -> str:
    if isinstance(e, AssistantError):
        return "⚠️ " + esc(e.message())
    log.exception("answering failed")  # never a traceback in the UI; the log has it
    lang = detect(question[:500]).lang if question.strip() else "nl"
    return "⚠️ " + esc(error_text(lang, "internal", detail=e.__class__.__name__))


def _export_file(answer: Answer, markdown: str) -> str:
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    name = "antwoord" if answer.lang == "nl" else "answer"
    path = EXPORT_DIR / f"{name}-{hashlib.sha1(markdown.encode()).hexdigest()[:10]}.md"
    path.write_text(markdown, encoding="utf-8")
    return str(path)


def add_question(question: str, chat: list):
    """Show the question at once (escaped: markup in it shows as text)."""
    question = question or ""
    chat = list(chat or []) + [{"role": "user", "content": escape_text(question) or "…"}]
    return "", chat, question


def new_conversation(ui_lang: str):
    return [], [], {}, None, pane_empty(ui_lang), "", "", gr.update(value=None, interactive=False), "", ""


class Workspace:
    """The handlers, with the assistant they answer with."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.settings = assistant.settings
        self._indexing = threading.Lock()  # one build at a time; questions go on meanwhile

    def ask_api(self, question: str, language: str = "auto", mode: str = "", documents: list[str] | None = None,
                history: list[dict] | None = None) -> Iterator[str]:
        """Answer a question from the sources (Gradio API ``/ask``).

        Streams the answer as it is written (ending in a cursor), then the checked
        answer as Markdown/HTML: text with [n] markers, the AI label, and each
        cited paragraph with document, reference and cited sentences marked.
        ``language``: "auto" | "nl" | "en"; ``mode``: "" | "generative" | "extractive";
        ``documents``: document ids to search in (empty: all); ``history``: the
        conversation so far, ``[{"role": "user"|"assistant", "content": …}]``,
        kept by the client (this endpoint holds no state between calls).
        """
        written = ""
        try:
            for ev in self.assistant.stream(question, history=history or None, filters=_filters(documents),
                                            mode=mode or None, language=_language(language)):
                if ev.kind == "token":
                    written += ev.token
                    yield escape_text(written) + CURSOR
                elif ev.kind == "draft":  # the quotes, shown while the model chooses
                    yield escape_text(ev.token) + CURSOR
                elif ev.kind == "answer":
                    yield answer_html(ev.answer)
        except Exception as e:
            yield _error(question or "", e)

    def _selection(self, answer: Answer, key: int, n: int):
        """Pane, trace, export text and export file for citation ``n`` of an answer."""
        c = next((c for c in answer.citations if c.n == n), answer.citations[0] if answer.citations else None)
        context = self.assistant.neighbours(c) if c is not None else ([], [])
        markdown = to_markdown(answer)
        return (source_pane(answer, key, c.n if c else 0, context), trace_html(answer), markdown,
                gr.update(value=_export_file(answer, markdown), interactive=True), key)

    def answer_question(self, question: str, chat: list, turns: list, answers: dict, language: str, mode: str,
                        documents: list):
        chat = list(chat or [])
        key = len(chat)  # the index the answer gets in the chat (feedback events name it)
        chat.append({"role": "assistant", "content": CURSOR})
        skip = (gr.skip(),) * 7
        yield (chat, *skip)
        written = ""
        try:
            for ev in self.assistant.stream(question, history=turns, filters=_filters(documents),
                                            mode=mode or None, language=_language(language)):
                if ev.kind in ("token", "draft"):  # a draft (the quotes) is shown until the answer replaces it
                    written = ev.token if ev.kind == "draft" else written + ev.token
                    chat[-1] = {"role": "assistant", "content": escape_text(written) + CURSOR}
                    yield (chat, *skip)
                elif ev.kind == "answer":
                    a = ev.answer
                    chat[-1] = {"role": "assistant", "content": chat_message(a, key)}
                    turns = list(turns or []) + [{"role": "user", "content": a.question},
                                                 {"role": "assistant", "content": a.text}]
                    answers = {**(answers or {}), key: a}
                    first = a.citations[0].n if a.citations else 0
                    yield (chat, turns, answers, *self._selection(a, key, first))
        except Exception as e:
            chat[-1] = {"role": "assistant", "content": _error(question, e)}
            yield (chat, *skip)

    def select_citation(self, target: str, answers: dict, ui_lang: str):
        """A click on marker [n] of answer ``key`` ("key:n:nonce")."""
        try:
            key, n = (int(x) for x in (target or "").split(":")[:2])
            answer = (answers or {})[key]
        except (ValueError, KeyError):
            return (f"<p>{esc(label(ui_lang, 'citation_gone'))}</p>", *(gr.skip(),) * 4)
        return self._selection(answer, key, n)

    def _rate(self, answer: Answer | None, rating: int, comment: str, lang: str) -> tuple[str, str]:
        if answer is None:
            return label(lang, "feedback_none"), comment
        from assistant.feedback import store_for

        try:
            row = store_for(self.settings.data_dir).record(answer, rating, comment or "")
        except Exception as e:  # a full disk or a locked file: say so, keep the chat going
            log.warning("feedback not stored: %s", e)
            return label(answer.lang, "feedback_failed", detail=e.__class__.__name__), comment
        return label(answer.lang, "feedback_saved", id=row), ""

    def rate_selected(self, rating: int):
        def handler(comment: str, answers: dict, selected, ui_lang: str):
            return self._rate((answers or {}).get(selected), rating, comment, ui_lang)
        return handler

    def on_like(self, data: gr.LikeData, comment: str, answers: dict, ui_lang: str):
        """Thumbs up/down on a chat message → the feedback store, with the comment."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        liked = data.liked is True or data.liked == "Like"
        return self._rate((answers or {}).get(index), 1 if liked else -1, comment, ui_lang)

    def add_documents(self, files: list | None, ui_lang: str, progress=gr.Progress(track_tqdm=True)):
        """Uploaded files → <data>/uploads → indexed; the report and the new document list."""
        if not files:
            return label(ui_lang, "upload_none"), gr.skip(), None
        if not self._indexing.acquire(blocking=False):
            return label(ui_lang, "upload_busy"), gr.skip(), gr.skip()
        try:
            return "\n\n".join(esc(x) for x in self._index_uploads(files, ui_lang)), self.document_choices(), None
        except Exception as e:  # the old index is untouched until a build completes
            log.exception("indexing uploads failed")
            return esc(label(ui_lang, "upload_failed", detail=e.__class__.__name__)), gr.skip(), gr.skip()
        finally:
            self._indexing.release()

    def _index_uploads(self, files: list, ui_lang: str) -> list[str]:
        from index.build import build
        from index.upload import accept

        accepted = accept(self.settings, [(Path(f).name, Path(f)) for f in files])
        lines = [label(ui_lang, "upload_refused", name=Path(p.file).name, reason=describe(p, ui_lang))
                 for p in accepted.refused]
        if accepted.stored:
            # the app's own model: no second copy, and query threads stay as set
            report = build(self.settings, progress=True, embedder=self.assistant.embedder)
            self.assistant.reload()
            lines.insert(0, label(ui_lang, "upload_done", files=len(accepted.stored), paragraphs=report.paragraphs,
                                  documents=report.documents, embedded=report.embedded, seconds=report.seconds))
            lines += [label(ui_lang, "upload_skipped", name=Path(p.file).name, reason=describe(p, ui_lang))
                      for p in report.skipped]
        return lines

    def document_choices(self):
        self.assistant.warm_up(generation=False)
        return gr.update(choices=[(f"{d['title']} ({d.get('date', '')})", d["id"]) for d in self.assistant.documents])

    def on_load(self, request: gr.Request):
        """The reader's language (for the pane's own text) and the document list."""
        accept = (request.headers.get("accept-language", "") if request else "").lower()
        ui_lang = "nl" if accept.startswith("nl") else "en"
        try:
            return ui_lang, pane_empty(ui_lang), self.document_choices()
        except AssistantError as e:  # no index yet: the pane says how to build it
            return ui_lang, f"<p>⚠️ {esc(e.message(ui_lang))}</p>", gr.update(choices=[])
