"""The workspace's layout: chat on the left; on the right the cited paragraphs
of the selected answer (cited sentences highlighted, between their
neighbouring paragraphs), the trace, feedback and a Markdown export.

Interface labels follow the browser's language (Gradio's i18n, switchable
under Settings in the footer); answers follow the question's language.
A click on a citation marker [n] anywhere on the page writes "answer:n:nonce"
into a hidden textbox (static/page.js), whose change selects that paragraph."""
from __future__ import annotations

from pathlib import Path

import gradio as gr

from index.loaders import SUPPORTED
from settings import Settings

from .handlers import Workspace, add_question, new_conversation
from .render import labels

STATIC = Path(__file__).parent / "static"
PAGE_JS = (STATIC / "page.js").read_text(encoding="utf-8")
CSS = (STATIC / "style.css").read_text(encoding="utf-8")
EXAMPLES = [
    "Welk streefcijfer geldt voor leermobiliteit in het mbo?",
    "Wat vindt Nederland van de Raadsconclusies over influencers?",
    "What does the letter say about the AI Act and exam proctoring?",
    "What share of vocational students should take part in learning mobility?",
]
I18N = gr.I18n(**{lang: {k: v for k, v in labels(lang).items() if isinstance(v, str) and "{" not in v}
                     for lang in ("nl", "en")})
t = I18N


def _chat_column(default_mode: str) -> dict:
    """Chat, question box, answer controls, examples and uploads."""
    c = {}
    c["chatbot"] = gr.Chatbot(label=t("chat"), height=560, elem_id="chat", buttons=["copy"], sanitize_html=True,
                              autoscroll=True)
    with gr.Row():
        c["question"] = gr.Textbox(label=t("question"), placeholder=t("placeholder"), show_label=False, scale=6,
                                   lines=1, max_lines=6, elem_id="question", autofocus=True)
        c["send"] = gr.Button(t("send"), variant="primary", scale=1, elem_id="send")
    with gr.Accordion(t("controls"), open=True):
        with gr.Row():
            c["language"] = gr.Radio([(t("auto"), "auto"), ("Nederlands", "nl"), ("English", "en")], value="auto",
                                     label=t("answer_language"), elem_id="answer-language")
            c["mode"] = gr.Radio([(t("generated"), "generative"), (t("extractive"), "extractive")],
                                 value=default_mode, label=t("mode"), elem_id="mode")
        with gr.Row():
            c["documents"] = gr.Dropdown(choices=[], value=[], multiselect=True, label=t("documents"),
                                         info=t("documents_info"), elem_id="documents", scale=3)
            c["new"] = gr.Button(t("new_conversation"), elem_id="new-conversation", scale=1)
    gr.Examples([[q] for q in EXAMPLES], inputs=[c["question"]], label=t("examples"))
    with gr.Accordion(t("upload"), open=False, elem_id="upload-accordion"):
        c["uploads"] = gr.File(file_count="multiple", file_types=list(SUPPORTED), label=t("upload_files"),
                               elem_id="upload")
        c["add_button"] = gr.Button(t("upload_button"), elem_id="upload-button")
        c["upload_status"] = gr.Markdown("", elem_id="upload-status")
    return c


def _source_column() -> dict:
    """Source pane, trace, feedback and export."""
    c = {}
    gr.Markdown(t("sources_md"))
    # the placeholder through the i18n too: the page speaks the browser's language from its first paint,
    # not Dutch until the index is open and the load event has run
    c["pane"] = gr.HTML(t("pane_empty"), elem_id="source-pane")
    with gr.Accordion(t("trace"), open=False, elem_id="trace-accordion"):
        c["trace"] = gr.HTML("", elem_id="trace")
    with gr.Accordion(t("feedback"), open=True):
        c["comment"] = gr.Textbox(label=t("comment"), lines=2, max_length=2000, elem_id="comment")
        with gr.Row():
            c["up"] = gr.Button(t("helpful"), size="sm", elem_id="helpful")
            c["down"] = gr.Button(t("not_helpful"), size="sm", elem_id="not-helpful")
        c["feedback_status"] = gr.Markdown("", elem_id="feedback-status")
    with gr.Accordion(t("export"), open=False, elem_id="export-accordion"):
        c["export"] = gr.Textbox(label="Markdown", lines=8, max_lines=20, interactive=False, buttons=["copy"],
                                 elem_id="export")
        c["download"] = gr.DownloadButton(t("download"), value=None, interactive=False, size="sm",
                                          elem_id="download")
    return c


def _wire(w: Workspace, c: dict, s: dict) -> None:
    """Events → handlers. ``c``: the components, ``s``: the per-session state."""
    private = {"api_visibility": "private"}
    outputs = [c["chatbot"], s["turns"], s["answers"], c["pane"], c["trace"], c["export"], c["download"], s["selected"]]
    for trigger in (c["question"].submit, c["send"].click):
        trigger(add_question, [c["question"], c["chatbot"]], [c["question"], c["chatbot"], s["pending"]], queue=False,
                **private).then(
            w.answer_question, [s["pending"], c["chatbot"], s["turns"], s["answers"], c["language"], c["mode"],
                                c["documents"]], outputs, **private)
    c["cite_target"].change(w.select_citation, [c["cite_target"], s["answers"], s["ui_lang"]],
                            [c["pane"], c["trace"], c["export"], c["download"], s["selected"]], **private)
    rated = [c["feedback_status"], c["comment"]]
    for button, rating in ((c["up"], 1), (c["down"], -1)):
        button.click(w.rate_selected(rating), [c["comment"], s["answers"], s["selected"], s["ui_lang"]], rated,
                     **private)
    c["chatbot"].like(w.on_like, [c["comment"], s["answers"], s["ui_lang"]], rated, **private)
    # the chat's own clear button starts a new conversation too
    cleared = [c["chatbot"], s["turns"], s["answers"], s["selected"], c["pane"], c["trace"], c["export"],
               c["download"], c["comment"], c["feedback_status"]]
    for trigger in (c["new"].click, c["chatbot"].clear):
        trigger(new_conversation, [s["ui_lang"]], cleared, **private)
    c["add_button"].click(w.add_documents, [c["uploads"], s["ui_lang"]],
                          [c["upload_status"], c["documents"], c["uploads"]], concurrency_limit=1, **private)


def build_ui(workspace: Workspace, settings: Settings) -> gr.Blocks:
    default_mode = "extractive" if settings.backend == "extractive" else "generative"
    with gr.Blocks(title="Beleidsassistent / Policy assistant", analytics_enabled=False) as ui:
        state = {"ui_lang": gr.State("nl"), "turns": gr.State([]), "answers": gr.State({}),
                 "selected": gr.State(None), "pending": gr.State("")}
        gr.Markdown(t("title"))
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                components = _chat_column(default_mode)
            with gr.Column(scale=2):
                components |= _source_column()
        components["cite_target"] = gr.Textbox(visible="hidden", elem_id="cite-target")
        _wire(workspace, components, state)
        ui.load(workspace.on_load, None, [state["ui_lang"], components["pane"], components["documents"]],
                api_visibility="private")
        gr.api(workspace.ask_api, api_name="ask")
    return ui
