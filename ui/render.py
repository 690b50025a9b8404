"""Answers as HTML for the chat workspace: the chat message, the source pane
and the trace. Every piece of document or question text goes through
``html.escape`` here, so markup inside a source or a question shows as text.

Citation markers become links ``#cite-{key}-{n}``: ``key`` names the answer
inside its conversation, and a click selects paragraph ``n`` of that answer
in the source pane (the page script, ui/static/page.js, turns the click into an event).
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from assistant.confidence import note as confidence_note
from assistant.messages import language_file, text as msg
from assistant.types import Answer, Citation, Passage
from index.sources import Problem

LABELS_DIR = Path(__file__).parent / "labels"
MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


def labels(lang: str) -> dict:
    return language_file(LABELS_DIR, lang)


def label(lang: str, key: str, **params) -> str:
    return labels(lang)[key].format(**params)


def describe(problem: Problem, lang: str) -> str:
    """Why a file was refused or skipped, in the reader's language (the
    English reason when the problem has no code)."""
    template = labels(lang)["reasons"].get(problem.code)
    text = template.format(**problem.params) if template else problem.reason
    return f"{text}; {label(lang, 'kept_version')}" if problem.kept else text


def esc(s: str) -> str:
    return html.escape(s or "", quote=True)


def escape_text(s: str) -> str:
    """Chat text: HTML neutralised, the answer's own line breaks and bullets kept."""
    return "\n".join(html.escape(line, quote=False) for line in (s or "").split("\n"))


def highlight(c: Citation) -> str:
    """The paragraph, escaped, with the cited sentences marked."""
    out, pos = [], 0
    for a, b in sorted(c.spans):
        out += [esc(c.text[pos:a]), "<mark>", esc(c.text[a:b]), "</mark>"]
        pos = b
    out.append(esc(c.text[pos:]))
    return "".join(out).replace("\n", "<br>")


def _source_line(c: Citation, lang: str) -> str:
    ref = f" ({esc(c.reference)})" if c.reference else ""
    section = f" · {esc(label(lang, 'section'))}: {esc(c.section)}" if c.section else ""
    page = f" · {esc(label(lang, 'page'))} {c.page}" if c.page else ""
    return f"{esc(c.doc_title)}{ref}{section}{page}"


def _with_sources(answer: Answer, text_html: str, sources: list[str]) -> str:
    """Answer text, its notes, the AI label, then one entry per source."""
    parts = [text_html]
    for note in answer.notes:
        parts.append(f"\n\n<small>⚠️ {esc(note)}</small>")
    parts.append(f"\n\n<small>🤖 <em>{esc(answer.label)}</em></small>")
    if answer.confidence is not None:
        parts.append(f"\n\n<small class='confidence confidence-{answer.confidence_level}'>{esc(confidence_note(answer))}</small>")
    if sources:
        parts.append(f"\n\n**{esc(msg(answer.lang, 'sources_heading'))}**")
        parts += [f"\n\n{s}" for s in sources]
    return "".join(parts)


def answer_html(answer: Answer) -> str:
    """The whole answer in one piece (the Gradio API's /ask): text, notes,
    label, and every cited paragraph with its cited sentences marked."""
    return _with_sources(answer, escape_text(answer.text), [
        f"<div class='citation'><b>[{c.n}]</b> {_source_line(c, answer.lang)}<br>"
        f"<small><code>{esc(c.id)}</code></small><blockquote>{highlight(c)}</blockquote></div>"
        for c in answer.citations])


def _link(key: int, n: int, text: str) -> str:
    return f"<a class='cite' href='#cite-{key}-{n}' title='[{n}]'>{text}</a>"


def link_markers(text: str, key: int, numbers: set[int]) -> str:
    """Escaped ``text`` with each marker [n] of a real citation as a link."""
    def one(m: re.Match) -> str:
        ns = [int(x) for x in re.findall(r"\d+", m.group(1))]
        if not all(n in numbers for n in ns):
            return m.group(0)
        return "".join(_link(key, n, f"[{n}]") for n in ns)

    return MARKER.sub(one, escape_text(text))


def chat_message(answer: Answer, key: int) -> str:
    """The answer as a chat message: clickable markers, notes, the AI label
    and one line per source (the paragraphs themselves are in the pane)."""
    text_html = link_markers(answer.text, key, {c.n for c in answer.citations})
    return _with_sources(answer, text_html, [f"{_link(key, c.n, f'[{c.n}]')} {_source_line(c, answer.lang)}"
                                             for c in answer.citations])


def pane_empty(lang: str) -> str:
    return f"<div class='pane-empty'>{esc(label(lang, 'pane_empty'))}</div>"


def _neighbour(p: Passage, lang: str, which: str) -> str:
    return (f"<div class='neighbour'><small>{esc(label(lang, which))} · {esc(label(lang, 'paragraph'))} {p.number}"
            f"</small><p>{esc(p.text)}</p></div>")


