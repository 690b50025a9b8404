"""Split a Markdown document into paragraphs that can each be cited.

Rules (what a reader of a policy paper expects one citation to point at):
- one node per paragraph; headings are the section path of the paragraphs
  under them, and a heading that states something ("1. Een politieke visie
  voor musea …", an agenda item's title) is also a citable unit of its own
  (kind "heading"), since it may be the only place a fact is written;
- a lead-in paragraph ending in ':' that introduces headed sections ("De drie
  aanbevelingen …:") is linked to those headings (``heads``), so a question
  for the list finds the whole list;
- a paragraph under a section whose heading names a role of parliamentary
  papers ("Nederlandse inzet") carries that role (``index/roles``);
- a list stays with its lead-in sentence (the paragraph before it ending in ':');
- a footnote (``[^n]: …``) is its own node, linked both ways to the
  paragraphs that reference it (``[^n]``);
- every paragraph keeps its character offsets into the source file, and a
  citation id built from document id + section + position, so that an edit
  in one section leaves the ids of every other section unchanged.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace

from .roles import closing_role, content_role, is_role_heading, kind_role, section_role
from .sources import Document

_BLOCK_SEP = re.compile(r"\n[ \t]*\n")
_PAGE = re.compile(r"^<!-- page (\d+) -->$")  # converted PDFs mark where each page starts
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FOOTDEF = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*")
_FOOTREF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>]+)>")
_EMPHASIS = re.compile(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1")


@dataclass(frozen=True)
class Paragraph:
    id: str  # stable citation id: "<doc>#<section slugs>/p<position>" or "<doc>#fn<label>"
    doc_id: str
    kind: str  # "paragraph" | "list" | "footnote"
    section: tuple[str, ...]  # headings below the document title, outermost first
    number: int  # 1-based position in the document
    position: int  # 1-based position within its section
    start: int  # character offsets into the source file: text[start:end]
    end: int
    text: str  # plain text: markup and footnote markers removed
    content_hash: str
    footnotes: tuple[str, ...] = ()  # footnote ids this paragraph refers to
    anchors: tuple[str, ...] = ()  # for a footnote: the paragraphs that refer to it
    label: str = ""  # a footnote's own label ("7")
    cited_by: str = ""  # for a footnote: the sentence(s) that refer to it, plain text
    around: str = ""  # for a very short paragraph: its neighbours in the section, to embed it with
    page: int = 0  # the PDF page it starts on (0: the format has no pages)
    heads: tuple[str, ...] = ()  # for a lead-in: the heading units of the sections it introduces
    role: str = ""  # the section's role: background / position / forces (parliamentary papers), contact (press releases), or ""


def slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0] or s[:limit]
    return s or "section"


def clean_inline(text: str) -> str:
    """Markdown inline markup → plain text, keeping line structure of lists."""
    text = _FOOTREF.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = re.sub(r"<sup>.*?</sup>", "", text)
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if not ln:
            continue
        # a list item starts a line of its own; other line breaks are soft
        if out and not _LIST_ITEM.match(ln):
            out[-1] = out[-1] + " " + ln
        else:
            out.append(ln)
    return "\n".join(out)


def content_hash(text: str) -> str:
    """The short content hash every id and cache key uses (16 hex digits of sha256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Block:
    kind: str
    start: int
    end: int
    raw: str
    section: tuple[str, ...]
    label: str = ""
    page: int = 0
    level: int = 0  # a heading's level


_NUMBERED = re.compile(r"^(\d+)[.)]\s")
COUNT_WORDS = {  # "De drie aanbevelingen …": how many items a lead-in or a question announces
    "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
MIN_HEADING_WORDS = 3  # "Inhoud", "Nederlandse inzet": a label, not a statement


def states_something(title: str) -> bool:
    """A heading worth citing on its own: a few words, and not a role label."""
    return len(re.findall(r"\w+", title)) >= MIN_HEADING_WORDS and not is_role_heading(title)


def _blocks(doc: Document):
    """Yield (start, end, raw) for each blank-line-separated block of the body."""
    body_start, text = doc.body_start, doc.text
    pos = body_start
    for m in list(_BLOCK_SEP.finditer(text, body_start)) + [None]:
        end = m.start() if m else len(text)
        raw = text[pos:end]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            yield pos + lead, pos + lead + len(stripped), stripped
        if m:
            pos = m.end()


def split_paragraphs(doc: Document) -> list[Paragraph]:
    """The document's citable units, in order: paragraphs, lists with their
    lead-in, headings that state something, footnotes, and a header card."""
    paras = _link_lead_ins(*_units(doc, _classify(doc)))
    card = _header(doc)
    if card is not None:
        paras.insert(0, card)
    out = _with_neighbours(_anchor_footnotes(doc, paras))
    ids = [p.id for p in out]
    if len(ids) != len(set(ids)):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"{doc.path.name}: duplicate paragraph ids {dup} (a footnote label used twice?)")
    return out


def _classify(doc: Document) -> list[_Block]:
    """Blocks with their kind, section path and page; a list joins its lead-in."""
    headings: dict[int, str] = {}
    blocks: list[_Block] = []
    page = 0
    for start, end, raw in _blocks(doc):
        pm = _PAGE.match(raw)
        if pm:
            page = int(pm.group(1))
            continue
        h = _HEADING.match(raw.split("\n", 1)[0])
        if h and "\n" not in raw:
            level = len(h.group(1))
            headings = {k: v for k, v in headings.items() if k < level}
            title = clean_inline(h.group(2)).rstrip(":").strip()
            if level > 1:  # level 1 is the document title
                headings[level] = title
                if states_something(title):
                    blocks.append(_Block("heading", start, end, title, tuple(headings[k] for k in sorted(headings)),
                                         page=page, level=level))
            continue
        section = tuple(headings[k] for k in sorted(headings))
        if _FOOTDEF.match(raw):
            # one block may hold several definitions, one per line
            for m in _split_footnotes(raw, start):
                blocks.append(_Block("footnote", m[0], m[1], m[2], section, m[3], page))
            continue
        lines = [ln for ln in raw.split("\n") if ln.strip()]
        is_list = all(_LIST_ITEM.match(ln) or ln.startswith((" ", "\t")) for ln in lines) and _LIST_ITEM.match(lines[0])
        prev = blocks[-1] if blocks else None
        if prev is not None and prev.kind == "heading":
            prev = None  # a list right under a heading is not that heading's
        if (is_list and prev is not None and prev.kind in ("paragraph", "list") and prev.section == section
                and (prev.raw.rstrip().endswith(":") or prev.kind == "list")):
            # the list belongs to its lead-in sentence: one citable unit
            prev.raw = doc.text[prev.start:end]
            prev.end = end
            prev.kind = "list"
            continue
        blocks.append(_Block("list" if is_list else "paragraph", start, end, raw, section, page=page))
    return blocks


def _units(doc: Document, blocks: list[_Block]) -> tuple[list[Paragraph], list[_Block]]:
    """Blocks → paragraphs with their ids: per-section positions for
    paragraphs, ``/h`` for headings, labels for footnotes."""
    counters: dict[tuple[str, ...], int] = {}
    paths: dict[tuple[str, ...], str] = {}  # section → its id path, unique within the document
    taken: set[str] = set()
    paras: list[Paragraph] = []
    fn_ids = {b.label: f"{doc.id}#fn{b.label}" for b in blocks if b.kind == "footnote"}
    for number, b in enumerate(blocks, start=1):
        if b.kind == "footnote":
            pid, position = fn_ids[b.label], int(b.label) if b.label.isdigit() else 0
            text = clean_inline(_FOOTDEF.sub("", b.raw, count=1))
        elif b.kind == "heading":
            path = _section_path(b.section, paths, taken)
            pid, position, text = f"{doc.id}#{path}/h", 0, b.raw
        else:
            position = counters[b.section] = counters.get(b.section, 0) + 1
            path = _section_path(b.section, paths, taken)
            pid = f"{doc.id}#{path}/p{position}" if path else f"{doc.id}#p{position}"
            text = clean_inline(b.raw)
        refs = tuple(dict.fromkeys(fn_ids[l] for l in _FOOTREF.findall(b.raw) if l in fn_ids)) if b.kind != "footnote" else ()
        paras.append(Paragraph(
            id=pid, doc_id=doc.id, kind=b.kind, section=b.section, number=number, position=position,
            start=b.start, end=b.end, text=text, content_hash=content_hash(text), footnotes=refs, label=b.label,
            page=b.page,
            role=(section_role(b.section) or closing_role(text) or content_role(text)) if b.kind != "heading" else "",
        ))
    return paras, blocks


def _anchor_footnotes(doc: Document, paras: list[Paragraph]) -> list[Paragraph]:
    """Link footnotes back to where they are referenced; a footnote reads in
    the section of its first reference, which is where a reader meets it."""
    anchors: dict[str, list[Paragraph]] = {}
    for p in paras:
        for f in p.footnotes:
            anchors.setdefault(f, []).append(p)
    out = []
    for p in paras:
        if p.kind == "footnote" and p.id in anchors:
            first = anchors[p.id][0]
            cited = dict.fromkeys(_citing_sentence(doc.text[a.start:a.end], p.label) for a in anchors[p.id])
            p = replace(p, anchors=tuple(a.id for a in anchors[p.id]),
                        section=first.section + (f"Voetnoot {p.label}",), cited_by=" ".join(c for c in cited if c))
        out.append(p)
    return out


_MONTHS = {"nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                   "oktober", "november", "december"),
           "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")}


