"""The chat app: python app.py → http://127.0.0.1:7860

Answers with citations, shows the cited paragraphs under each answer, and
labels every answer as AI-generated. The same process serves an
OpenAI-compatible API at /v1 (api.py). Binds to loopback unless configured
(ASSISTANT_HOST), never opens a share link.
"""
from __future__ import annotations

import html
import logging
import threading
from collections import OrderedDict

import index  # noqa: F401  (offline environment before gradio is imported)
from index.settings import Settings

import gradio as gr  # noqa: E402

from assistant import AssistantError, get_assistant  # noqa: E402
from assistant.messages import error_text, text as msg  # noqa: E402
from assistant.types import Answer, Citation  # noqa: E402

log = logging.getLogger("app")

EXAMPLES = [
    "Welk streefcijfer geldt voor leermobiliteit in het mbo?",
    "What share of vocational students should take part in learning mobility?",
    "Wat vindt Nederland van de Raadsconclusies over influencers?",
    "What does the letter say about the AI Act and exam proctoring?",
]


def _highlight(c: Citation) -> str:
    """The paragraph, escaped, with the quoted sentences marked."""
    out, pos = [], 0
    for a, b in sorted(c.spans):
        out += [html.escape(c.text[pos:a]), "<mark>", html.escape(c.text[a:b]), "</mark>"]
        pos = b
    out.append(html.escape(c.text[pos:]))
    return "".join(out).replace("\n", "<br>")


def render(answer: Answer) -> str:
    """An answer as chat Markdown. Every piece of source or question text is
    HTML-escaped, so markup inside a document shows as text."""
    parts = [_escape_md(answer.text)]
    for note in answer.notes:
        parts.append(f"\n\n<small>⚠️ {html.escape(note)}</small>")
    parts.append(f"\n\n<small>🤖 <em>{html.escape(answer.label)}</em></small>")
    if answer.citations:
        parts.append(f"\n\n**{html.escape(msg(answer.lang, 'sources_heading'))}**")
        for c in answer.citations:
            ref = f" ({html.escape(c.reference)})" if c.reference else ""
            section = html.escape(c.section) if c.section else "–"
            parts.append(
                f"\n\n<div class='citation' id='cite-{c.n}'><b>[{c.n}]</b> {html.escape(c.doc_title)}{ref}<br>"
                f"<small>{html.escape(msg(answer.lang, 'section'))}: {section} · <code>{html.escape(c.id)}</code></small>"
                f"<blockquote>{_highlight(c)}</blockquote></div>")
    return "".join(parts)


def _escape_md(s: str) -> str:
    # keep the answer's own bullets and line breaks, neutralise any HTML in quotes
    return "\n".join(html.escape(line, quote=False) for line in s.split("\n"))


# the answers shown recently, by their rendered text, so a thumbs up/down on a
# chat message can be stored with its question and citations (bounded: memory)
_shown: "OrderedDict[str, Answer]" = OrderedDict()
_shown_lock = threading.Lock()
MAX_REMEMBERED = 500


def _remember(rendered: str, answer: Answer) -> None:
    with _shown_lock:
        _shown[rendered] = answer
        while len(_shown) > MAX_REMEMBERED:
            _shown.popitem(last=False)


def _content_text(value) -> str:
    """A chat message's text: gradio hands content as a string, a dict or a list of parts."""
    if isinstance(value, dict):
        value = value.get("content", value.get("text", value.get("value", "")))
    if isinstance(value, list):
        return " ".join(t for t in (_content_text(v) for v in value) if t)
    return value if isinstance(value, str) else ""


def on_feedback(data: gr.LikeData) -> None:
    """Thumbs up/down on an answer → the feedback store (data/feedback.sqlite)."""
    with _shown_lock:
        answer = _shown.get(_content_text(data.value))
    if answer is None:  # an error message or an answer from before a restart
        log.info("feedback on an unknown message ignored")
        return
    from assistant.feedback import store_for

    store_for(Settings.from_env().data_dir).record(answer, 1 if data.liked is True else -1)


def respond(message, history):
    question = message if isinstance(message, str) else (message or {}).get("text", "")
    turns = [{"role": turn.get("role", "user"), "content": _content_text(turn)}
             for turn in history or [] if isinstance(turn, dict) and _content_text(turn)]
    try:
        # tokens as the model writes them, then the checked answer with its sources
        written = ""
        for ev in get_assistant().stream(question, history=turns):
            if ev.kind == "token":
                written += ev.token
                yield _escape_md(written) + " ▌"
            elif ev.kind == "answer":
                shown = render(ev.answer)
                _remember(shown, ev.answer)
                yield shown
    except AssistantError as e:
        yield "⚠️ " + html.escape(e.message())
    except Exception as e:  # never a traceback in the UI; the log has it
        log.exception("answering failed")
        from assistant.language import detect

        lang = detect(question[:500]).lang if question.strip() else "nl"
        yield "⚠️ " + html.escape(error_text(lang, "internal", detail=e.__class__.__name__))


def build_ui() -> gr.Blocks:
    ui = gr.ChatInterface(
        respond,
        title="Beleidsassistent AI · cultuur · onderwijs / Policy assistant",
        description=("Vragen in het Nederlands of Engels over de bronnen; elk antwoord met bronvermelding per alinea. "
                     "Ask in Dutch or English; every answer cites its paragraphs. Antwoorden zijn door AI gegenereerd / "
                     "answers are AI-generated."),
        examples=EXAMPLES,
        run_examples_on_click=True,
        cache_examples=False,
        analytics_enabled=False,
        api_name="ask",
        flagging_mode="never",
    )
    with ui:
        ui.chatbot.like(on_feedback, None, None, api_visibility="private")
    return ui


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()

    def warm():
        try:
            get_assistant().warm_up()
        except AssistantError as e:
            log.warning("%s", e.message("en"))

    threading.Thread(target=warm, daemon=True).start()
    import uvicorn

    # a chat client may hold a streaming connection open: do not wait on it to stop
    uvicorn.run(build_app(), host=settings.host, port=settings.port, log_level="warning",
                timeout_graceful_shutdown=3)


def build_app():
    """One FastAPI process: the OpenAI-compatible API under /v1 and the chat at /."""
    from fastapi import FastAPI

    import api

    server = FastAPI(title="Beleidsassistent", docs_url=None, redoc_url=None)
    server.include_router(api.router)
    ui = build_ui().queue(default_concurrency_limit=4)
    return gr.mount_gradio_app(server, ui, path="/", ssr_mode=False, show_error=False, footer_links=["api"])


if __name__ == "__main__":
    main()
