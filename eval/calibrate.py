"""python -m eval calibrate RUN_DIR: the no-answer threshold, chosen on a run.

For each language, every cut-off on the best retrieved paragraph's score is
tried; the one with the highest refusal accuracy on unanswerable questions
whose false-refusal rate on answerable ones stays within the limit wins
(ties: the lower false refusal, then the lower threshold). Other refusal rules
(a "how many" question without a number in sight) come on top in the assistant;
this chooses only the score threshold (ASSISTANT_MIN_SCORE_NL / _EN).

``--confidence``: the answer's confidence (assistant/confidence.py), two small
logistic models fitted on the run's dev rows and scored on dev and test.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from assistant.confidence import MODEL_FILE, level, probability

from .questions import Question
from .scoring import answer_right, confidence_scores


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


# -- the answer's confidence (assistant/confidence.py) ----------------------

# the signals each model reads: few, for ~130 answers and ~20 refusals on dev. Chosen by 5-fold
# cross-validation on the dev answers (every subset of up to 4 of margin, gap, support, cited, sentences,
# english, overlap; L2 1 or 5): margin + cited + overlap, L2 5: Brier 0.114 against 0.135 for the rate
# alone, AUROC 0.77 (without overlap, the best was margin + cited: 0.136 against 0.145, AUROC 0.68). Refitted
# after the third pass's answers: cited + overlap 0.078, margin + cited + overlap 0.080, the rate alone 0.100;
# kept, as the difference is within the folds' noise and the margin speaks for answers near the threshold
ANSWER_SIGNALS = ("margin", "cited", "overlap")
# a refusal: far below the threshold (off the topic) or by coverage well above it is surer than one
# just under it, where dev's false refusals sit: the distance either side, not the margin (which, fitted
# on dev's near misses alone, made "What is the weather in Amsterdam today?" a doubtful refusal)
REFUSAL_SIGNALS = ("distance", "uncovered")
L2 = 5.0
LEVELS = {"high": 0.8, "medium": 0.5}  # the words shown: "high" from 0.8, "low" under 0.5


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> tuple[float, np.ndarray]:
    """Bias and weights of an L2-regularised logistic regression (Newton's method) on standardised ``x``."""
    n, d = x.shape
    a = np.hstack([np.ones((n, 1)), x])
    w = np.zeros(d + 1)
    penalty = np.diag([0.0] + [l2] * d)  # the bias is not shrunk
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(a @ w, -30, 30)))
        grad = a.T @ (p - y) + penalty @ w
        hess = a.T @ (a * (p * (1 - p))[:, None]) + penalty + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), w[1:]


def _model(rows: list[dict], ys: list[bool], names: tuple[str, ...], l2: float) -> dict:
    x = np.array([[r["signals"].get(k, 0.0) for k in names] for r in rows], dtype=float).reshape(len(rows), len(names))
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    y = np.array(ys, dtype=float)
    if len(set(ys)) < 2:  # all right (or all wrong): nothing to separate, the rate it saw
        rate = min(max(y.mean(), 0.02), 0.98)
        bias, weights = float(np.log(rate / (1 - rate))), np.zeros(len(names))
    else:
        bias, weights = fit_logistic((x - mean) / scale, y, l2)
    return {"bias": round(bias, 4), "weights": {k: round(float(w), 4) for k, w in zip(names, weights)},
            "mean": {k: round(float(m), 4) for k, m in zip(names, mean)},
            "scale": {k: round(float(s), 4) for k, s in zip(names, scale)}, "n": len(rows),
            "right": int(sum(ys))}


def fit_confidence(questions: list[Question], rows: list[dict], l2: float = L2) -> dict:
    """The two models on the ``split == "dev"`` questions' rows (answers and refusals apart)."""
    by_id = {r["id"]: r for r in rows}
    dev = [(q, by_id[q.id]) for q in questions if q.split == "dev" and q.id in by_id
           and by_id[q.id].get("signals") and not by_id[q.id].get("error")]
    answered = [(q, r) for q, r in dev if not r.get("refused")]
    refused = [(q, r) for q, r in dev if r.get("refused")]
    return {
        "about": "P(right) of an answer and of a refusal; fitted by `python -m eval calibrate --confidence RUN_DIR` "
                 "on the run's dev questions (eval/README.md)",
        "answer": _model([r for _, r in answered], [answer_right(q, r) for q, r in answered], ANSWER_SIGNALS, l2),
        "refusal": _model([r for _, r in refused], [answer_right(q, r) for q, r in refused], REFUSAL_SIGNALS, l2),
        "levels": dict(LEVELS),
    }


def confidence(questions: list[Question], run_dir: Path, write: bool = False, l2: float = L2) -> dict:
    """Fit on the run's dev rows; score the fitted model on dev and test (rows re-read
    with the new values); write assistant/confidence.json when ``write``."""
    rows = [json.loads(x) for x in (Path(run_dir) / "answers.jsonl").read_text(encoding="utf-8").splitlines() if x]
    model = fit_confidence(questions, rows, l2)
    for r in rows:
        if r.get("signals"):
            p = probability(model["refusal" if r.get("refused") else "answer"], r["signals"])
            r["confidence"], r["confidence_level"] = round(p, 3), level(p, model["levels"])
    by_split = {s: confidence_scores([q for q in questions if q.split == s], rows) for s in ("dev", "test")}
    if write:
        MODEL_FILE.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    return {"model": model, "by_split": by_split, "written": str(MODEL_FILE) if write else None}