UNKNOWN_PUBLISHER = "onbekend / unknown"  # what index.loaders sets when a file names none


def _header(doc: Document) -> Paragraph | None:
    """The document's header as a citable unit: kind, title, publisher, date
    and official reference. A press release's date or a letter's Kamerstuk
    number is often written only there ("PERSBERICHT | 21 maart 2024")."""
    known = doc.publisher and doc.publisher != UNKNOWN_PUBLISHER
    if not (doc.reference or known):  # a bare file's date is its modification time: nothing to cite
        return None
    date = doc.date
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date or "")
    if m and 1 <= int(m.group(2)) <= 12:
        months = _MONTHS.get(doc.language, _MONTHS["en"])
        date = f"{int(m.group(3))} {months[int(m.group(2)) - 1]} {m.group(1)}"
    # the title is left out: every unit of the document is embedded with it already
    parts = [doc.kind.capitalize() if doc.kind and doc.kind != "document" else "", doc.publisher,
             date if date and date not in (doc.reference or "") else "", doc.reference]
    text = " | ".join(p.strip() for p in parts if p and p.strip())
    # offsets: the front matter the header comes from (the whole file's start for a file without one)
    return Paragraph(id=f"{doc.id}#header", doc_id=doc.id, kind="header", section=(), number=0, position=0,
                     start=0, end=doc.body_start, text=text, content_hash=content_hash(text), role=kind_role("header"))


