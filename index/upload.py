"""Files uploaded through the app: checked, then stored in ``<data>/uploads``
(and only there: a name is reduced to its last part, so "../x" or an
absolute path cannot write elsewhere), then indexed like any other file."""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .library import uploads_dir
from .loaders import MAX_BYTES, SUPPORTED
from settings import Settings
from .sources import Problem

MAX_FILES = 20


@dataclass
class Accepted:
    stored: list[Path] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)


def safe_name(name: str) -> str:
    """The last part of a path, with anything but letters, digits, '.', '-' and '_' replaced."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w.-]+", "_", base).strip("._")
    return base[:120] or "document"


def accept(settings: Settings, files: list[tuple[str, Path]]) -> Accepted:
    """Copy ``(original name, temporary path)`` pairs into the uploads folder;
    a file of another type, an empty or too large one is refused with the reason."""
    out = Accepted()
    folder = uploads_dir(settings).resolve()
    for name, tmp in files[:MAX_FILES]:
        clean = safe_name(name)
        suffix = Path(clean).suffix.lower()
        size = Path(tmp).stat().st_size if Path(tmp).is_file() else 0
        if suffix not in SUPPORTED:
            out.refused.append(Problem(name, f"type {suffix or '(none)'}; allowed: {', '.join(SUPPORTED)}",
                                       "unsupported_type", {"suffix": suffix or "(-)", "allowed": ", ".join(SUPPORTED)}))
        elif size == 0:
            out.refused.append(Problem(name, "empty", "empty"))
        elif size > MAX_BYTES:
            out.refused.append(Problem(name, f"{size // 1_000_000} MB; at most {MAX_BYTES // 1_000_000} MB", "too_large",
                                       {"mb": size // 1_000_000, "limit": MAX_BYTES // 1_000_000}))
        else:
            target = (folder / clean).resolve()
            if target.parent != folder:  # cannot happen after safe_name; the check is the promise
                out.refused.append(Problem(name, "name not allowed"))
                continue
            folder.mkdir(parents=True, exist_ok=True)
            part = target.with_name(target.name + ".part")
            shutil.copyfile(tmp, part)
            part.replace(target)  # whole or not at all: a sync never reads half a file
            out.stored.append(target)
    for name, _ in files[MAX_FILES:]:
        out.refused.append(Problem(name, f"more than {MAX_FILES} files at once", "too_many", {"limit": MAX_FILES}))
    return out
