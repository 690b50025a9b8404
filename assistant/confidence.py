"""How sure an answer is: the probability that it is right, from signals the
pipeline already has, calibrated on the dev split.

"Right" is what the evaluation scores: an answer that holds the question's key
facts, or a refusal of a question the sources do not answer. An answer and a
refusal are different bets, so each has its own small logistic model over
the signals below; the weights are data (confidence.json), fitted on an eval
run's dev rows by ``python -m eval calibrate --confidence RUN_DIR`` and
reported on the test rows beside them (eval/README.md).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .messages import messages
from .types import Answer, SentenceHit

MODEL_FILE = Path(__file__).parent / "confidence.json"

# what each signal measures (signals() computes them; the fitted model names the ones it reads)
SIGNALS = {
    "margin": "best paragraph's closeness to the question minus the refusal threshold",
    "distance": "how far the best closeness is from the threshold, either side (a refusal far below it, or by coverage far above it, is surer)",
    "gap": "best paragraph's closeness minus the second's (a clear winner or a tie)",
    "support": "best cosine between the question and a quoted sentence",
    "cited": "paragraphs cited",
    "sentences": "sentences quoted (many close candidates: the choice was unsure)",
    "overlap": "share of the question's content words (5-letter stems) the answer's text holds",
    "english": "1 for an English asker (most sources are Dutch: quoted through a machine translation)",
    "uncovered": "the question's restricting terms the quotes do not back (refusal by coverage)",
}


@dataclass(frozen=True)
class Confidence:
    value: float | None  # 0..1: the chance the answer (or the refusal) is right; None: no calibration shipped
    level: str  # "high" | "medium" | "low" ("" with no value)
    signals: dict[str, float]  # computed either way: a calibration is fitted on them


def signals(answer: Answer, hits: list[SentenceHit], threshold: float, uncovered: int = 0) -> dict[str, float]:
    close = sorted((p.closeness for p in answer.retrieved), reverse=True)
    spans = {c.id: c.spans for c in answer.citations}
    quoted = [h.score for h in hits
              if h.para_id in spans and any(a < h.end and h.start < b for a, b in spans[h.para_id])]
    return {
        "margin": round(close[0] - threshold, 4) if close else -1.0,
        "distance": round(abs(close[0] - threshold), 4) if close else 1.0,
        "gap": round(close[0] - close[1], 4) if len(close) > 1 else 0.0,
        "support": round(max(quoted), 4) if quoted else 0.0,
        "cited": float(len(answer.citations)),
        "sentences": float(sum(len(c.spans) for c in answer.citations)),
        "overlap": round(_overlap(answer.question, answer.text), 4),
        "english": float(answer.lang == "en"),
        "uncovered": float(uncovered),
    }


_WORD = re.compile(r"\w+")


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower()) if len(w) > 3}


def _overlap(question: str, text: str) -> float:
    asked = _stems(question)
    return len(asked & _stems(text)) / len(asked) if asked else 0.0


def probability(model: dict, values: dict[str, float]) -> float:
    """A fitted logistic model: {"bias", "weights": {signal: w}, "mean", "scale"} (signals standardised)."""
    z = model["bias"] + sum(w * (values.get(k, 0.0) - model["mean"][k]) / model["scale"][k]
                            for k, w in model["weights"].items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=4)
def load(path: Path = MODEL_FILE) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # no calibration shipped: answers carry no confidence rather than a made-up one
        return None


def level(value: float, cuts: dict[str, float]) -> str:
    return "high" if value >= cuts["high"] else "medium" if value >= cuts["medium"] else "low"


def note(answer: Answer) -> str:
    """The confidence in words, in the answer's language ("" without one)."""
    if answer.confidence is None:
        return ""
    m = messages(answer.lang)
    return m["confidence_note"].format(level=m["confidence_levels"][answer.confidence_level],
                                       percent=round(answer.confidence * 100),
                                       kind=m["confidence_kinds"]["refusal" if answer.refused else "answer"])


def assess(answer: Answer, hits: list[SentenceHit], threshold: float, uncovered: int = 0,
           model_file: Path = MODEL_FILE) -> Confidence:
    model = load(model_file)
    values = signals(answer, hits, threshold, uncovered)
    if model is None:
        return Confidence(None, "", values)
    p = probability(model["refusal" if answer.refused else "answer"], values)
    return Confidence(round(p, 3), level(p, model["levels"]), values)
