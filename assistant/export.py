"""An answer as Markdown, ready to paste into a memo: the text with its
markers, the AI label, and every cited paragraph with document, official
reference, section, citation id and the cited sentences quoted."""
from __future__ import annotations

from .messages import text as msg
from .types import Answer


def to_markdown(answer: Answer) -> str:
    lines = [answer.text.strip(), "", f"*{answer.label}*"]
    for note in answer.notes:
        lines += ["", f"> {note}"]
    if answer.citations:
        lines += ["", f"**{msg(answer.lang, 'sources_heading')}**", ""]
        for c in answer.citations:
            ref = f", {c.reference}" if c.reference else ""
            section = f" — {msg(answer.lang, 'section')}: {c.section}" if c.section else ""
            section += f", p. {c.page}" if c.page else ""
            quoted = " … ".join(c.text[a:b] for a, b in c.spans) if c.spans else c.text
            lines.append(f"[{c.n}] {c.doc_title}{ref}{section} (`{c.id}`)")
            lines.append(f"    > “{' '.join(quoted.split())}”")
    return "\n".join(lines).strip() + "\n"
