"""Make a typed or pasted question safe to search with, or say why it is not a question.

Pasted text carries invisible characters (zero-width spaces, direction
marks, terminal colour codes), fullwidth letters and stray line breaks;
binary data pasted or piped by mistake is mostly control characters. The
tokenizer refuses lone surrogates outright. None of this is the user's
meaning, so it is removed before language detection and retrieval; input
that is mostly such characters, or has no word left, gets a message instead
of an answer made from whatever the search happens to find.
"""
from __future__ import annotations

import re
import unicodedata

# Cc control, Cs surrogate, Co private use, Cn unassigned: never part of a question
_JUNK = {"Cc", "Cs", "Co", "Cn"}
_KEEP = {"\t", "\n", "\r"}
MAX_JUNK_SHARE = 0.1  # above this the input is data, not a question with a stray character
_WORD = re.compile(r"[^\W\d_]{2,}")


class NotAQuestion(ValueError):
    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def tidy(text: str) -> str:
    """``text`` without junk and format characters, NFKC, whitespace collapsed
    (for text that is not checked, such as earlier turns of a conversation).
    Cf, format characters (zero-width, bidirectional), go too: they hide or reorder text."""
    kept = "".join(c for c in text if c in _KEEP or unicodedata.category(c) not in _JUNK | {"Cf"})
    return " ".join(unicodedata.normalize("NFKC", kept).split())


def clean(question: str) -> str:
    """The question without invisible and control characters, in NFKC form,
    whitespace runs collapsed. Raises ``NotAQuestion("not_text")`` for
    binary-looking input and ``NotAQuestion("no_words")`` when no word is left."""
    junk = sum(1 for c in question if c not in _KEEP and unicodedata.category(c) in _JUNK)
    if junk > MAX_JUNK_SHARE * len(question):
        raise NotAQuestion("not_text")
    text = tidy(question)
    if not _WORD.search(text):
        raise NotAQuestion("no_words")
    return text