def source_pane(answer: Answer, key: int, selected: int,
                context: tuple[list[Passage], list[Passage]] = ([], [])) -> str:
    """The cited paragraphs of one answer: tabs [1] [2] …, then the selected
    one with title, reference, section path, date and publisher, its cited
    sentences highlighted, between its neighbouring paragraphs."""
    lang = answer.lang
    head = f"<div class='pane-for'><small>{esc(label(lang, 'pane_for'))}</small> <q>{esc(answer.question)}</q></div>"
    if not answer.citations:
        return f"<div class='source-pane'>{head}<p>{esc(label(lang, 'no_citations'))}</p></div>"
    c = next((c for c in answer.citations if c.n == selected), answer.citations[0])
    tabs = " ".join(
        f"<a class='cite tab{' selected' if x.n == c.n else ''}' href='#cite-{key}-{x.n}'>[{x.n}]</a>"
        for x in answer.citations)
    meta = [(label(lang, "reference"), c.reference), (label(lang, "section"), c.section),
            (label(lang, "page"), str(c.page) if c.page else ""),
            (label(lang, "date"), c.date), (label(lang, "publisher"), c.publisher)]
    before, after = context
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in meta if v)
    body = (f"<div class='cited' id='cited-{key}-{c.n}' data-n='{c.n}'>"
            f"<h4>[{c.n}] {esc(c.doc_title)}</h4><table class='meta'>{rows}"
            f"<tr><th>id</th><td><code>{esc(c.id)}</code></td></tr></table>"
            # a footnote's context is the paragraph that refers to it (ids "<doc>#fn<label>")
            + "".join(_neighbour(p, lang, "referring" if "#fn" in c.id else "before") for p in before)
            + _translation(c, lang)
            + f"<div class='paragraph'><small>{esc(label(lang, 'cited'))} · {esc(label(lang, 'paragraph'))} "
              f"{c.number}</small><p>{highlight(c)}</p></div>"
            + "".join(_neighbour(p, lang, "after") for p in after) + "</div>")
    return f"<div class='source-pane'>{head}<div class='tabs'>{tabs}</div>{body}</div>"


def _translation(c: Citation, lang: str) -> str:
    """What the answer quoted, when it was a machine translation: shown beside the original it renders."""
    if not c.translated:
        return ""
    return (f"<div class='translation'><small>{esc(label(lang, 'translation'))}</small>"
            f"<p>{esc(' '.join(c.shown))}</p></div>")


def trace_html(answer: Answer) -> str:
    """How the answer came about: the stand-alone query, what search found
    with its scores, who wrote the answer, the check per sentence, timings."""
    lang = answer.lang
    cited = {c.id: c.n for c in answer.citations}
    writer = answer.backend + (f" · {label(lang, 'model')} {answer.model}" if answer.model else "")
    rows = [(label(lang, "question_asked"), answer.question), (label(lang, "query"), answer.query or answer.question),
            (label(lang, "language"), answer.lang), (label(lang, "writer"), f"{answer.mode} ({writer})")]
    if answer.signals:
        rows.append((label(lang, "confidence_signals"), " · ".join(f"{k} {v:g}" for k, v in answer.signals.items())))
    out = ["<div class='trace'><table class='meta'>",
           "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows), "</table>"]
    if answer.retrieved:
        out.append(f"<h5>{esc(label(lang, 'retrieved'))}</h5><ol class='retrieved'>")
        for p in answer.retrieved:
            mark = f" <b>[{cited[p.id]}]</b>" if p.id in cited else ""
            out.append(f"<li><code>{p.score:.3f}</code>{mark} {esc(p.doc_title)} · {esc(p.section or '–')} "
                       f"<small><code>{esc(p.id)}</code></small></li>")
        out.append("</ol>")
    if answer.sentences:
        out.append(f"<h5>{esc(label(lang, 'sentences'))}</h5><table class='sentences'>"
                   f"<tr><th></th><th>[n]</th><th>{esc(label(lang, 'lexical'))}</th>"
                   f"<th>{esc(label(lang, 'semantic'))}</th><th></th></tr>")
        for s in answer.sentences:
            status = label(lang, "kept" if s.supported else "removed") + (f" ({s.note})" if s.note else "")
            out.append(f"<tr><td>{esc(s.text)}</td><td>{esc(','.join(map(str, s.cited)))}</td>"
                       f"<td>{s.lexical:.2f}</td><td>{s.semantic:.2f}</td><td>{esc(status)}</td></tr>")
        out.append("</table>")
    if answer.raw:
        out.append(f"<h5>{esc(label(lang, 'draft'))}</h5><blockquote>{esc(answer.raw)}</blockquote>")
    if answer.timings_ms:
        out.append(f"<h5>{esc(label(lang, 'timings'))}</h5><p>"
                   + " · ".join(f"{esc(k)} {v:g}" for k, v in answer.timings_ms.items()) + "</p>")
    out.append("</div>")
    return "".join(out)
