"""Fitting the answers' confidence on a run's dev rows (eval/calibrate.py)."""
from __future__ import annotations

import json

import numpy as np

from assistant.confidence import probability
from eval import calibrate
from eval.questions import Question


def test_logistic_fit_finds_the_direction_that_separates():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2))
    y = (x[:, 0] - 0.2 * x[:, 1] + rng.normal(scale=0.5, size=200) > 0).astype(float)
    bias, w = calibrate.fit_logistic(x, y, l2=1.0)
    assert w[0] > 1.0 and w[1] < 0 and abs(bias) < 0.5


def _q(i: int, answerable: bool) -> Question:
    return Question(id=f"q{i}", lang="nl", question="?", answer="", evidence=("x",) if answerable else (), doc=(),
                    type="factual" if answerable else "unanswerable", keywords=("ja",) if answerable else ())


def test_fitted_on_dev_only_and_scored_on_both_splits(tmp_path, monkeypatch):
    questions, rows = [], []
    for i in range(80):  # answers: right when the margin is large; refusals: right when unanswerable
        answerable = i % 5 != 0
        margin = 0.02 * (i % 7) - 0.02
        refused = not answerable
        text = "ja" if margin > 0.03 or refused else "nee"
        questions.append(_q(i, answerable))
        rows.append({"id": f"q{i}", "answer": text, "refused": refused,
                     "signals": {"margin": margin, "distance": abs(margin), "cited": 1.0, "uncovered": 0.0}})
    (tmp_path / "answers.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    target = tmp_path / "confidence.json"
    monkeypatch.setattr(calibrate, "MODEL_FILE", target)
    out = calibrate.confidence(questions, tmp_path, write=True)
    model = out["model"]
    dev = [q for q in questions if q.split == "dev"]
    assert 0 < len(dev) < len(questions)  # the ids fall on both sides (split_of)
    assert model["answer"]["n"] == sum(1 for q in dev if q.answerable)  # fitted on dev only
    assert model["answer"]["weights"]["margin"] > 0
    assert probability(model["answer"], {"margin": 0.1, "cited": 1}) > probability(model["answer"], {"margin": 0.0, "cited": 1})
    assert model["refusal"]["right"] == model["refusal"]["n"]  # every refusal right: the rate, no weights
    assert out["by_split"]["test"]["n"] == len(questions) - len(dev) and out["by_split"]["dev"]["auroc"] > 0.9
    assert json.loads(target.read_text()) == model
