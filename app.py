"""The chat workspace: python app.py → http://127.0.0.1:7860

Chat on the left; on the right the cited paragraphs of the selected answer
(cited sentences highlighted, between their neighbouring paragraphs), the
trace of how the answer came about, feedback and a Markdown export. The same
process serves the Gradio API (``/ask``, for ``gradio_client``) and an
OpenAI-compatible API at /v1 (api.py). Binds to loopback unless configured
(ASSISTANT_HOST), never opens a share link.
"""
from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
from pathlib import Path
from typing import Iterator

import index  # noqa: F401  (offline environment before gradio is imported)
from settings import Settings

import gradio as gr  # noqa: E402

from assistant import AssistantError, get_assistant  # noqa: E402
from assistant.export import to_markdown  # noqa: E402
from assistant.language import detect  # noqa: E402
from assistant.messages import error_text  # noqa: E402
from assistant.types import Answer  # noqa: E402
from index.loaders import MAX_BYTES, SUPPORTED  # noqa: E402
from ui.render import (answer_html, chat_message, describe, esc, escape_text, label, labels,  # noqa: E402
                       pane_empty, source_pane, trace_html)

log = logging.getLogger("app")

EXAMPLES = [
    "Welk streefcijfer geldt voor leermobiliteit in het mbo?",
    "Wat vindt Nederland van de Raadsconclusies over influencers?",
    "What does the letter say about the AI Act and exam proctoring?",
    "What share of vocational students should take part in learning mobility?",
]
CURSOR = " ▌"
EXPORT_DIR = Path(tempfile.gettempdir()) / "beleidsassistent-export"

# Interface labels follow the browser's language (Gradio's i18n; switchable
# under Settings in the footer); answers follow the question's language.
I18N = gr.I18n(**{lang: {k: v for k, v in labels(lang).items() if isinstance(v, str) and "{" not in v}
                     for lang in ("nl", "en")})
t = I18N

# A click on a citation marker [n] anywhere on the page (chat or pane) writes
# "answer:n" into a hidden textbox, whose input event selects that paragraph.
PAGE_JS = """
() => {
  document.addEventListener('click', (e) => {
    const a = e.target.closest ? e.target.closest('a[href^="#cite-"]') : null;
    if (!a) return;
    e.preventDefault();
    e.stopPropagation();
    const m = a.getAttribute('href').match(/^#cite-(\\d+)-(\\d+)$/);
    const box = document.querySelector('#cite-target textarea, #cite-target input');
    if (!m || !box) return;
    box.value = m[1] + ':' + m[2] + ':' + Date.now();
    box.dispatchEvent(new Event('input', {bubbles: true}));
  }, true);
}
"""

CSS = """
.source-pane mark { background: #ffe066; color: inherit; padding: 0 .1em; }
.source-pane .neighbour { color: var(--body-text-color-subdued); border-left: 3px solid var(--border-color-primary);
  padding-left: .6em; margin: .4em 0; font-size: .92em; }
.source-pane .paragraph { border-left: 3px solid #f0b400; padding-left: .6em; margin: .4em 0; }
.source-pane .tabs a { margin-right: .4em; text-decoration: none; }
.source-pane .tabs a.selected { font-weight: bold; text-decoration: underline; }
.source-pane table.meta, .trace table.meta { border: none !important; font-size: .9em; margin: .3em 0; }
.source-pane table.meta th, .source-pane table.meta td, .trace table.meta th, .trace table.meta td {
  border: none !important; padding: .1em .6em .1em 0; text-align: left; vertical-align: top; }
.trace table.sentences td { vertical-align: top; padding: 0 .4em; }
a.cite { text-decoration: none; font-weight: 600; cursor: pointer; }
"""


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