def _section_path(section: tuple[str, ...], paths: dict, taken: set) -> str:
    if section not in paths:
        # two long headings may share their first 40 characters: the later
        # one gets a suffix (only then, so existing ids never change)
        base = path = "/".join(slug(s) for s in section)
        k = 1
        while path in taken:
            k += 1
            path = f"{base}-{k}"
        paths[section] = path
        taken.add(path)
    return paths[section]


def _link_lead_ins(paras: list[Paragraph], blocks: list[_Block]) -> list[Paragraph]:
    """A paragraph ending in ':' right before headings introduces them: link it
    to the run of headings that follows at one level, numbered 1, 2, 3 … or as
    many as it announces ("De drie aanbevelingen …:")."""
    out = list(paras)
    for i, p in enumerate(paras):
        if p.kind not in ("paragraph", "list") or not p.text.rstrip().endswith(":"):
            continue
        following = [(q, blocks[j]) for j, q in enumerate(paras[i + 1:], start=i + 1)
                     if q.kind == "heading" and blocks[j].level > len(p.section)]
        if not following or following[0][0].number != p.number + 1:
            continue
        level = following[0][1].level
        words = re.findall(r"\w+", p.text.lower())
        count = next((COUNT_WORDS[w] for w in words if w in COUNT_WORDS), 0) or next((int(w) for w in words if w.isdigit()
                                                                               and 1 < int(w) <= 20), 0)
        run = []
        for q, b in following:
            if b.level != level:
                continue
            m = _NUMBERED.match(q.text)
            if count and len(run) < count:
                run.append(q.id)
            elif not count and m and int(m.group(1)) == len(run) + 1:
                run.append(q.id)
            else:
                break
        if run:
            out[i] = replace(p, heads=tuple(run))
    return out


SHORT = 120  # characters: "Voor al uw vragen kan u terecht bij" says nothing alone
AROUND = 300  # characters taken from each neighbour


def _with_neighbours(paras: list[Paragraph]) -> list[Paragraph]:
    """Give a very short paragraph the text around it in its section, so its
    vector says what it is about; it stays its own citable paragraph."""
    out = list(paras)
    for i, p in enumerate(paras):
        if p.kind == "footnote" or len(p.text) >= SHORT:
            continue
        near = [q.text[:AROUND] for q in (paras[i - 1] if i else None, paras[i + 1] if i + 1 < len(paras) else None)
                if q is not None and q.kind != "footnote" and q.section == p.section]
        if near:
            out[i] = replace(p, around=" … ".join(near))
    return out


def _citing_sentence(raw: str, label: str) -> str:
    """The sentence in ``raw`` that ends at footnote marker ``label``: a bare
    reference ("Kamerstuk 26 643, nr. 1125") is only findable through it."""
    from .sentences import split_sentences

    m = re.search(r"\[\^" + re.escape(label) + r"\](?!:)", raw)
    if not m:
        return ""
    before = clean_inline(raw[:m.start()]).split("\n")[-1].rstrip()
    spans = split_sentences(before)
    sentence = before[spans[-1][0]:spans[-1][1]] if spans else before
    return sentence.strip().lstrip("-+* ")


def _split_footnotes(raw: str, start: int):
    """(start, end, raw, label) of each footnote definition in a block."""
    starts = [m.start() for m in re.finditer(r"^\[\^[^\]\s]+\]:", raw, re.M)]
    if not starts or starts[0] != 0:
        starts = [0] + starts
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(raw)
        part = raw[s:e].rstrip()
        label = _FOOTDEF.match(part).group(1)
        yield start + s, start + s + len(part), part, label
