"""Verify a generated answer against its sources, sentence by sentence.

The model's [n] markers are a claim, not a fact. Each sentence is checked in
code against the paragraph(s) it cites: its content words must be found there
(lexical support, also against the English rendering, for English answers)
or it must be close in meaning (embedding support), and every number it
states must be in the paragraph. A sentence its own paragraph does not back
is re-cited to the context paragraph that does, or left out; markers that
point nowhere are dropped. What remains is renumbered [1], [2], … in order.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.lexical import fold as _fold  # lowercased, without diacritics, as the coverage check reads
from index.sentences import split_sentences
from settings import Tuned

from .messages import LANGS, messages
from .types import Citation, ContextPassage, SentenceSupport

_MARKERS = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# web addresses, e-mail addresses and bare domains: a link is never paraphrased
_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:nl|eu|com|org|net|io|info)\b",
                   re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d{3})*(?:[.,]\d+)?")
_STOP = set("""de het een en of in op van voor met aan te is zijn wordt worden door dat die dit deze ook als
bij naar om over uit tot er niet wel nog maar dan zo hun haar hij zij wij we ze u kan kunnen moet moeten zal
zullen heeft hebben had was waren the a an and or in on of for with to is are be been by that this these those
as at from it its not also but than then so their they we you can could must shall will would has have had was
were which who what when where how there here into about""".split())
STEM = 5  # prefix stems: "leermobiliteit" ~ "leermobiliteitskansen", "museums" ~ "musea" is lost, fine



def _stems(text: str) -> set[str]:
    return {w[:STEM] for w in _WORD.findall(_fold(text)) if w not in _STOP and (len(w) > 2 or w.isdigit())}


def _numbers(text: str) -> set[str]:
    # "40.000", "40,000" and "40000" are one number; "25%" and "25 procent" too
    return {re.sub(r"[.,](?=\d{3}\b)", "", n).replace(",", ".") for n in _NUMBER.findall(text)}


def _links(text: str) -> set[str]:
    return {m.rstrip(".,;:!?").lower().removeprefix("https://").removeprefix("http://").removeprefix("www.")
            for m in _LINK.findall(text)}


def is_refusal(text: str) -> bool:
    """Did the model say the sources do not hold the answer (in either
    language)? Small models vary the wording ("Het staat niet in de bronnen"),
    so the phrase without its first word counts, at the start of a short reply."""
    head = _fold(_MARKERS.sub("", text)).strip()
    if not head:
        return True  # nothing written is no answer
    for lang in LANGS:
        phrase = _fold(messages(lang)["generation"]["refusal"]).rstrip(".")
        core = phrase.split(" ", 1)[1]  # "staat niet in de bronnen", "is not in the sources"
        if core in head[:len(phrase) + 20] and len(head) < 2 * len(phrase) + 20:
            return True
    return False


@dataclass
class Verified:
    text: str
    citations: list[Citation]
    sentences: list[SentenceSupport]
    refused: bool
    removed: int


def split_answer(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """Sentences with the markers they carry. A marker after the full stop
    ("… uur. [1]") belongs to the sentence before it."""
    out: list[tuple[str, list[int]]] = []
    for a, b in split_sentences(text.strip()):
        seg = text.strip()[a:b]
        lead = re.match(r"(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\]\s*[.,;]?)+", seg)
        if lead and out:
            out[-1][1].extend(_marks(lead.group()))
            seg = seg[lead.end():]
        marks = _marks(seg)
        sentence = re.sub(r"\s+([.,;:!?])", r"\1", _MARKERS.sub("", seg)).strip()
        sentence = re.sub(r"^[-*•]\s+", "", sentence)
        if _WORD.search(sentence):
            out.append((sentence, marks))
        elif marks and out:
            out[-1][1].extend(marks)
    return [(s, tuple(dict.fromkeys(m))) for s, m in out]


def _marks(s: str) -> list[int]:
    return [int(n) for group in _MARKERS.findall(s) for n in re.split(r"\s*[,;]\s*", group)]


def verify(text: str, context: list[ContextPassage], support_text: dict[str, str],
           embed: Callable[[list[str]], np.ndarray] | None, para_vecs: dict[str, np.ndarray],
           question: str = "") -> Verified:
    """Check ``text`` (the model's answer) against ``context`` (what it was shown).

    ``support_text`` maps paragraph id → the text a sentence may rest on (the
    paragraph, plus its English rendering); ``embed`` embeds sentences as
    queries; ``para_vecs`` holds the paragraphs' stored vectors. A sentence
    that only repeats the ``question`` ("The target for mbo is the target
    [1].") says nothing and is left out however well its words match."""
    if is_refusal(text):
        return Verified(text, [], [], True, 0)
    by_n = {c.n: c for c in context}
    parts = split_answer(text)
    if not parts:
        return Verified(text, [], [], True, 0)
    lex, sem, nums_ok = _support(parts, context, support_text, embed, para_vecs)

    def backed(i: int, j: int) -> bool:
        return bool(nums_ok[i, j] and (lex[i, j] >= Tuned.LEXICAL_MIN
                                       or (sem[i, j] >= Tuned.SEMANTIC_MIN and lex[i, j] >= Tuned.LEXICAL_WITH_SEMANTIC)))

    asked = _stems(question)
    echo = [not (_stems(sentence) - asked) for sentence, _ in parts]
    index_of = {c.n: j for j, c in enumerate(context)}
    renumber: dict[int, int] = {}  # context n → final n, in order of first citation
    sentences: list[SentenceSupport] = []
    kept: list[str] = []
    removed = 0
    for i, (sentence, marks) in enumerate(parts):
        valid = [n for n in marks if n in by_n]
        notes = ["marker dropped"] if len(valid) < len(marks) else []
        good = [n for n in valid if backed(i, index_of[n])] if not echo[i] else []
        if not good and not echo[i]:
            # the cited paragraph does not back it: does another one shown to the model?
            ranked = sorted(range(len(context)), key=lambda j: -(lex[i, j] + sem[i, j]))
            best = next((j for j in ranked if backed(i, j)), None)
            if best is not None:
                good = [context[best].n]
                notes.append("re-cited" if valid else "cited in code")
        cols = [index_of[n] for n in (good or valid)] or list(range(len(context)))
        j = max(cols, key=lambda j: lex[i, j] + sem[i, j]) if cols else 0
        if good:
            final = tuple(renumber.setdefault(n, len(renumber) + 1) for n in good)
            marks = "".join(f"[{m}]" for m in final)
            # the marker goes inside the sentence: "… 12% [1]."
            kept.append(f"{sentence[:-1]} {marks}{sentence[-1]}" if sentence[-1] in ".!?" else f"{sentence} {marks}")
        else:
            final = ()
            removed += 1
            notes.append("repeats the question" if echo[i] else "unsupported")
        sentences.append(SentenceSupport(sentence, final, round(float(lex[i, j]), 3), round(float(sem[i, j]), 3),
                                         bool(good), ", ".join(notes)))
    if not kept:
        return Verified(text, [], sentences, True, removed)
    return Verified(" ".join(kept), _citations(renumber, by_n, sentences), sentences, False, removed)


def _support(parts, context: list[ContextPassage], support_text: dict[str, str], embed, para_vecs):
    """Per (answer sentence, context paragraph): the share of the sentence's
    words found there, the embedding cosine, and whether its numbers and links are there."""
    vecs = embed([s for s, _ in parts]) if embed is not None and para_vecs else None
    lex = np.zeros((len(parts), len(context)))
    sem = np.zeros((len(parts), len(context)))
    nums_ok = np.zeros((len(parts), len(context)), dtype=bool)
    sources = [support_text.get(c.passage.id, c.passage.text) for c in context]
    source_links = [_links(src) for src in sources]
    for i, (sentence, _) in enumerate(parts):
        words, nums, links = _stems(sentence), _numbers(sentence), _links(sentence)
        for j, (c, src) in enumerate(zip(context, sources)):
            lex[i, j] = len(words & _stems(src)) / max(1, len(words))
            # a number or a link the paragraph does not hold is never backed
            # (an address pointing readers elsewhere is the usual injected payload)
            nums_ok[i, j] = nums <= _numbers(src) and links <= source_links[j]
            if vecs is not None and c.passage.id in para_vecs:
                sem[i, j] = float(np.dot(vecs[i], para_vecs[c.passage.id]))
    return lex, sem, nums_ok


def _citations(renumber: dict[int, int], by_n: dict[int, ContextPassage],
               sentences: list[SentenceSupport]) -> list[Citation]:
    """One citation per paragraph the kept sentences cite, in their new order."""
    citations = []
    for n, final in sorted(renumber.items(), key=lambda x: x[1]):
        c = by_n[n]
        claims = [s.text for s in sentences if final in s.cited]
        citations.append(Citation.of(c.passage, final, _spans(c.passage.text, claims, c.spans)))
    return citations


def _spans(text: str, claims: list[str], shown: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """The sentences of the paragraph that back the claims, for highlighting;
    where words do not match (an English claim, a Dutch paragraph) the part
    the model was shown."""
    sents = split_sentences(text)
    chosen = set()
    for claim in claims:
        words = _stems(claim)
        best = max(sents, key=lambda s: len(words & _stems(text[s[0]:s[1]])), default=None)
        if best is not None and len(words & _stems(text[best[0]:best[1]])) >= max(2, len(words) // 3):
            chosen.add(best)
    if not chosen and len(shown) < len(sents):
        chosen = set(shown)
    return tuple(sorted(chosen))