def ask_api(question: str, language: str = "auto", mode: str = "", documents: list[str] | None = None,
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
        for ev in get_assistant().stream(question, history=history or None, filters=_filters(documents),
                                         mode=mode or None, language=_language(language)):
            if ev.kind == "token":
                written += ev.token
                yield escape_text(written) + CURSOR
            elif ev.kind == "answer":
                yield answer_html(ev.answer)
    except Exception as e:
        yield _error(question or "", e)


# -- the workspace's event handlers -------------------------------------------
# Per-browser-session state: ``answers`` maps the chat index of each assistant
# message to its Answer; ``turns`` is the plain-text history the assistant
# condenses follow-ups with (not the rendered HTML); ``selected`` the answer
# the pane, trace, feedback and export refer to.

def _export_file(answer: Answer, markdown: str) -> str:
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    name = "antwoord" if answer.lang == "nl" else "answer"
    path = EXPORT_DIR / f"{name}-{hashlib.sha1(markdown.encode()).hexdigest()[:10]}.md"
    path.write_text(markdown, encoding="utf-8")
    return str(path)


def _selection(answer: Answer, key: int, n: int):
    """Pane, trace, export text and export file for citation ``n`` of an answer."""
    c = next((c for c in answer.citations if c.n == n), answer.citations[0] if answer.citations else None)
    context = get_assistant().neighbours(c) if c is not None else ([], [])
    markdown = to_markdown(answer)
    return (source_pane(answer, key, c.n if c else 0, context), trace_html(answer), markdown,
            gr.update(value=_export_file(answer, markdown), interactive=True), key)


def add_question(question: str, chat: list):
    """Show the question at once (escaped: markup in it shows as text)."""
    question = question or ""
    chat = list(chat or []) + [{"role": "user", "content": escape_text(question) or "…"}]
    return "", chat, question


def answer_question(question: str, chat: list, turns: list, answers: dict, language: str, mode: str,
                    documents: list):
    chat = list(chat or [])
    key = len(chat)  # the index the answer gets in the chat (feedback events name it)
    chat.append({"role": "assistant", "content": CURSOR})
    skip = (gr.skip(),) * 7
    yield (chat, *skip)
    written = ""
    try:
        for ev in get_assistant().stream(question, history=turns, filters=_filters(documents),
                                         mode=mode or None, language=_language(language)):
            if ev.kind == "token":
                written += ev.token
                chat[-1] = {"role": "assistant", "content": escape_text(written) + CURSOR}
                yield (chat, *skip)
            elif ev.kind == "answer":
                a = ev.answer
                chat[-1] = {"role": "assistant", "content": chat_message(a, key)}
                turns = list(turns or []) + [{"role": "user", "content": a.question},
                                             {"role": "assistant", "content": a.text}]
                answers = {**(answers or {}), key: a}
                first = a.citations[0].n if a.citations else 0
                yield (chat, turns, answers, *_selection(a, key, first))
    except Exception as e:
        chat[-1] = {"role": "assistant", "content": _error(question, e)}
        yield (chat, *skip)


def select_citation(target: str, answers: dict, ui_lang: str):
    """A click on marker [n] of answer ``key`` ("key:n:nonce")."""
    try:
        key, n = (int(x) for x in (target or "").split(":")[:2])
        answer = (answers or {})[key]
    except (ValueError, KeyError):
        return (f"<p>{esc(label(ui_lang, 'citation_gone'))}</p>", *(gr.skip(),) * 4)
    return _selection(answer, key, n)


def _rate(answer: Answer | None, rating: int, comment: str, lang: str) -> tuple[str, str]:
    if answer is None:
        return label(lang, "feedback_none"), comment
    from assistant.feedback import store_for

    try:
        row = store_for(Settings.from_env().data_dir).record(answer, rating, comment or "")
    except Exception as e:  # a full disk or a locked file: say so, keep the chat going
        log.warning("feedback not stored: %s", e)
        return label(answer.lang, "feedback_failed", detail=e.__class__.__name__), comment
    return label(answer.lang, "feedback_saved", id=row), ""


def rate_selected(rating: int):
    def handler(comment: str, answers: dict, selected, ui_lang: str):
        return _rate((answers or {}).get(selected), rating, comment, ui_lang)
    return handler


def on_like(data: gr.LikeData, comment: str, answers: dict, ui_lang: str):
    """Thumbs up/down on a chat message → the feedback store, with the comment."""
    index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
    liked = data.liked is True or data.liked == "Like"
    return _rate((answers or {}).get(index), 1 if liked else -1, comment, ui_lang)


_indexing = threading.Lock()  # one build at a time; questions go on meanwhile


def add_documents(files: list | None, ui_lang: str, progress=gr.Progress(track_tqdm=True)):
    """Uploaded files → <data>/uploads → indexed; the report and the new document list."""
    from index.build import build
    from index.upload import accept

    if not files:
        return label(ui_lang, "upload_none"), gr.skip(), None
    if not _indexing.acquire(blocking=False):
        return label(ui_lang, "upload_busy"), gr.skip(), gr.skip()
    try:
        settings = Settings.from_env()
        accepted = accept(settings, [(Path(f).name, Path(f)) for f in files])
        lines = [label(ui_lang, "upload_refused", name=Path(p.file).name, reason=describe(p, ui_lang))
                 for p in accepted.refused]
        if accepted.stored:
            # the app's own model: no second copy, and query threads stay as set
            report = build(settings, progress=True, embedder=get_assistant().embedder)
            get_assistant().reload()
            lines.insert(0, label(ui_lang, "upload_done", files=len(accepted.stored), paragraphs=report.paragraphs,
                                  documents=report.documents, embedded=report.embedded, seconds=report.seconds))
            lines += [label(ui_lang, "upload_skipped", name=Path(p.file).name, reason=describe(p, ui_lang))
                      for p in report.skipped]
        return "\n\n".join(esc(x) for x in lines), _document_choices(), None
    except Exception as e:  # the old index is untouched until a build completes
        log.exception("indexing uploads failed")
        return esc(label(ui_lang, "upload_failed", detail=e.__class__.__name__)), gr.skip(), gr.skip()
    finally:
        _indexing.release()


def _document_choices():
    a = get_assistant()
    a.warm_up(generation=False)
    return gr.update(choices=[(f"{d['title']} ({d.get('date', '')})", d["id"]) for d in a.documents])


def new_conversation(ui_lang: str):
    return [], [], {}, None, pane_empty(ui_lang), "", "", gr.update(value=None, interactive=False), "", ""


def on_load(request: gr.Request):
    """The reader's language (for the pane's own text) and the document list."""
    accept = (request.headers.get("accept-language", "") if request else "").lower()
    ui_lang = "nl" if accept.startswith("nl") else "en"
    try:
        return ui_lang, pane_empty(ui_lang), _document_choices()
    except AssistantError as e:  # no index yet: the pane says how to build it
        return ui_lang, f"<p>⚠️ {esc(e.message(ui_lang))}</p>", gr.update(choices=[])


def build_ui(settings: Settings | None = None) -> gr.Blocks:
    settings = settings or Settings.from_env()
    default_mode = "extractive" if settings.backend == "extractive" else "generative"
    with gr.Blocks(title="Beleidsassistent / Policy assistant", analytics_enabled=False) as ui:
        ui_lang = gr.State("nl")
        turns = gr.State([])
        answers = gr.State({})
        selected = gr.State(None)
        pending = gr.State("")
        gr.Markdown(t("title"))
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label=t("chat"), height=560, elem_id="chat", buttons=["copy"],
                                     sanitize_html=True, autoscroll=True)
                with gr.Row():
                    question = gr.Textbox(label=t("question"), placeholder=t("placeholder"), show_label=False,
                                          scale=6, lines=1, max_lines=6, elem_id="question", autofocus=True)
                    send = gr.Button(t("send"), variant="primary", scale=1, elem_id="send")
                with gr.Accordion(t("controls"), open=True):
                    with gr.Row():
                        language = gr.Radio([(t("auto"), "auto"), ("Nederlands", "nl"), ("English", "en")],
                                            value="auto", label=t("answer_language"), elem_id="answer-language")
                        mode = gr.Radio([(t("generated"), "generative"), (t("extractive"), "extractive")],
                                        value=default_mode, label=t("mode"), elem_id="mode")
                    with gr.Row():
                        documents = gr.Dropdown(choices=[], value=[], multiselect=True, label=t("documents"),
                                                info=t("documents_info"), elem_id="documents", scale=3)
                        new = gr.Button(t("new_conversation"), elem_id="new-conversation", scale=1)
                gr.Examples([[q] for q in EXAMPLES], inputs=[question], label=t("examples"))
                with gr.Accordion(t("upload"), open=False, elem_id="upload-accordion"):
                    uploads = gr.File(file_count="multiple", file_types=list(SUPPORTED), label=t("upload_files"),
                                      elem_id="upload")
                    add_button = gr.Button(t("upload_button"), elem_id="upload-button")
                    upload_status = gr.Markdown("", elem_id="upload-status")
            with gr.Column(scale=2):
                gr.Markdown(t("sources_md"))
                pane = gr.HTML(pane_empty("nl"), elem_id="source-pane")
                with gr.Accordion(t("trace"), open=False, elem_id="trace-accordion"):
                    trace = gr.HTML("", elem_id="trace")
                with gr.Accordion(t("feedback"), open=True):
                    comment = gr.Textbox(label=t("comment"), lines=2, max_length=2000, elem_id="comment")
                    with gr.Row():
                        up = gr.Button(t("helpful"), size="sm", elem_id="helpful")
                        down = gr.Button(t("not_helpful"), size="sm", elem_id="not-helpful")
                    feedback_status = gr.Markdown("", elem_id="feedback-status")
                with gr.Accordion(t("export"), open=False, elem_id="export-accordion"):
                    export = gr.Textbox(label="Markdown", lines=8, max_lines=20, interactive=False,
                                        buttons=["copy"], elem_id="export")
                    download = gr.DownloadButton(t("download"), value=None, interactive=False, size="sm",
                                                 elem_id="download")
        cite_target = gr.Textbox(visible="hidden", elem_id="cite-target")

        outputs = [chatbot, turns, answers, pane, trace, export, download, selected]
        for trigger in (question.submit, send.click):
            trigger(add_question, [question, chatbot], [question, chatbot, pending], queue=False,
                    api_visibility="private").then(
                answer_question, [pending, chatbot, turns, answers, language, mode, documents], outputs,
                api_visibility="private")
        cite_target.change(select_citation, [cite_target, answers, ui_lang],
                          [pane, trace, export, download, selected], api_visibility="private")
        up.click(rate_selected(1), [comment, answers, selected, ui_lang], [feedback_status, comment],
                 api_visibility="private")
        down.click(rate_selected(-1), [comment, answers, selected, ui_lang], [feedback_status, comment],
                   api_visibility="private")
        chatbot.like(on_like, [comment, answers, ui_lang], [feedback_status, comment], api_visibility="private")
        # the chat's own clear button starts a new conversation too
        cleared = [chatbot, turns, answers, selected, pane, trace, export, download, comment, feedback_status]
        for trigger in (new.click, chatbot.clear):
            trigger(new_conversation, [ui_lang], cleared, api_visibility="private")
        add_button.click(add_documents, [uploads, ui_lang], [upload_status, documents, uploads],
                         api_visibility="private", concurrency_limit=1)
        ui.load(on_load, None, [ui_lang, pane, documents], api_visibility="private")
        gr.api(ask_api, api_name="ask")
    return ui


