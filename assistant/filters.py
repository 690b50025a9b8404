"""What a caller may narrow the sources to: ``{"doc_id": [...], "since": "2024",
…}`` checked, and turned into a Chroma ``where`` and an in-memory predicate.

Only the names in ``FILTER_KEYS`` and text values get through: no store
operator such as ``{"$ne": …}`` reaches Chroma from a caller."""
from __future__ import annotations

import re

# public filter name → metadata key in the store
FILTER_KEYS = {"doc_id": "doc", "language": "language", "publisher": "publisher", "doc_kind": "doc_kind", "file": "file"}
NOTHING = "\u2205"  # a document id no document has: a date range with no document in it matches nothing


def conditions(filters: dict) -> list[tuple[str, object]]:
    """(metadata key, value or list of values) per filter; unknown names are an
    error, and so is any value but text or a list of texts."""
    if not isinstance(filters, dict):
        raise ValueError("filters are an object such as {\"doc_id\": [\"…\"]}")
    out = []
    for key, value in filters.items():
        if key not in FILTER_KEYS:
            raise ValueError(f"unknown filter {key!r}; use one of {sorted(FILTER_KEYS)}")
        many = isinstance(value, (list, tuple, set))
        values = list(value) if many else [value]
        if not values or not all(isinstance(v, str) for v in values):
            raise ValueError(f"filter {key!r} takes a text or a list of texts")
        out.append((FILTER_KEYS[key], values if many else value))
    return out


def where(filters: dict | None) -> dict | None:
    """``{"doc_id": "x"}`` or ``{"doc_id": ["x", "y"]}`` → a Chroma ``where``."""
    if not filters:
        return None
    parts = [{k: {"$in": v} if isinstance(v, list) else {"$eq": v}} for k, v in conditions(filters)]
    return parts[0] if len(parts) == 1 else {"$and": parts}


def allowed(filters: dict | None):
    """The same filters as a predicate over paragraph metadata, for the signals
    filtered in memory instead of by a Chroma ``where``."""
    if not filters:
        return None
    checks = [(k, set(v) if isinstance(v, list) else {v}) for k, v in conditions(filters)]
    return lambda meta: all(meta.get(k) in v for k, v in checks)


def dates_to_documents(filters: dict | None, documents: list[dict]) -> dict | None:
    """``since`` / ``until`` (ISO dates) are document properties: turn them
    into the list of documents in range, a cheap ``in`` filter, instead of a
    per-paragraph range condition in the store."""
    if not isinstance(filters, dict) or not ({"since", "until"} & set(filters)):
        return filters  # anything but an object is refused by the filter check itself
    rest = {k: v for k, v in filters.items() if k not in ("since", "until")}
    since, until = str(filters.get("since") or ""), str(filters.get("until") or "")
    for value in (since, until):
        if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            raise ValueError(f"dates are YYYY-MM-DD, not {value!r}")
    # ISO dates compare as strings; a bare year or month covers the whole of it
    docs = [d["id"] for d in documents
            if (not since or d.get("date", "") >= since) and (not until or d.get("date", "")[:len(until)] <= until)]
    wanted = rest.get("doc_id")
    if wanted is not None:
        wanted = set(wanted) if isinstance(wanted, (list, tuple, set)) else {wanted}
        docs = [d for d in docs if d in wanted]
    rest["doc_id"] = docs or [NOTHING]
    return rest
