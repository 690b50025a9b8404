"""Users' own documents — PDF, DOCX, HTML, Markdown, plain text — as the
Markdown the paragraph splitter reads, keeping their structure:

- headings → section path (``##``, ``###``; ``#`` is the document title);
- paragraphs as blocks, list items as ``- `` lines under their lead-in;
- footnotes as ``[^n]`` references and ``[^n]: …`` definitions;
- a table as one block: its caption (or "Tabel") as lead-in, one line per
  row with each cell named by its column heading;
- PDF pages as ``<!-- page N -->`` markers, so citations carry page numbers.

Offsets of converted documents point into this Markdown (``Document.text``),
not into the binary file. Metadata comes from the file itself (PDF info,
DOCX core properties, HTML ``<title>``/``<meta>``) and can be set in a sidecar
``NAME.meta.yaml`` with the same keys as a source's front matter.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import yaml

from .sources import _FRONT, Document, SourceError, document, load_document

SUPPORTED = (".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm")
MAX_BYTES = 50 * 1024 * 1024  # a larger file is refused with the reason, not half-read
# "Kamerstuk 21 501-34, nr. 418", "Kamerstukken II 2023/24, 21 501-34, nr. 418"
_REFERENCE = re.compile(r"Kamerstuk(?:ken)?(?:\s+I{1,2})?(?:\s+\d{4}/\d{2},)?\s+\d{2}\s?\d{3}(?:-[A-Za-z0-9]+)?,\s*nr\.\s*\d+")
_PUNCT_SPACE = re.compile(r"\s+([.,;:!?)]|\[\^)")  # "zoekhulp ." after a footnote link is taken out
_BULLET = re.compile(r"^\s*(?:[•▪◦‣∙·\-–*]|\d{1,2}[.)])\s+")


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".meta.yaml")


def load_file(path: Path) -> Document:
    """Any supported file → a Document (raises SourceError with the reason)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise SourceError(path, f"unsupported file type {suffix or '(none)'}; use one of {', '.join(SUPPORTED)}",
                          "unsupported_type", suffix=suffix or "(-)", allowed=", ".join(SUPPORTED))
    try:
        size = path.stat().st_size
    except OSError as e:
        raise SourceError(path, f"cannot be read ({e.strerror})", "cannot_read", detail=e.strerror) from None
    if size > MAX_BYTES:
        raise SourceError(path, f"too large ({size // 1_000_000} MB; at most {MAX_BYTES // 1_000_000} MB)",
                          "too_large", mb=size // 1_000_000, limit=MAX_BYTES // 1_000_000)
    if suffix in (".md", ".markdown"):
        head = _read_text(path)[:4]
        if head.startswith("---"):
            return load_document(path)  # a curated source with its own front matter
    convert = {".pdf": _pdf, ".docx": _docx, ".html": _html, ".htm": _html}.get(suffix, _text)
    try:
        body, meta = convert(path)
    except SourceError:
        raise
    except Exception as e:  # a damaged or encrypted file: name it, skip it
        raise SourceError(path, f"cannot be read as {suffix[1:].upper()} ({e.__class__.__name__}: {e})",
                          "unreadable_format", format=suffix[1:].upper(), detail=e.__class__.__name__) from None
    if not body.strip():
        raise SourceError(path, "contains no text (a scanned PDF needs OCR first)", "no_text")
    return _document(path, body, meta)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceError(path, "not UTF-8 text", "not_utf8") from None
    except OSError as e:
        raise SourceError(path, f"cannot be read ({e.strerror})", "cannot_read", detail=e.strerror) from None


def _document(path: Path, body: str, derived: dict) -> Document:
    meta = {k: v for k, v in derived.items() if v}
    side = sidecar(path)
    if side.is_file():
        try:
            meta.update({k: v for k, v in (yaml.safe_load(side.read_text(encoding="utf-8")) or {}).items() if v})
        except yaml.YAMLError as e:
            raise SourceError(side, f"not valid YAML ({e.__class__.__name__})") from None
    from .paragraphs import slug

    meta.setdefault("id", slug(path.stem, 60))
    meta.setdefault("title", path.stem.replace("_", " "))
    meta.setdefault("publisher", "onbekend / unknown")
    meta.setdefault("date", date.fromtimestamp(path.stat().st_mtime).isoformat())
    meta.setdefault("kind", "document")
    if not meta.get("reference"):
        m = _REFERENCE.search(body[:5000])
        meta["reference"] = " ".join(m.group(0).split()) if m else ""
    if not meta.get("language"):
        meta["language"] = _language(body)
    # the title is the document's level-1 heading, as in a curated source
    return document(path, meta, f"# {meta['title']}\n\n{body.strip()}\n", 0, side.name)


def _language(text: str) -> str:
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0
    try:
        return detect(text[:3000])
    except LangDetectException:
        return "und"


# -- formats -------------------------------------------------------------------

def _text(path: Path) -> tuple[str, dict]:
    """Plain text, or Markdown without front matter: blank lines separate blocks."""
    text = _read_text(path).replace("\r\n", "\n")
    title = ""
    if path.suffix.lower() in (".md", ".markdown"):
        m = re.search(r"^#\s+(.+)$", text, re.M)
        if m:
            title = m.group(1).strip()
            text = text[:m.start()] + text[m.end():]
    elif _FRONT.match(text):
        text = text[_FRONT.match(text).end():]
    return text, {"title": title}


def _pdf(path: Path) -> tuple[str, dict]:
    """Lines with their font size and height on the page (pypdf's text
    visitor): larger type is a heading, a wider gap than the line spacing
    ends a paragraph, bullets start list items."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception:
            raise SourceError(path, "is encrypted with a password", "encrypted") from None
    pages = [_pdf_lines(page) for page in reader.pages]
    sizes = Counter()
    for lines in pages:
        for _, s, t in lines:
            sizes[round(s, 1)] += len(t)
    if not sizes:
        return "", {}
    body = sizes.most_common(1)[0][0]
    heading_sizes = sorted({round(s, 1) for lines in pages for _, s, t in lines if s >= body * 1.15 and len(t) < 150},
                           reverse=True)
    gaps = [a[0] - b[0] for lines in pages for a, b in zip(lines, lines[1:])
            if round(a[1], 1) == body and round(b[1], 1) == body and 0 < a[0] - b[0] < body * 3]
    # the lower median: most gaps between body lines are line spacing, not paragraph breaks
    spacing = sorted(gaps)[(len(gaps) - 1) // 2] if gaps else body * 1.3
    out: list[str] = []
    title = ""
    for number, lines in enumerate(pages, start=1):
        out.append(f"<!-- page {number} -->")
        title = _pdf_page(lines, heading_sizes, spacing, out, title if number > 1 else None) or title
    info = reader.metadata or {}
    return "\n\n".join(out), {"title": (info.get("/Title") or title or "").strip(),
                               "publisher": (info.get("/Author") or "").strip(), "date": _pdf_date(info)}


def _pdf_lines(page) -> list[tuple[float, float, str]]:
    """(height on the page, font size, text) of each line, top first."""
    lines: dict[float, list] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (abs(tm[3]) or 1.0) * (abs(cm[3]) or 1.0)
            y = round(tm[5] * (cm[3] or 1.0) + cm[5], 1)
            entry = lines.setdefault(y, [size * scale, ""])
            entry[1] += text.replace("\n", " ")
    page.extract_text(visitor_text=visit)
    return [(y, s, " ".join(t.split())) for y, (s, t) in sorted(lines.items(), key=lambda kv: -kv[0])
            if t.strip() and not t.strip().isdigit()]  # a bare number is a page number


def _pdf_page(lines, heading_sizes: list[float], spacing: float, out: list[str], title: str | None) -> str:
    """One page's lines as Markdown blocks appended to ``out``. ``title`` is
    None on page 1, where the largest type names the document: returns it."""
    # with two or more heading sizes the largest is the title's; the next is a section (##)
    offset = 1 if len(heading_sizes) > 1 else 2
    found = ""
    block: list[str] = []
    prev_y = None
    for y, s, t in lines:
        size = round(s, 1)
        if size in heading_sizes:
            _flush(block, out)
            rank = heading_sizes.index(size)
            if rank == 0 and offset == 1 and title is None and not found:
                found = t  # the largest type on page 1 names the document
            else:
                out.append("#" * max(2, min(rank + offset, 6)) + " " + t)
            prev_y = None
            continue
        new_item = bool(_BULLET.match(t))
        if prev_y is not None and (prev_y - y > spacing * 1.4) or new_item and block and not _BULLET.match(block[0]):
            _flush(block, out)
        if new_item:
            t = "- " + _BULLET.sub("", t)
            if block and block[-1].startswith("- "):
                block.append("\n" + t)
                prev_y = y
                continue
        if block and block[-1].endswith("-") and t[:1].islower():
            block[-1] = block[-1][:-1] + t  # a word hyphenated across lines
        else:
            block.append(t)
        prev_y = y
    _flush(block, out)
    return found


def _flush(block: list[str], out: list[str]) -> None:
    if block:
        out.append(" ".join(block).replace(" \n", "\n"))
        block.clear()


def _pdf_date(info) -> str:
    raw = str(info.get("/CreationDate") or "")
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})", raw)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


def _docx(path: Path) -> tuple[str, dict]:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table

    d = docx.Document(str(path))
    notes = _docx_footnotes(d)
    out: list[str] = []
    title = ""
    caption = ""
    for item in d.iter_inner_content():
        if isinstance(item, Table):
            out.append(_table([[c.text for c in row.cells] for row in item.rows], caption))
            caption = ""
            continue
        style = (item.style.name if item.style is not None else "").lower()
        text = _docx_text(item, qn)
        if not text.strip():
            continue
        m = re.match(r"(?:heading|kop)\s*(\d)", style)
        if style == "title":
            title = title or text.strip()
        elif m:
            out.append("#" * min(int(m.group(1)) + 1, 6) + " " + text.strip())
        elif style.startswith(("caption", "bijschrift")):
            caption = text.strip()
        elif "list" in style or "lijst" in style or item._p.pPr is not None and item._p.pPr.numPr is not None:
            if out and out[-1].startswith("- ") or out and "\n- " in out[-1]:
                out[-1] += "\n- " + text.strip()
            else:
                out.append("- " + text.strip())
        else:
            out.append(text.strip())
    out += [f"[^{k}]: {v}" for k, v in notes.items() if v]
    core = d.core_properties
    when = core.created or core.modified
    return "\n\n".join(out), {"title": (core.title or title or "").strip(), "publisher": (core.author or "").strip(),
                              "date": when.date().isoformat() if when else "", "language": (core.language or "")[:2]}


def _docx_text(paragraph, qn) -> str:
    """A paragraph's text with footnote references as ``[^n]``."""
    parts = []
    for el in paragraph._p.iter():
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        elif el.tag == qn("w:tab"):
            parts.append(" ")
        elif el.tag == qn("w:footnoteReference"):
            parts.append(f"[^{el.get(qn('w:id'))}]")
    return "".join(parts)


def _docx_footnotes(d) -> dict[str, str]:
    from docx.oxml.ns import qn
    from lxml import etree

    for rel in d.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            root = etree.fromstring(rel.target_part.blob)
            notes = {}
            for fn in root.iter(qn("w:footnote")):
                if fn.get(qn("w:type")) in ("separator", "continuationSeparator"):
                    continue
                notes[fn.get(qn("w:id"))] = " ".join("".join(t.text or "" for t in fn.iter(qn("w:t"))).split())
            return notes
    return {}


def _table(rows: list[list[str]], caption: str) -> str:
    """One block: the caption as lead-in, then each row with its cells named
    by the header row (a row read alone still says what its numbers are)."""
    rows = [[" ".join(c.split()) for c in r] for r in rows if any(c.strip() for c in r)]
    if not rows:
        return ""
    header, body = rows[0], rows[1:] or [rows[0]]
    lines = [f"{caption or 'Tabel'} ({', '.join(h for h in header if h)}):"]
    for r in body:
        cells = [f"{h}: {v}" if h and h != v else v for h, v in zip(header, r) if v]
        lines.append("- " + "; ".join(cells))
    return "\n".join(lines)


def _html(path: Path) -> tuple[str, dict]:
    from bs4 import BeautifulSoup

    raw = path.read_bytes()
    soup = BeautifulSoup(raw, "html.parser")  # the standard library's parser: no extra C build
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "form", "template"]):
        tag.decompose()
    defs = _html_footnotes(soup)
    title = soup.title.get_text(" ").strip() if soup.title else ""
    out, title = _html_blocks(soup.body or soup, title)
    out += defs

    def meta(*names):
        for n in names:
            tag = soup.find("meta", attrs={"name": n}) or soup.find("meta", attrs={"property": n})
            if tag and tag.get("content"):
                return tag["content"].strip()
        return ""

    html_tag = soup.find("html")
    lang = (html_tag.get("lang") or "")[:2].lower() if html_tag else ""
    return "\n\n".join(o for o in out if o), {
        "title": meta("dcterms.title", "DC.title", "og:title") or title,
        "publisher": meta("dcterms.publisher", "DC.publisher", "author", "dcterms.creator"),
        "date": meta("dcterms.issued", "dcterms.date", "DC.date", "date", "article:published_time")[:10],
        "language": lang, "reference": meta("dcterms.identifier.reference", "reference")}


