"""Load the source documents: Markdown files with YAML front matter."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

REQUIRED = ("id", "title", "publisher", "date", "language", "kind")
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class SourceError(ValueError):
    """A source file that cannot be used, with the reason (English, for logs and
    the CLI) and, where a user may see it, a code and parameters to say it in
    their language."""

    def __init__(self, path: Path, reason: str, code: str = "", **params):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason, self.code, self.params = path, reason, code, params

    def problem(self, kept: bool = False) -> "Problem":
        return Problem(str(self.path), self.reason, self.code, dict(self.params), kept)


@dataclass(frozen=True)
class Problem:
    """A file left out of the index (or kept at its last readable version)."""

    file: str
    reason: str
    code: str = ""
    params: dict = field(default_factory=dict)
    kept: bool = False  # its last readable version stays indexed


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    publisher: str
    date: str  # ISO 8601
    language: str
    kind: str
    reference: str
    path: Path
    text: str  # the whole file, so offsets point into the file itself
    body_start: int  # offset of the first character after the front matter

    @property
    def file_name(self) -> str:
        return self.path.name


def load_document(path: Path) -> Document:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceError(path, "not UTF-8 text") from None
    except OSError as e:
        raise SourceError(path, f"cannot be read ({e.strerror})") from None
    m = _FRONT.match(text)
    if not m:
        raise SourceError(path, "no front matter: the file must start with a '---' block (see sources/README.md)")
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as e:
        raise SourceError(path, f"front matter is not valid YAML ({e.__class__.__name__})") from None
    return document(path, meta, text, m.end(), "front matter")


def document(path: Path, meta: dict, text: str, body_start: int, where: str) -> Document:
    """A Document from its metadata, checked: every required key, a usable id,
    an ISO date. ``where`` names where the metadata is set, for the message."""
    missing = [k for k in REQUIRED if not meta.get(k)]
    if missing:
        raise SourceError(path, f"{where} lacks {', '.join(missing)}")
    doc_id = str(meta["id"])
    if not _ID.match(doc_id):
        raise SourceError(path, f"id {doc_id!r} must be lower-case letters, digits, '.', '_' or '-' (set it in {where})")
    when = meta["date"]
    try:
        # a YAML date or datetime, or text starting YYYY-MM-DD (a PDF or HTML timestamp)
        when = when.isoformat()[:10] if isinstance(when, date) else date.fromisoformat(str(when)[:10]).isoformat()
    except ValueError:
        raise SourceError(path, f"date {when!r} is not YYYY-MM-DD (set it in {where})") from None
    return Document(
        id=doc_id, title=str(meta["title"]), publisher=str(meta["publisher"]), date=when,
        language=str(meta["language"]), kind=str(meta["kind"]), reference=str(meta.get("reference") or ""),
        path=path, text=text, body_start=body_start,
    )


def load_sources(directory: Path) -> list[Document]:
    """All ``*.md`` documents in ``directory`` (its README excepted), by id.

    Raises ``SourceError`` for the first unusable file, and for two files that
    claim the same id (their citation ids would collide)."""
    docs: dict[str, Document] = {}
    for path in sorted(Path(directory).glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        doc = load_document(path)
        if doc.id in docs:
            raise SourceError(path, f"id {doc.id!r} is used by {docs[doc.id].path.name} too")
        docs[doc.id] = doc
    return list(docs.values())
