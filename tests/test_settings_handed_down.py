"""The settings an app is built with are the ones it answers with, and a
reopened index sees renderings another process added (no model needed)."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from settings import Settings
from index.translate import key


def test_build_app_answers_with_the_settings_it_was_given(tmp_path):
    """The workspace, the Gradio API and /v1 share one assistant with these settings."""
    import app
    from starlette.routing import Mount

    settings = replace(Settings.from_env({}), data_dir=tmp_path, max_citations=1, top_k=4)
    server = app.build_app(settings)
    assistant = server.state.assistant
    assert assistant.settings is settings
    # /v1 takes it as a FastAPI dependency
    import api
    request = type("R", (), {"app": server})()
    assert api.current_assistant(request) is assistant
    # the workspace's handlers and the Gradio API /ask are bound to it
    blocks = next(r.app.blocks for r in server.routes if isinstance(r, Mount) and hasattr(r.app, "blocks"))
    handlers = {getattr(fn.fn, "__self__", None) for fn in blocks.fns.values()}
    assert {h.assistant for h in handlers if h is not None} == {assistant}


def test_a_reopened_index_reads_renderings_added_meanwhile(tmp_path):
    from assistant.pipeline import Assistant

    sources = tmp_path / "sources"
    sources.mkdir()
    a = Assistant(replace(Settings.from_env({}), data_dir=tmp_path / "data", sources_dir=sources))
    assert a.index.translations().get("Een nieuwe alinea.") is None
    row = {"key": key("Een nieuwe alinea."), "model": "m", "nl": "Een nieuwe alinea.", "en": "A new paragraph."}
    (Path(sources) / "translations.en.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    a.reload()  # what a rebuild by another process leads to (the signature changed)
    assert a.index.translations().get("Een nieuwe alinea.") == "A new paragraph."
