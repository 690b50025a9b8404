"""Scoring: one run's answer rows against the gold questions.

Pure functions over plain dicts (the rows of ``answers.jsonl``), so any
pipeline's output can be scored, and each rule is unit-tested by hand.

Definitions (also in eval/README.md):
- A quote is *covered* by a text if the text contains it after whitespace and
  markup normalisation, or holds at least 80 % of its words.
- recall@k: every evidence quote is covered by one of the top k passages.
- budget recall @N chars: every quote is covered within the first N characters
  of the retrieved texts, read in rank order (large chunks cannot win by size).
- MRR@10: 1 / rank of the first passage covering any quote.
- nDCG@10: a passage gains the share of the quotes it covers first; the ideal
  puts one quote per rank at the top; capped at 1 (one passage may hold two).
- keyword accuracy: every keyword group present in the answer; a group is
  ``a|b|c`` alternatives; short keywords (≤ 4 characters, or digits) match as
  whole words, and all-capital short ones (acronyms: SURF, DEN) by case.
- citation precision: share of an answer's citations that cover a quote (an
  answer given without citations scores 0; a refusal is not counted);
  citation recall: share of quotes covered by the cited paragraphs.
- language match: langdetect on the answer with quoted source text and [n]
  markers removed (an English answer may quote the Dutch wording).
"""
from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Sequence

from .questions import Question

BUDGETS = (1500, 3000)
KS = (1, 5, 10)
WORD_SHARE = 0.8

_MARKUP = [
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote references
    (re.compile(r"<sup>.*?</sup>", re.S), ""),
    (re.compile(r"<[^>]+>"), " "),  # html tags
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # markdown links
    (re.compile(r"[*_`]+"), ""),  # emphasis and code marks
    (re.compile(r"^\s*(?:[-+]|\d+\.)\s+", re.M), ""),  # list bullets
    (re.compile(r"^#+\s*", re.M), ""),  # headings
]
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    text = text.replace("\u00a0", " ").replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def covers(text: str, quote: str) -> bool:
    """Does ``text`` hold ``quote`` (verbatim after normalisation, or ≥ 80 % of its words)?"""
    if not text or not quote:
        return False
    nt, nq = normalise(text), normalise(quote)
    if nq in nt:
        return True
    qw = words(quote)
    if not qw:
        return False
    present = set(words(text))
    return sum(w in present for w in qw) / len(qw) >= WORD_SHARE


# -- retrieval -------------------------------------------------------------

def first_covering_rank(texts: Sequence[str], quote: str) -> int | None:
    for rank, t in enumerate(texts, 1):
        if covers(t, quote):
            return rank
    return None


def recall_at_k(texts: Sequence[str], quotes: Sequence[str], k: int) -> float:
    top = texts[:k]
    return float(all(any(covers(t, q) for t in top) for q in quotes))


def budget_texts(texts: Sequence[str], budget: int) -> list[str]:
    """The retrieved texts as far as the first ``budget`` characters reach."""
    out, left = [], budget
    for t in texts:
        if left <= 0:
            break
        out.append(t[:left])
        left -= len(t)
    return out


def budget_recall(texts: Sequence[str], quotes: Sequence[str], budget: int) -> float:
    visible = budget_texts(texts, budget)
    return float(all(any(covers(t, q) for t in visible) for q in quotes))


def reciprocal_rank(texts: Sequence[str], quotes: Sequence[str], k: int = 10) -> float:
    for rank, t in enumerate(texts[:k], 1):
        if any(covers(t, q) for q in quotes):
            return 1.0 / rank
    return 0.0


def ndcg(texts: Sequence[str], quotes: Sequence[str], k: int = 10) -> float:
    n = len(quotes)
    if not n:
        return 0.0
    found: set[int] = set()
    dcg = 0.0
    for rank, t in enumerate(texts[:k], 1):
        new = [i for i, q in enumerate(quotes) if i not in found and covers(t, q)]
        found.update(new)
        dcg += (len(new) / n) / math.log2(rank + 1)
    ideal = sum((1 / n) / math.log2(r + 1) for r in range(1, min(n, k) + 1))
    return min(1.0, dcg / ideal)


