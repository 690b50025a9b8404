"""20 conversations at once through gradio_client, each its own session with
a follow-up question: every answer arrives, none errs, and each equals the
answer the same conversation gets alone (no cross-talk, nothing mixed up).
The app runs with its queue limits (ASSISTANT_CONCURRENCY=4 at a time,
ASSISTANT_QUEUE_SIZE=64 waiting). Throughput and p95 latency are written to
test-artifacts/concurrency-*.json."""
from __future__ import annotations

import json
import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import REPO, start_app, stop_app, wait_until_warm

pytestmark = [pytest.mark.app, pytest.mark.model]
ARTIFACTS = REPO / "test-artifacts"
CONVERSATIONS = 20
DEADLINE_S = 600

# (first question, follow-up, a word the follow-up's answer must hold, the document it must cite)
TOPICS = [
    ("Welk streefcijfer geldt voor leermobiliteit in het mbo?", "En welk percentage geldt voor het hoger onderwijs?",
     "23%", "kst-21501-34-418"),
    ("Wat vraagt NEMO van de Europese Unie over AI in musea?", "Welke conferentie wordt daarbij genoemd?",
     "Innovation", "nemo-ai-musea-2024"),
    ("Which organisations help Dutch schools deal with AI?", "And what does the letter say about the AI Act?",
     "AI", "kst-21501-34-418"),
    ("Wat vindt Nederland van de Raadsconclusies over influencers?", "En wat staat er over de culturele sector?",
     "", "kst-21501-34-418"),
]


def _conversation(url: str, k: int, mode: str) -> dict:
    """One session: a question, then a follow-up with the history; returns answers and latencies."""
    from gradio_client import Client

    first, follow, _, _ = TOPICS[k % len(TOPICS)]
    client = Client(url, verbose=False)
    out, seconds, history = [], [], []
    for q in (first, follow):
        t0 = time.perf_counter()
        answer = client.predict(q, "auto", mode, [], history, api_name="/ask")
        seconds.append(time.perf_counter() - t0)
        out.append(answer)
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": answer}]
    return {"k": k, "answers": out, "seconds": seconds}


def _run(url: str, mode: str) -> tuple[list[dict], float]:
    t0 = time.perf_counter()
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        futures = [pool.submit(_conversation, url, k, mode) for k in range(CONVERSATIONS)]
        results = [f.result(timeout=DEADLINE_S) for f in futures]
    return results, time.perf_counter() - t0


def _figures(name: str, results: list[dict], wall: float) -> dict:
    lat = sorted(s for r in results for s in r["seconds"])
    figures = {"conversations": CONVERSATIONS, "answers": len(lat), "wall_s": round(wall, 1),
               "answers_per_s": round(len(lat) / wall, 2), "p50_s": round(statistics.median(lat), 2),
               "p95_s": round(lat[int(0.95 * (len(lat) - 1))], 2), "max_s": round(lat[-1], 2)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"concurrency-{name}.json").write_text(json.dumps(figures, indent=2))
    return figures


def _cited_docs(answer: str) -> set[str]:
    return {i.split("#")[0] for i in re.findall(r"<code>([^<]+)</code>", answer)}


def _check(results: list[dict], generated: bool = False) -> None:
    """Every answer arrived whole and belongs to its own conversation. A
    generated answer may say "not in the sources" (the model's call, checked
    in code); what it cites must still be its own topic's document."""
    for r in results:
        _, _, word, doc = TOPICS[r["k"] % len(TOPICS)]
        for a in r["answers"]:
            assert not a.startswith("⚠️") and "Traceback" not in a, a[:300]
            if generated:
                assert _cited_docs(a) <= {doc}, (r["k"], a[:400])
        if not generated:
            follow = r["answers"][1]
            assert word in follow and doc in _cited_docs(follow), (r["k"], follow[:400])


def test_twenty_extractive_conversations_at_once(built):
    proc, url = start_app(built, ASSISTANT_CONCURRENCY="4", ASSISTANT_QUEUE_SIZE="64")
    try:
        alone = {k: _conversation(url, k, "extractive")["answers"] for k in range(len(TOPICS))}
        results, wall = _run(url, "extractive")
    finally:
        stop_app(proc)
    print(_figures("extractive", results, wall))
    _check(results)
    for r in results:  # word for word what the conversation gets when it is alone
        assert r["answers"] == alone[r["k"] % len(TOPICS)], r["k"]


@pytest.mark.llm
def test_twenty_generated_conversations_at_once(built, llm_file):
    """The answer model writes one answer at a time (llama.cpp is not
    re-entrant); the others wait in the queue and all arrive."""
    proc, url = start_app(built, ASSISTANT_BACKEND="local", ASSISTANT_LLM_MODEL=str(llm_file),
                          ASSISTANT_LLM_MAX_TOKENS="80", ASSISTANT_CONCURRENCY="4", ASSISTANT_QUEUE_SIZE="64")
    try:
        wait_until_warm(built)  # the figures are for answers the model takes part in
        results, wall = _run(url, "generative")
    finally:
        stop_app(proc)
    print(_figures("generative", results, wall))
    _check(results, generated=True)
    assert sum(bool(_cited_docs(a)) for r in results for a in r["answers"]) >= len(results), "mostly refusals"
