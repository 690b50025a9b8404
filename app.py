"""The chat workspace: python app.py → http://127.0.0.1:7860

One process serves the workspace (ui/), the Gradio API (``/ask``, for
``gradio_client``) and an OpenAI-compatible API at /v1 (api.py), all answering
with the one ``Assistant`` built here from the settings. Binds to loopback
unless configured (ASSISTANT_HOST), never opens a share link.
"""
from __future__ import annotations

import logging
import threading

import index  # noqa: F401  (offline environment before gradio is imported)
from settings import Settings

import gradio as gr  # noqa: E402

from assistant.messages import AssistantError  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from index.loaders import MAX_BYTES  # noqa: E402
from ui.handlers import Workspace  # noqa: E402
from ui.layout import CSS, I18N, PAGE_JS, build_ui  # noqa: E402

log = logging.getLogger("app")


def build_app(settings: Settings, assistant: Assistant | None = None):
    """One FastAPI process: the OpenAI-compatible API under /v1 and the
    workspace at /, with one assistant (these settings) for every way in."""
    from fastapi import FastAPI

    import api

    assistant = assistant or Assistant(settings)
    server = FastAPI(title="Beleidsassistent", docs_url=None, redoc_url=None)
    server.state.assistant = assistant  # what /v1 answers with (api.current_assistant)
    server.include_router(api.router, dependencies=[api.login(settings.auth)] if settings.auth else [])
    ui = build_ui(Workspace(assistant), settings).queue(default_concurrency_limit=settings.concurrency,
                                                        max_size=settings.queue_size)
    return gr.mount_gradio_app(server, ui, path="/", ssr_mode=False, show_error=False, max_file_size=MAX_BYTES,
                               footer_links=["api", "settings"], i18n=I18N, js=PAGE_JS, css=CSS,
                               auth=list(settings.auth) or None)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.load()
    assistant = Assistant(settings)

    def warm():
        try:
            assistant.warm_up()
            log.info("ready: the index and the answer model are loaded")  # tests wait for this line
        except AssistantError as e:
            log.warning("%s", e.message("en"))

    server = build_app(settings, assistant)
    threading.Thread(target=warm, daemon=True).start()
    import uvicorn

    # a chat client may hold a streaming connection open: do not wait on it to stop
    uvicorn.run(server, host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=3)


if __name__ == "__main__":
    main()
