"""python -m eval calibrate RUN_DIR: the no-answer threshold, chosen on a run.

For each language, every cut-off on the best retrieved paragraph's score is
tried; the one with the highest refusal accuracy on unanswerable questions
whose false-refusal rate on answerable ones stays within the limit wins
(ties: the lower false refusal, then the lower threshold). Other refusal rules
(a "how many" question without a number in sight) come on top in the assistant;
this chooses only the score threshold (ASSISTANT_MIN_SCORE_NL / _EN).
"""
from __future__ import annotations

import json
from pathlib import Path

from .questions import Question


def top_scores(questions: list[Question], rows: list[dict]) -> dict[str, list[tuple[float, bool]]]:
    """Per language: (best retrieved score, answerable) for every question with results."""
    by_id = {r["id"]: r for r in rows}
    out: dict[str, list[tuple[float, bool]]] = {}
    for q in questions:
        r = by_id.get(q.id)
        if not r or r.get("error"):
            continue
        scores = [p["score"] for p in r.get("retrieved") or []]
        out.setdefault(q.lang, []).append((max(scores) if scores else -1.0, q.answerable))
    return out


def best_threshold(points: list[tuple[float, bool]], max_false_refusal: float = 0.05) -> dict:
    answerable = [s for s, a in points if a]
    unanswerable = [s for s, a in points if not a]
    best = {"threshold": None, "refusal_accuracy": 0.0, "false_refusal": 0.0}
    for t in sorted({round(s, 4) for s, _ in points} | {-1.0}):
        # refuse when the best score is below t
        fr = sum(s < t for s in answerable) / len(answerable) if answerable else 0.0
        ra = sum(s < t for s in unanswerable) / len(unanswerable) if unanswerable else 0.0
        if fr > max_false_refusal:
            continue
        if (ra, -fr) > (best["refusal_accuracy"], -best["false_refusal"]) or best["threshold"] is None:
            best = {"threshold": t, "refusal_accuracy": round(ra, 4), "false_refusal": round(fr, 4)}
    best["n_answerable"], best["n_unanswerable"] = len(answerable), len(unanswerable)
    return best


def calibrate(questions: list[Question], run_dir: Path, max_false_refusal: float = 0.05) -> dict:
    rows = [json.loads(x) for x in (Path(run_dir) / "answers.jsonl").read_text(encoding="utf-8").splitlines() if x]
    return {lang: best_threshold(pts, max_false_refusal) for lang, pts in sorted(top_scores(questions, rows).items())}
