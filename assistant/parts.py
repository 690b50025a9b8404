"""Two-part questions: "Welk streefcijfer geldt voor het mbo en hoeveel geld
trekt de Commissie uit voor musea?" asks two things. With one part the sources
lack, the whole question was refused, the part they answer too. When the
whole is refused, each part is answered on its own and the answers joined:
the sentences of the part they answer, and a line for the part they lack."""
from __future__ import annotations

import re
from dataclasses import replace

from index.lexical import STOPWORDS
from settings import Tuned

from .condense import points_back
from .compose import answer_type, choose, write
from .messages import text as msg

# a clause joined by "en"/"and" that opens with a question word of its own
_JOIN = re.compile(r",?\s+(?:en|and)\s+(?=(?:wanneer|welk|welke|hoeveel|wat|wie|waar|hoe|waarom|wordt|worden|is|zijn|"
                   r"when|what|which|how|who|where|why|is|are|does|do|did|was|were|will)\b)", re.I)
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_WORDS = 3  # each side: "Wanneer en waar werden …" is one question about two facts of one thing


def leans_on_first(part: str) -> bool:
    """Does a second part point back to the first ("Which report recommended this?")?
    Then it is searched as a follow-up of the first."""
    return points_back(part)


def asks_apart(question: str, speakers=()) -> bool:
    """Do the parts ask for different kinds of answer ("What were the targets …,
    and is the cabinet satisfied?": a figure, then a view), or the same of two
    subjects (``by_speaker``)? Then the whole question, answered as one, keeps
    only the figure's sentences, or one subject's."""
    return len({answer_type(p) for p in split(question)}) > 1 or bool(by_speaker(question, speakers))


# two subjects of one question, one of them a publisher ("Wat vragen zowel NEMO als de Nederlandse regering …?",
# "What do NEMO and the Dutch government propose …?"); the other is an article, capitalised words and a noun
_OTHER = r"(?:(?:de|het|the)\s+)?(?:(?-i:[A-Z])[\w'’-]*\s*)*(?:(?<=\s)[a-z][\w-]*)?"
_NOT_HEAD = {"propose", "proposes", "want", "wants", "think", "thinks", "say", "says", "ask", "asks", "recommend",
             "recommends", "suggest", "suggests", "call", "calls", "vragen", "zeggen", "vinden", "willen", "stellen",
             "doen", "bevelen", "adviseren", "noemen"}


def _subject(text: str) -> str:
    """The noun phrase ``text`` opens with: its article, capitalised words and one noun ("de Nederlandse
    regering", "the Dutch government", "ICOM"), not a function word or verb after them."""
    words = text.split()
    out = []
    for i, word in enumerate(words):
        w = word.rstrip("?!.,;:")
        if w != word:  # the question ends with it
            if w[:1].isupper() or (out and out[0].lower() in ("de", "het", "the")):
                out.append(w)
            break
        if i == 0 and w.lower() in ("de", "het", "the"):
            out.append(w)
        elif w[:1].isupper():
            out.append(w)
        else:
            if w.lower() not in _NOT_HEAD and w.lower() not in STOPWORDS["nl"] | STOPWORDS["en"] and (
                    out and out[0].lower() in ("de", "het", "the")):
                out.append(w)
            break
    return " ".join(out)


def by_speaker(question: str, speakers=()) -> list[str]:
    """The question once per subject, when it asks the same of a publisher (``speakers``: short names) and of
    another ("… zowel NEMO als de Nederlandse regering …"): each is answered from its own words, where the
    publisher's name alone drew the paragraph that names it (its organisers), not what it asks; [] otherwise."""
    if not Tuned.BY_SPEAKER:
        return []
    for name in speakers:
        n = re.escape(name)
        m = re.search(rf"\b(?:zowel\s+|both\s+)?{n}\s+(?:als|en|and)\s+", question)
        if m:  # NEMO first: the other follows
            other = _subject(question[m.end():])
            rest = question[m.end() + len(other):]
        else:  # ... or comes first
            m = re.search(rf"\s(?:als|en|and)\s+{n}\b", question)
            if not m:
                continue
            words = question[:m.start()].split()
            other = next((" ".join(words[i:]) for i in range(max(0, len(words) - 4), len(words))
                          if _subject(" ".join(words[i:])) == " ".join(words[i:])), "")
            rest = question[m.end():]
            m = (re.search(rf"(?:zowel\s+|both\s+)?{re.escape(other)}\s+(?:als|en|and)\s+{n}\b", question)
                 if other else None)
        if not m or not other or other.lower() in ("de", "het", "the") or re.match(
                r"(?i)(?:wat|what|welke|which|hoe|how)\b", other):
            continue
        head = question[:m.start()]
        return [f"{head}{name}{rest}", f"{head}{other}{rest}"]
    return []


def split(question: str, speakers=()) -> list[str]:
    """The question's parts, each a question ending in "?"; one part when it has no second clause
    (nor two subjects, one of them a publisher: ``by_speaker``)."""
    m = _JOIN.search(question)
    if not m:
        return by_speaker(question, speakers) or [question]
    left, right = question[:m.start()].strip(), question[m.end():].strip()
    if len(_WORD.findall(left)) < MIN_WORDS or len(_WORD.findall(right)) < MIN_WORDS:
        return [question]
    left = left.rstrip("?,;: ") + "?"
    right = right[:1].upper() + right[1:].rstrip("?") + "?"
    return [left, right]


def merged(whole, finds: list):
    """One ``Found`` for the question from its parts' searches: their paragraphs
    taken in turn (each part's best first), their sentences by score."""
    passages, seen = [], set()
    for rank in range(max(len(f.passages) for f in finds)):
        for f in finds:
            if rank < len(f.passages) and f.passages[rank].id not in seen:
                seen.add(f.passages[rank].id)
                passages.append(f.passages[rank])
    hits = {(h.para_id, h.start): h for f in finds for h in f.hits}
    hits = sorted(hits.values(), key=lambda h: -h.score)
    withheld = sorted({w for f in finds for w in f.withheld} | set(whole.withheld))
    return replace(whole, passages=passages, hits=hits, withheld=withheld, ended=max(f.ended for f in finds))


def answer(pieces: list[str], finds: list, lang: str, min_score, max_citations: int, render, cover):
    """The quotes answer of a two-part question: the sentences each part
    chose, quoted together, and a line for each part the sources do not
    answer; None when they answer no part (the whole question is then
    answered, or refused, as one)."""
    chosen, known, lacking = {}, {}, []
    for part, f in zip(pieces, finds):
        # a paragraph fewer per part, so that both together stay near one answer's limit
        picked, _, seen = choose(part, f.passages, f.hits, min_score(f.lang), max_citations=max(1, max_citations - 1),
                                  render=render)
        known |= seen
        if picked and not cover(write(lang, seen, picked, render, part), part).refused:
            for pid, hits in picked.items():
                have = chosen.setdefault(pid, [])
                have += [h for h in hits if all(h.start != x.start for x in have)]
        else:
            lacking.append(part)
    if not chosen:
        return None
    composed = write(lang, known, chosen, render)
    if not lacking:
        return composed
    note = "\n".join(msg(lang, "part_missing", part=p) for p in lacking)
    return replace(composed, text=f"{composed.text}\n\n{note}", lacking=tuple(lacking))
