"""python -m eval run: every question through a pipeline, then scores and a report."""
from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from tqdm import tqdm

from assistant.messages import AssistantError

from . import report, scoring
from .questions import Question, load_all, select

MODES = ("retrieval", "extractive", "generative")


class RunAborted(RuntimeError):
    """The pipeline cannot answer at all (no index, no model): stop, do not score."""


def run_one(client, q: Question, mode: str) -> dict:
    history = [dict(t) for t in q.history]
    t0 = time.perf_counter()
    try:
        if mode == "retrieval":
            out = client.retrieve(q.question, history)
        else:
            out = client.ask(q.question, history, mode)
    except AssistantError as e:
        if e.exit_code == 3:  # index or model missing: every question would fail the same way
            raise RunAborted(str(e)) from None
        # the user would see this message instead of an answer: a refusal of sorts
        ms = round((time.perf_counter() - t0) * 1000, 1)
        out = {"answer": str(e), "refused": True, "citations": [], "retrieved": [], "lang": e.lang,
               "query": q.question, "mode_used": mode, "error": e.code, "latency_ms": {"total": ms}}
    return {"id": q.id, "question": q.question, **out}


def run(client, questions: list[Question], mode: str, out_dir: Path, questions_path: str = "",
        progress: bool = True) -> dict:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    held = set(client.documents())
    if hasattr(client, "warm_up"):
        client.warm_up(mode)
    rows: list[dict] = []
    with (out_dir / "answers.jsonl").open("w", encoding="utf-8") as f:
        for q in tqdm(questions, desc=f"{client.name} · {mode}", unit="q", disable=not progress, file=sys.stderr):
            row = run_one(client, q, mode)
            rows.append(row)
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    duration = time.perf_counter() - t0

    metrics = scoring.score_run(questions, rows, answers=mode != "retrieval")
    used = sorted({r.get("mode_used", mode) for r in rows if not r.get("error")})
    notes = []
    if mode == "generative" and "generative" not in used:
        notes.append("generative mode requested, but no generation backend answered: the answers are "
                      f"{'/'.join(used) or 'none'} (is the model assembled? see the answers' notes); "
                      "first_token = total")
    elif mode == "generative" and used != ["generative"]:
        fell = sum(1 for r in rows if r.get("mode_used") == "extractive")
        notes.append(f"{fell} answer(s) fell back to quoting (no number/date in the generated answer, or the "
                     "model failed): mode_used = extractive in answers.jsonl")
    unheld = sorted({d for q in questions for d in q.doc if d not in held})
    if unheld:
        notes.append(f"questions name documents the index does not hold (asked anyway): {', '.join(unheld)}")
    errors = [r["id"] for r in rows if r.get("error")]
    if errors:
        notes.append(f"{len(errors)} question(s) got an error message instead of an answer: {', '.join(errors)}")
    metrics["run"] = {
        **client.describe(), "mode": mode, "mode_used": used, "fallback": bool(mode == "generative" and "generative" not in used),
        "questions": questions_path, "n": len(rows), "started": started, "duration_s": round(duration, 2),
    }
    metrics["notes"] = notes
    if mode == "generative":
        metrics["generation"] = generation_stats(rows)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False), encoding="utf-8")
    report.write(metrics, out_dir)
    return metrics


def decode_tokens_per_s(tokens: int | None, generate_ms: float | None, first_token_ms: float | None,
                        retrieve_ms: float | None) -> float | None:
    """Tokens after the first over the time after the first. ``generate`` runs
    from the end of retrieval; ``first_token`` from the question's arrival."""
    if not tokens or tokens < 2 or generate_ms is None or first_token_ms is None:
        return None
    after_first = generate_ms - (first_token_ms - (retrieve_ms or 0))
    return (tokens - 1) / (after_first / 1000) if after_first > 0 else None


def generation_stats(rows: list[dict]) -> dict:
    """Tokens written and decode speed of the answers a model wrote."""
    import statistics

    speeds, tokens = [], []
    for r in rows:
        lat, n = r.get("latency_ms") or {}, r.get("tokens")
        if not n or r.get("generate_ms") is None or lat.get("first_token") is None:
            continue
        tokens.append(n)
        speed = decode_tokens_per_s(n, r["generate_ms"], lat["first_token"], lat.get("retrieve"))
        if speed is not None:
            speeds.append(speed)
    by_mode: dict[str, int] = {}
    for r in rows:
        by_mode[r.get("mode_used", "?")] = by_mode.get(r.get("mode_used", "?"), 0) + 1
    return {"answers_by_mode": by_mode, "written_by_model": len(tokens),
            "tokens_p50": statistics.median(tokens) if tokens else None,
            "decode_tokens_per_s_p50": round(statistics.median(speeds), 1) if speeds else None}


def main(args) -> int:
    from .clients import BaselineClient, ProjectClient

    try:
        paths = [args.questions] if isinstance(args.questions, str) else list(args.questions)
        questions = select(load_all(paths), getattr(args, "split", "all"))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.limit:
        questions = questions[: args.limit]
    try:
        client = BaselineClient() if args.pipeline == "baseline" else ProjectClient()
        metrics = run(client, questions, args.mode, Path(args.out), ",".join(paths), progress=not args.quiet)
    except (RunAborted, AssistantError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 3
    print(report.summary(metrics))
    print(f"wrote {Path(args.out) / 'answers.jsonl'}, metrics.json, report.md")
    return 0
