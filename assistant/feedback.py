"""Thumbs up/down with an optional comment per answer, kept in SQLite in the
data directory with the question, the answer and its citations, for
evaluators (`python -m eval feedback` exports it as JSON lines).

Each vote is one transaction: a crash or a full disk loses that vote, never
an earlier one, and never leaves half a row.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from .types import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    lang TEXT NOT NULL,
    answer TEXT NOT NULL,
    mode TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '',
    refused INTEGER NOT NULL,
    citations TEXT NOT NULL  -- JSON: [{n, id, doc_title, reference, section}]
)
"""
MAX_COMMENT = 2000


class FeedbackStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        con.execute(SCHEMA)
        return con

    def record(self, answer: Answer, rating: int, comment: str = "") -> int:
        """Store one vote; returns its id."""
        if rating not in (-1, 1):
            raise ValueError("rating is 1 (helpful) or -1 (not helpful)")
        cites = [{"n": c.n, "id": c.id, "doc_title": c.doc_title, "reference": c.reference, "section": c.section}
                 for c in answer.citations]
        row = (datetime.now(timezone.utc).isoformat(timespec="seconds"), rating, (comment or "")[:MAX_COMMENT],
               answer.question, answer.lang, answer.text, answer.mode, answer.model, int(answer.refused),
               json.dumps(cites, ensure_ascii=False))
        with self._lock, self._connect() as con:  # one transaction: committed whole or not at all
            cur = con.execute("INSERT INTO feedback (created, rating, comment, question, lang, answer, mode, model, "
                              "refused, citations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            return int(cur.lastrowid)

    def rows(self) -> Iterator[dict]:
        if not self.path.is_file():
            return iter(())
        con = self._connect()
        con.row_factory = sqlite3.Row
        try:
            out = [dict(r) for r in con.execute("SELECT * FROM feedback ORDER BY id")]
        finally:
            con.close()
        for r in out:
            r["citations"] = json.loads(r["citations"])
            r["refused"] = bool(r["refused"])
        return iter(out)


def store_for(data_dir: Path) -> FeedbackStore:
    return FeedbackStore(Path(data_dir) / "feedback.sqlite")
