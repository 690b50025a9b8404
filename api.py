"""An OpenAI-compatible chat endpoint, served by the app's own process:
``POST /v1/chat/completions`` (streaming and not) and ``GET /v1/models``, so
existing chat clients (the ``openai`` package, chat front-ends) can use the
assistant.

The last user message is the question, earlier messages the history. Extra
request fields: ``filters`` (as ``assistant.ask``), ``mode``
("generative" / "extractive") and ``language`` ("nl" / "en" / "auto"). The reply is a standard ``chat.completion``
plus ``citations`` (one per marker [n]: paragraph id, document, reference,
section, text, cited spans), ``refused``, ``label`` and ``notes``.

Streaming sends the *checked* answer, sentence by sentence, once the model
has finished and every sentence has been verified against its source: a
client never shows a claim that was later removed. The last chunk carries
``citations``.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import json
import time
import uuid

import index  # noqa: F401  (offline environment first)

from fastapi import APIRouter, Depends, HTTPException, Request  # noqa: E402
from fastapi.responses import JSONResponse, StreamingResponse  # noqa: E402
from starlette.concurrency import run_in_threadpool  # noqa: E402

from assistant import AssistantError, get_assistant  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from assistant.types import Answer  # noqa: E402
from index.sentences import split_sentences  # noqa: E402

router = APIRouter(prefix="/v1")
MODEL_ID = "beleidsassistent"


def login(users: tuple[tuple[str, str], ...]):
    """A dependency that admits a request carrying one of ``users`` (ASSISTANT_AUTH):
    HTTP Basic, or ``Authorization: Bearer user:password``, which is what an
    OpenAI client sends as its API key."""
    def check(request: Request) -> None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        given = value.strip()
        if scheme.lower() == "basic":
            try:
                given = base64.b64decode(given, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                given = ""
        elif scheme.lower() != "bearer":
            given = ""
        # compare with every account in constant time: no early exit tells which part was wrong
        ok = False
        for user, password in users:
            ok |= hmac.compare_digest(given.encode(), f"{user}:{password}".encode())
        if not ok:
            raise HTTPException(401, detail={"error": {"message": "login required: HTTP Basic, or the API key "
                                                                  "'user:password' (ASSISTANT_AUTH)",
                                                       "type": "invalid_request_error", "code": "unauthorized"}},
                                headers={"WWW-Authenticate": 'Basic realm="beleidsassistent"'})
    return Depends(check)


def current_assistant(request: Request) -> Assistant:
    """The assistant the app was built with (``app.build_app``); the process's
    own where the router is mounted elsewhere."""
    return getattr(request.app.state, "assistant", None) or get_assistant()


def _error(status: int, message: str, code: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": "invalid_request_error", "code": code}},
                        status_code=status)


def _citations(a: Answer) -> list[dict]:
    return [{"n": c.n, "id": c.id, "doc_id": c.doc_id, "doc_title": c.doc_title, "reference": c.reference,
             "section": c.section, "page": c.page, "file": c.file, "text": c.text, "spans": [list(s) for s in c.spans],
             "shown": list(c.shown), "translated": c.translated}
            for c in a.citations]


def _extra(a: Answer) -> dict:
    return {"citations": _citations(a), "refused": a.refused, "label": a.label, "notes": a.notes, "withheld": a.withheld,
            "mode": a.mode, "backend": a.backend, "confidence": a.confidence, "confidence_level": a.confidence_level,
            "judged": a.judged, "doubt": a.doubt}


def _parse(body: dict):
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ValueError("messages must be a non-empty list of {role, content}")
    turns = []
    for m in messages:
        content = m.get("content") if isinstance(m, dict) else None
        if isinstance(content, list):  # content parts
            content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        if not isinstance(content, str):
            raise ValueError("every message needs a text content")
        turns.append({"role": m.get("role", "user"), "content": content})
    if turns[-1]["role"] != "user":
        raise ValueError("the last message must be the user's question")
    history = [t for t in turns[:-1] if t["role"] in ("user", "assistant")]
    return turns[-1]["content"], history


@router.get("/models")
def models() -> dict:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "local"}]}


@router.post("/chat/completions")
async def chat_completions(request: Request, assistant: Assistant = Depends(current_assistant)):
    try:
        body = await request.json()
        question, history = _parse(body)
    except (ValueError, json.JSONDecodeError) as e:
        return _error(400, str(e), "bad_request")
    try:
        answer = await run_in_threadpool(assistant.ask, question, history or None, body.get("filters"),
                                         body.get("mode"), body.get("language"))
    except AssistantError as e:
        return _error(503 if e.exit_code == 3 else 400, e.message(), e.code)
    cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    model = body.get("model") or MODEL_ID
    if not body.get("stream"):
        return {"id": cid, "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.text},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": int(answer.timings_ms.get("tokens", 0)),
                          "total_tokens": int(answer.timings_ms.get("tokens", 0))},
                **_extra(answer)}

    def chunk(delta: dict, finish: str | None = None, extra: dict | None = None) -> str:
        data = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **(extra or {})}
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    def events():
        yield chunk({"role": "assistant", "content": ""})
        text, pos = answer.text, 0
        for _, end in split_sentences(text):
            yield chunk({"content": text[pos:end]})
            pos = end
        if pos < len(text):
            yield chunk({"content": text[pos:]})
        yield chunk({}, "stop", _extra(answer))
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")