def _html_footnotes(soup) -> list[str]:
    """Footnotes: references <a href="#fn1"> → [^1]; definitions <li id="fn1">
    → "[^1]: …", returned (they go after the text) and taken out of the page."""
    defs = []
    for li in soup.select("[id^=fn]"):
        if li.name == "li":
            label = re.sub(r"\D", "", li["id"]) or li["id"]
            for back in li.select("a[href^='#fnref']"):
                back.decompose()
            defs.append(f"[^{label}]: {' '.join(li.get_text(' ').split())}")
            li.decompose()
    for a in soup.select("a[href^='#fn']"):
        label = re.sub(r"\D", "", a["href"]) or a["href"][3:]
        a.replace_with(f"[^{label}]")
    for sec in soup.select("section.footnotes, div.footnotes"):
        sec.decompose()
    return defs


def _html_blocks(root, title: str) -> tuple[list[str], str]:
    """Headings, paragraphs, lists (with their lead-in) and tables as Markdown
    blocks; an h1 names the document when <title> does not."""
    blocks = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "table", "blockquote", "pre", "dd")
    out = []
    for el in root.find_all(blocks):
        if any(p.name in blocks for p in el.parents):
            continue  # inside a block already taken whole
        text = _PUNCT_SPACE.sub(r"\1", " ".join(el.get_text(" ").split()))
        if not text:
            continue
        if el.name[0] == "h" and el.name[1:].isdigit():
            level = int(el.name[1])
            if level == 1 and not title:
                title = text
            elif level > 1 or title != text:
                out.append("#" * min(level + 1, 6) + " " + text)
        elif el.name in ("ul", "ol"):
            items = ["- " + " ".join(li.get_text(" ").split()) for li in el.find_all("li", recursive=False)]
            items = [i for i in items if i != "- "]
            if items and out and not out[-1].startswith("#") and out[-1].endswith(":"):
                out[-1] += "\n" + "\n".join(items)  # a list stays with its lead-in
            elif items:
                out.append("\n".join(items))
        elif el.name == "table":
            cap = el.find("caption")
            caption = " ".join(cap.get_text(" ").split()) if cap else ""
            if cap:
                cap.decompose()
            rows = [[c.get_text(" ") for c in tr.find_all(["th", "td"])] for tr in el.find_all("tr")]
            out.append(_table(rows, caption))
        else:
            out.append(text)
    return out, title