# -- answers ---------------------------------------------------------------

def _keyword_pattern(alt: str) -> re.Pattern | None:
    alt = alt.strip()
    if not alt:
        return None
    short = len(alt) <= 4 or alt.replace("%", "").replace("+", "").isdigit()
    flags = 0 if (short and alt.isupper()) else re.IGNORECASE
    body = re.escape(normalise(alt) if flags else alt)
    if short:
        body = rf"(?<!\w){body}(?!\w)"
    return re.compile(body, flags)


def _answer_text(answer: str, case: bool) -> str:
    text = re.sub(r"(\d)\s+%", r"\1%", answer or "")
    text = re.sub(r"\s+", " ", text)
    return text if case else normalise(text)


def keyword_hit(answer: str, groups: Iterable[str]) -> bool:
    """Every group present; a group is alternatives separated by ``|``."""
    for group in groups:
        ok = False
        for alt in group.split("|"):
            pattern = _keyword_pattern(alt)
            if pattern is None:
                continue
            haystack = _answer_text(answer, case=not (pattern.flags & re.IGNORECASE))
            if pattern.search(haystack):
                ok = True
                break
        if not ok:
            return False
    return True


_QUOTED = re.compile(r"“[^”]*”|„[^”“]*[”“]|\"[^\"]*\"|«[^»]*»|‘[^’]*’")
_MARKER = re.compile(r"\[\d+\]")