def build_app(settings: Settings | None = None):
    """One FastAPI process: the OpenAI-compatible API under /v1 and the workspace at /."""
    from fastapi import FastAPI

    import api

    from assistant import use
    from assistant.pipeline import Assistant

    settings = settings or Settings.from_env()
    use(Assistant(settings))  # one assistant, with these settings, for every way in
    server = FastAPI(title="Beleidsassistent", docs_url=None, redoc_url=None)
    server.include_router(api.router, dependencies=[api.login(settings.auth)] if settings.auth else [])
    ui = build_ui(settings).queue(default_concurrency_limit=settings.concurrency, max_size=settings.queue_size)
    return gr.mount_gradio_app(server, ui, path="/", ssr_mode=False, show_error=False, max_file_size=MAX_BYTES,
                               footer_links=["api", "settings"], i18n=I18N, js=PAGE_JS, css=CSS,
                               auth=list(settings.auth) or None)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()

    def warm():
        try:
            get_assistant().warm_up()
            log.info("ready: the index and the answer model are loaded")  # tests wait for this line
        except AssistantError as e:
            log.warning("%s", e.message("en"))

    # build first: build_app installs the assistant that serves, and that one is warmed
    server = build_app(settings)
    threading.Thread(target=warm, daemon=True).start()
    import uvicorn

    # a chat client may hold a streaming connection open: do not wait on it to stop
    uvicorn.run(server, host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=3)


if __name__ == "__main__":
    main()
