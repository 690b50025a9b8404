"""Which documents the index holds: the curated sources (``sources/*.md`` with
front matter), the files and folders added with ``python -m index add``
(remembered in ``<data>/library.json`` and read again on every sync, so edits
and deletions there are picked up), and uploads (``<data>/uploads``).

A file that cannot be read is reported by name with the reason and skipped;
the rest goes on. If an earlier version of it was indexed, that version stays
(kept in ``<data>/library/``) until the file is readable again or deleted:
a damaged save never silently removes a document. The same copy spares
converting a file again while its size and time are unchanged.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .loaders import SUPPORTED, load_file
from settings import Settings
from .sources import Document, Problem, SourceError

log = logging.getLogger(__name__)
LIBRARY_FILE = "library.json"


@dataclass
class Scan:
    documents: list[Document] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def uploads_dir(settings: Settings) -> Path:
    return settings.data_dir / "uploads"


def _library_path(settings: Settings) -> Path:
    return settings.data_dir / LIBRARY_FILE


def registered(settings: Settings) -> list[Path]:
    path = _library_path(settings)
    if not path.is_file():
        return []
    try:
        return [Path(p) for p in json.loads(path.read_text(encoding="utf-8")).get("paths", [])]
    except (ValueError, OSError) as e:
        raise SourceError(path, f"cannot be read ({e}); fix or delete it and add your files again") from None


def _write_registered(settings: Settings, paths: list[Path]) -> None:
    path = _library_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"paths": [str(p) for p in paths]}, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash leaves the old list or the new one


def register(settings: Settings, paths: list[Path]) -> list[Path]:
    """Remember files or folders to index; returns the new list. A path that
    does not exist or has an unsupported type is an error (nothing is saved)."""
    known = registered(settings)
    for p in paths:
        p = Path(p).expanduser().resolve()
        if not p.exists():
            raise SourceError(p, "does not exist")
        if p.is_file() and p.suffix.lower() not in SUPPORTED:
            raise SourceError(p, f"unsupported file type {p.suffix or '(none)'}; use one of {', '.join(SUPPORTED)}")
        if p not in known:
            known.append(p)
    _write_registered(settings, known)
    return known


def unregister(settings: Settings, paths: list[Path]) -> list[Path]:
    drop = {Path(p).expanduser().resolve() for p in paths}
    known = [p for p in registered(settings) if p not in drop]
    _write_registered(settings, known)
    return known


def _supported(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                  and p.name.lower() != "readme.md")


def files(settings: Settings) -> tuple[list[Path], list[Problem]]:
    """Every file the index should hold, and registered paths that are gone."""
    out: list[Path] = []
    gone: list[Problem] = []
    if settings.sources_dir.is_dir():
        out += sorted(p for p in settings.sources_dir.glob("*.md") if p.name.lower() != "readme.md")
    for p in registered(settings):
        if p.is_dir():
            out += _supported(p)
        elif p.is_file():
            out.append(p)
        else:
            gone.append(Problem(str(p), "no longer exists: its paragraphs were removed "
                                        "(python -m index remove to forget it)", "gone"))
    if uploads_dir(settings).is_dir():
        out += _supported(uploads_dir(settings))
    return list(dict.fromkeys(p.resolve() for p in out)), gone


def _kept_path(settings: Settings, path: Path) -> Path:
    return settings.data_dir / "library" / (hashlib.sha256(str(path).encode()).hexdigest()[:20] + ".json")


def _stamp(path: Path) -> list[int]:
    """Size and modification time of a file and of its metadata sidecar."""
    from .loaders import sidecar

    st, side = path.stat(), sidecar(path)
    return [st.st_size, st.st_mtime_ns, side.stat().st_mtime_ns if side.is_file() else 0]


def _keep(settings: Settings, doc: Document, stamp: list[int]) -> None:
    """The converted version of a file (not of a curated source, which is text
    under version control): reused while the file is unchanged, and kept as the
    last readable version when it breaks."""
    target = _kept_path(settings, doc.path.resolve())
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(doc).items()}
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps({"stamp": stamp, "document": data}, ensure_ascii=False), encoding="utf-8")
    tmp.replace(target)


def _kept(settings: Settings, path: Path) -> tuple[Document, list[int]] | tuple[None, None]:
    target = _kept_path(settings, path.resolve())
    if not target.is_file():
        return None, None
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        data["document"]["path"] = Path(data["document"]["path"])
        return Document(**data["document"]), data["stamp"]
    except (ValueError, KeyError, TypeError):  # damaged or from an older layout: convert afresh
        return None, None


def scan(settings: Settings) -> Scan:
    result = Scan()
    paths, result.skipped = files(settings)
    seen: dict[str, Path] = {}
    for path in paths:
        kept, kept_stamp = _kept(settings, path)
        try:
            stamp = _stamp(path)
            if kept is not None and kept_stamp == stamp:
                doc = kept  # unchanged since it was converted: no need to read a PDF again
            else:
                doc = load_file(path)
                if path.suffix.lower() not in (".md", ".markdown") or not doc.text.startswith("---"):
                    _keep(settings, doc, stamp)
        except SourceError as e:
            doc = kept
            result.skipped.append(e.problem(kept=doc is not None))
            if doc is None:
                continue
        except OSError as e:  # vanished between listing and reading
            result.skipped.append(Problem(str(path), f"cannot be read ({e.strerror})", "cannot_read",
                                          {"detail": e.strerror}))
            continue
        if doc.id in seen:
            result.skipped.append(Problem(str(path), f"id {doc.id!r} is used by {seen[doc.id]} too; give one an id "
                                                     f"in {path.name}.meta.yaml", "duplicate_id",
                                          {"id": doc.id, "other": seen[doc.id].name, "file": path.name}))
            continue
        seen[doc.id] = path
        result.documents.append(doc)
    for p in result.skipped:
        log.warning("skipped %s: %s%s", p.file, p.reason, " (last readable version kept)" if p.kept else "")
    return result