def answer_language(answer: str) -> str | None:
    """nl / en / other, by langdetect on the answer's own words."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    text = _MARKER.sub(" ", _QUOTED.sub(" ", answer or ""))
    if not _WORD.search(text):
        return None
    DetectorFactory.seed = 0
    try:
        ranked = detect_langs(text)
    except LangDetectException:
        return None
    best = ranked[0].lang
    return "nl" if best == "af" else best  # langdetect often calls short Dutch Afrikaans


# -- one question, then a whole run ------------------------------------------

def score_row(q: Question, row: dict, answers: bool) -> dict:
    """Scores of one answered question; None where a metric does not apply."""
    texts = [p.get("text", "") for p in row.get("retrieved") or []]
    s: dict[str, float | None] = {}
    gold = list(q.evidence)
    if q.answerable:
        for k in KS:
            s[f"recall@{k}"] = recall_at_k(texts, gold, k)
        for b in BUDGETS:
            s[f"recall@{b}ch"] = budget_recall(texts, gold, b)
        s["mrr@10"] = reciprocal_rank(texts, gold)
        s["ndcg@10"] = ndcg(texts, gold)
    if answers:
        refused = bool(row.get("refused"))
        cited = [c.get("text", "") for c in row.get("citations") or []]
        if q.answerable:
            s["false_refusal"] = float(refused)
            s["keyword_accuracy"] = float(keyword_hit(row.get("answer", ""), q.keywords)) if q.keywords else None
            if cited:
                s["citation_precision"] = sum(any(covers(c, g) for g in gold) for c in cited) / len(cited)
            elif not refused:  # an answer without citations supports none of its claims
                s["citation_precision"] = 0.0
            s["citation_recall"] = sum(any(covers(c, g) for c in cited) for g in gold) / len(gold)
        else:
            s["refusal_accuracy"] = float(refused)
        detected = answer_language(row.get("answer", ""))
        s["language_match"] = float(detected == q.lang)
    return s


def answer_right(q: Question, row: dict) -> bool:
    """What the answer's confidence bets on: the key facts held (every keyword group
    hit, where the question has keywords), or the refusal of an unanswerable question."""
    refused = bool(row.get("refused"))
    if not q.answerable:
        return refused
    return not refused and (keyword_hit(row.get("answer", ""), q.keywords) if q.keywords else True)


def _auroc(pairs: list[tuple[float, bool]]) -> float | None:
    """The chance a right answer has a higher confidence than a wrong one (ties count half)."""
    right = [c for c, y in pairs if y]
    wrong = [c for c, y in pairs if not y]
    if not right or not wrong:
        return None
    wins = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong)
    return round(wins / (len(right) * len(wrong)), 4)


def confidence_scores(questions: list[Question], rows: list[dict]) -> dict | None:
    """How well the answers' confidence tells right from wrong: Brier score (beside a
    constant guess of the rate itself), AUROC, and how often each level was right."""
    by_id = {r["id"]: r for r in rows}
    pairs = [(float(by_id[q.id]["confidence"]), answer_right(q, by_id[q.id]), by_id[q.id].get("confidence_level", ""))
             for q in questions if q.id in by_id and by_id[q.id].get("confidence") is not None]
    if not pairs:
        return None
    rate = sum(y for _, y, _ in pairs) / len(pairs)
    levels = {}
    for name in ("high", "medium", "low"):
        ys = [y for _, y, lv in pairs if lv == name]
        levels[name] = {"n": len(ys), "right": round(sum(ys) / len(ys), 4) if ys else None}
    return {"n": len(pairs), "right": round(rate, 4),
            "brier": round(sum((c - y) ** 2 for c, y, _ in pairs) / len(pairs), 4),
            "brier_constant": round(rate * (1 - rate), 4),
            "auroc": _auroc([(c, y) for c, y, _ in pairs]), "mean_confidence": round(sum(c for c, _, _ in pairs) / len(pairs), 4),
            "by_level": levels}


def percentile(values: Sequence[float], p: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    qs = statistics.quantiles(sorted(values), n=100, method="inclusive")
    return round(qs[int(p) - 1], 1)


def aggregate(items: list[tuple[Question, dict, dict]]) -> dict:
    """Mean of each metric over the questions it applies to, plus latency percentiles."""
    out: dict[str, float | int | None] = {"n": len(items)}
    keys: list[str] = []
    for _, _, s in items:
        keys += [k for k in s if k not in keys]
    for k in keys:
        vals = [s[k] for _, _, s in items if s.get(k) is not None]
        out[k] = round(sum(vals) / len(vals), 4) if vals else None
    for part in ("retrieve", "total", "first_token", "first_quote"):
        lat = [r["latency_ms"][part] for _, r, _ in items if (r.get("latency_ms") or {}).get(part) is not None]
        if lat:
            out[f"latency_{part}_p50_ms"] = percentile(lat, 50)
            out[f"latency_{part}_p95_ms"] = percentile(lat, 95)
    return out


def _groups(items: list[tuple[Question, dict, dict]]) -> dict:
    result = {"overall": aggregate(items), "by_lang": {}, "by_type": {}}
    for lang in sorted({q.lang for q, _, _ in items}):
        result["by_lang"][lang] = aggregate([i for i in items if i[0].lang == lang])
    for typ in sorted({q.type for q, _, _ in items}):
        result["by_type"][typ] = aggregate([i for i in items if i[0].type == typ])
    return result


def score_run(questions: list[Question], rows: list[dict], answers: bool) -> dict:
    """metrics.json's core: overall, per language and per type, and the same
    again per split (dev / test), so every figure is read beside its held-out twin."""
    by_id = {r["id"]: r for r in rows}
    items = [(q, by_id[q.id], score_row(q, by_id[q.id], answers)) for q in questions if q.id in by_id]
    result = _groups(items)
    result["by_split"] = {split: _groups([i for i in items if i[0].split == split])
                          for split in ("dev", "test") if any(i[0].split == split for i in items)}
    if answers and any(r.get("confidence") is not None for r in rows):
        for split, block in result["by_split"].items():
            block["confidence"] = confidence_scores([q for q in questions if q.split == split], rows)
    result["per_question"] = {q.id: s for q, _, s in items}
    return result
