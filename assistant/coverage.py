"""Refusal by coverage: is every restricting term of the question backed by
what the answer would quote?

A near-miss question ("Welk streefcijfer geldt voor het voortgezet
onderwijs?") retrieves the right topic with a high score — the sources give
targets, for mbo and higher education — so no score threshold refuses it. What
gives it away is a term the question restricts by (the school type, an
organisation, a year) that the chosen sentences, their headings and section
path do not hold. A term counts as backed by its stem, a compound part
("mobiliteit" in "leermobiliteit") or a listed abbreviation ("mbo").

Only terms that can be judged refuse: a name, an acronym or a number (what a
source that says nothing of it never writes), or a word the corpus uses
elsewhere (the sources speak of it, just not here). A word the corpus never
uses may be a synonym of what the sources write; the semantic signals judged
that already, so it does not refuse on its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.lexical import STOPWORDS, fold, stemmer
from settings import Tuned

from .condense import narrows
from .messages import LEXICON_DIR, language_file

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
MIN_PART = 5  # shortest compound part that counts ("mobil" is too short to mean anything alone)


@dataclass(frozen=True)
class Term:
    word: str  # as written in the question
    kind: str = "word"  # "number" | "name" (acronym, capitalised) | "restrictor" (lexicon) | "word"


@lru_cache(maxsize=2)
def lexicon(lang: str) -> dict:
    data = language_file(LEXICON_DIR, lang)
    # longest first, so "in werking treedt" goes before "in werking"
    asking = sorted(data.get("asking_phrases", []), key=len, reverse=True)
    markers, ends = data.get("topic_markers", []), data.get("topic_ends", [])
    topic = (re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, markers)) + r")\s+(.+?)(?=[?!.,;:]|\b(?:"
                        + "|".join(map(re.escape, ends)) + r")\b|$)", re.I) if markers and ends else None)
    return {"generic": set(data.get("generic", [])), "abbreviations": data.get("abbreviations", {}),
            "restrictors": set(data.get("restrictors", [])), "topic": topic,
            "nationalities": data.get("nationalities", {}),
            "ordinals": list(data.get("ordinals", {})),
            "asking": re.compile(r"\b(?:" + "|".join(map(re.escape, asking)) + r")\b", re.I) if asking else None}


def _possessive(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


def terms(question: str, lang: str) -> list[Term]:
    """The question's restricting terms: not its function or question words.
    A hyphenated word counts part by part ("EU-streefcijfer", "data-driven")."""
    lex = lexicon(lang)
    # both languages' function words: a Dutch question may carry English ones ("… ' OR '1'='1'")
    stop = STOPWORDS["nl"] | STOPWORDS["en"] | lex["generic"]
    if lex["asking"] is not None:  # "take effect" asks when; its "effect" restricts nothing
        question = lex["asking"].sub(" ", question)
    out: list[Term] = []
    for i, raw in enumerate(_WORD.findall(question)):
        for w in _possessive(raw.strip("'’-")).split("-"):
            if not w or w.lower() in stop:
                continue
            if w.isdigit():
                if len(w) >= 2:  # "1" is a list position or noise; years, shares and amounts have two digits or more
                    out.append(Term(w, "number"))
                continue
            acronym = len(w) >= 2 and w.isupper()
            capital = i > 0 and w[:1].isupper()  # capitalised inside the question (not its first word): a name
            if acronym or capital:
                out.append(Term(w, "name"))
            elif len(w) >= 3:
                out.append(Term(w, "restrictor" if w.lower() in lex["restrictors"] else "word"))
    return list({t.word.lower(): t for t in out}.values())


_MONTH_NO = {m: i % 12 for i, m in enumerate(
    "januari februari maart april mei juni juli augustus september oktober november december "
    "january february march april may june july august september october november december".split())}
MONTHS = "|".join(_MONTH_NO)  # the month names of either language, for a regular expression (compose reads it too)
# "13 en 14 mei" is two days; "May 13" is the English order
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:\s*(?:en|and|tot|to|–|-)\s*(\d{{1,2}}))?\s+({MONTHS})\b|\b({MONTHS})\s+(\d{{1,2}})\b(?!\d)",
                        re.I)


def days(text: str) -> set[tuple[int, int]]:
    """The days (day, month) a text names, in either language's order and spelling."""
    out = set()
    for a, b, m, m2, d2 in _DAY_MONTH.findall(text):
        if m:
            out |= {(int(x), _MONTH_NO[m.lower()]) for x in (a, b) if x}
        else:
            out.add((int(d2), _MONTH_NO[m2.lower()]))
    return out


class Text:
    """The texts an answer rests on, lowercased, split and stemmed once for all terms."""

    def __init__(self, texts: list[str], lang: str):
        self.low = "\n".join(texts).lower()
        words = _WORD.findall(self.low)
        if Tuned.FOLD_DIACRITICS:  # the same words without their diacritics, for a question typed without
            self.folded = fold(self.low)
            words += [f for w in words if (f := fold(w)) != w]
        else:
            self.folded = self.low
        self.whole = set(words)  # as written: a hyphenated word is one ("OJCS-Raad")
        self.words = words + [part for w in words if "-" in w for part in w.split("-") if part]  # "mbo-studenten"
        self.stems = set(stemmer(lang).stemWords(self.words)) | set(self.words)
        # a name as the source spaces or hyphenates it: "Chat GPT", "Chat-GPT" back "ChatGPT"
        self.joined = {w.replace("-", "") for w in words}
        self.joined |= {"".join(words[i:i + n]).replace("-", "") for n in (2, 3) for i in range(len(words) - n + 1)}


# a country's or region's adjective: "België" → "Belgische" / "Belgian", "Europa" → "Europese"
_DERIVED = ("s", "se", "sche", "ische", "isch", "ese", "ean", "an", "ian")


def name_forms(name: str) -> list[str]:
    """The adjectives a name's text may use instead ("Belgische voorzitterschap" for "België"):
    the name, less a final vowel, with a derivational ending. Names of 5 letters or more only."""
    w = name.lower()
    if len(w) < 5 or not w.isalpha():
        return []
    base = w[:-2] if w.endswith("um") else w[:-1] if w[-1] in "aeëioy" else w  # Belgium → Belgian
    # ... and an adjective's bare form: "Belgische voorzitterschap" is "Het Belgisch voorzitterschap"
    bare = [base] if w.endswith("e") and base != w and len(base) >= 5 else []
    return bare + [base + end for end in _DERIVED if base + end != w]


def backed(term: Term, text: Text, lang: str) -> bool:
    """Is ``term`` found in ``text`` by stem, compound part or abbreviation?"""
    w = term.word.lower()
    if Tuned.FOLD_DIACRITICS and fold(w) != w:  # as the text's folded words are: "mobiliteitsstrategieën"
        w = fold(w)
    if term.kind in ("number", "name"):  # names and numbers as written (case aside)
        if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text.folded):
            return True
        if term.kind == "name" and len(w) >= 4 and w.replace("-", "") in text.joined:
            return True
        if term.kind == "name" and any(f in text.joined for f in name_forms(w)):
            return True
        if term.kind == "name" and Tuned.NAME_PARTS and _parts_apart(w, text):
            return True
    else:
        stem = stemmer(lang).stemWord(w)
        forms = {w, stem, w[:6]}
        if forms & text.stems or any(x.startswith(f) for f in forms if len(f) >= 6 for x in text.words):
            return True
        # compound parts: the term inside a word of the text, or a word of the text inside the term
        if len(stem) >= MIN_PART and any(stem in x for x in text.words):
            return True
        # (not for a restrictor: "onderwijs" in the text does not back "basisonderwijs")
        if term.kind != "restrictor" and any(len(x) >= MIN_PART + 2 and x in w for x in text.words):
            return True
    return any(_written(full.lower(), text.low) for full in lexicon(lang)["abbreviations"].get(w, []))


def _parts_apart(name: str, text: Text) -> bool:
    """Does ``text`` hold a compound name's two parts apart: the head as a word of its own, the first
    part at the start of a word ("onderwijsraad": "Raad" and "onderwijsdeel")? A hyphenated name's
    last part is not the head written apart: "OJCS-Raad" is a name of its own."""
    if not name.isalpha():
        return False
    words = text.whole
    return any(name[i:] in words and any(x.startswith(name[:i]) for x in words if x != name[i:])
               for i in range(4, len(name) - 3))


def _written(form: str, low: str) -> bool:
    """``form`` in ``low``; a form of three letters or fewer as a whole word ("po" in "het PO en VO",
    not in "positief")."""
    if len(form) > 3:
        return form in low
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", low) is not None


# a name of several words: Title-case words or acronyms in a row, inside the question, no punctuation
# between ("the Digital Services Act"); not Dutch compounds that start with an acronym ("AI-systemen")
_NAME_WORD = r"(?:[A-Z][a-z]+|[A-Z]{2,})"
_NAME_RUN = re.compile(rf"(?<=\s){_NAME_WORD}(?:\s+{_NAME_WORD})+(?![\w-])")


def names_of_words(question: str) -> list[str]:
    """The question's names of several words ("Digital Services Act", "European AI Act")."""
    return [m.group(0) for m in _NAME_RUN.finditer(question)]


def topic_terms(question: str, lang: str) -> list[Term]:
    """The terms of what the question is about, after a topic marker and up
    to the next preposition: "… standpunt over het lerarentekort tijdens het
    lunchdebat?" → lerarentekort."""
    pattern = lexicon(lang)["topic"]
    found = pattern.search(question) if pattern is not None else None
    if not found:
        return []
    kinds = {t.word.lower(): t for t in terms(question, lang)}  # "about ChatGPT": a name, as in the question
    topic = [kinds.get(t.word.lower(), t) for t in terms(found.group(1), lang)]
    # an item pointed at ("about the third one", "over het eerste stuk") is no topic
    ordinals = {w.lower() for w in lexicon(lang)["ordinals"]}
    return [] if any(t.word.lower() in ordinals for t in topic) else topic


def _forms(word: str) -> list[str]:
    """``word`` and the other forms either lexicon lists for it ("Act": "regulation", "verordening")."""
    return [word] + [f for lang in ("nl", "en") for f in lexicon(lang)["abbreviations"].get(word.lower(), [])]


def _narrowed(question: str, lang: str, generic: bool = False) -> list[tuple[str, str, list[str]]]:
    """(nationality, the noun it narrows, the forms that back it) for each nationality of the lexicon
    that stands before a noun in ``question`` ("Dutch museums", "Vlaamse musea") and, with
    ``Tuned.COUNTRY_AFTER``, each country after its noun ("museums in the Netherlands"). ``generic``:
    a noun too common to restrict on its own counts too ("the Belgian minister")."""
    table = {k.lower(): v for k, v in lexicon(lang)["nationalities"].items()}
    skip = STOPWORDS[lang] | (set() if generic else lexicon(lang)["generic"])
    out = []
    for m in re.finditer(r"\b(\w+)\s+([a-zà-ÿ][\w-]*)", question):
        word, noun = m.group(1).lower(), m.group(2).lower()
        if word in table and noun not in skip:
            out.append((word, noun, table[word]))
    if Tuned.COUNTRY_AFTER:
        countries = {f: forms for forms in table.values() for f in forms}
        for m in re.finditer(r"\b([a-zà-ÿ][\w'-]*)\s+(?:in|uit|from)\s+(?:the\s+)?([A-Z][\w-]+)", question):
            noun, country = m.group(1).lower(), m.group(2).lower()
            if country in countries and noun not in skip:
                out.append((country, noun, countries[country]))
    return out


def _narrowing(question: str, lang: str) -> dict[str, list[str]]:
    """The nationalities that narrow a noun in ``question`` (``_narrowed``), with the forms that back
    each ("the Dutch position" is backed by its heading, *Nederlandse inzet*); for the holder of an office,
    the office too ("Wie is de Belgische minister van Cultuur?": the letter's signature names a Dutch one)."""
    person = Tuned.PERSON_NAMED and asks_person(question)
    return {word: forms for word, _, forms in _narrowed(question, lang, generic=person)}


@lru_cache(maxsize=1)
def _person_q() -> re.Pattern:
    posts = sorted({w for lang in ("nl", "en") for w in language_file(LEXICON_DIR, lang).get("posts", [])},
                   key=len, reverse=True)
    return re.compile(r"^\W*(?:(?:en|and|but|maar)\s+)?(?:wie|who)\s+(?:is|was|zijn|waren|are|were)\s+(?:de|het|the)\s+"
                      r"(?:[\w-]+\s+){0,2}?(?P<post>" + "|".join(map(re.escape, posts)) + r")\b", re.I)


def asked_post(question: str) -> str:
    """The office whose holder a question asks ("staatssecretaris", "state secretary"), or ""."""
    m = _person_q().search(question)
    return m.group("post").lower() if m else ""


def asks_person(question: str) -> bool:
    """"Wie is de Belgische minister van Cultuur?", "Who is the contact person for the press?": the holder
    of an office (lexicon 'posts'), whose answer names a person, not the office or the organisation."""
    return bool(asked_post(question))


def apart_from_noun(question: str, lang: str, citations, renderings=None) -> list[str]:
    """The nationalities of ``question`` that no quoted sentence holding the noun they narrow holds, in
    the sentence or its section path, where one quoted sentence holds the noun and another the
    nationality: "Who is the
    Belgian minister of education?" had quoted the Belgian presidency's note and, apart from it, the
    letter's opening on the Dutch Minister for Primary and Secondary Education."""
    from index.faithful import part

    out = []
    for word, noun, forms in _narrowed(question, lang, generic=True):
        holding, named = [], False
        for c in citations:
            whole = renderings(c.text) if renderings is not None else None
            for i, (a, b) in enumerate(c.spans):
                said = [c.text[a:b], c.shown[i] if i < len(c.shown) else "", part(c.text, (a, b), whole) or ""]
                named = named or any(f in t.lower() for t in said for f in forms)
                if backed(Term(noun), Text(said, lang), lang):
                    holding.append("\n".join(said + [c.section]).lower())
        # judged only where a quote names the nationality for something else: the letter's signature ("De
        # Minister van Onderwijs, Cultuur en Wetenschap") answers "Welke Nederlandse minister ondertekende de brief?"
        if named and holding and not any(f in h for h in holding for f in forms):
            asked = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", question, re.I)
            out.append(asked.group() if asked else word)  # as the asker wrote it: "Belgian"
    return out


# "Which museums …", "Welke musea …": the noun whose instances the question asks for
_WHICH_NOUN = re.compile(r"^\W*(?:which|welke)\s+([A-Za-zÀ-ÿ-]{4,})", re.I)


def which_apart(question: str, lang: str, citations, renderings=None) -> list[str]:
    """The noun a "which …" question asks instances of, where no cited paragraph (as written, shown or
    rendered, with its section path) holds it beside every name the question gives: "Which museums took
    part in the DEN survey?" quoted DEN's survey, and museums only from the press release."""
    m = _WHICH_NOUN.match(question)
    # (an organisation's short name: a nationality, a country or "the presidency" has too many ways of being said)
    names = [t for t in terms(question, lang) if t.kind == "name" and len(t.word) >= 3 and t.word.isupper()]
    if not m or not names:
        return []
    noun = Term(m.group(1))
    for c in citations:
        said = [c.text, *c.shown, c.section] + ([renderings(c.text) or ""] if renderings is not None else [])
        # (a document's publisher and title name it throughout: NEMO's press release is NEMO's recommendations)
        whole = Text(said + [c.publisher, c.doc_title], lang)
        if backed(noun, Text(said, lang), lang) and all(backed(t, whole, lang) for t in names):
            return []
    # (judged only where some quote holds the noun: a noun the quotes never use is coverage's to refuse)
    held = any(backed(noun, Text([c.text, *c.shown] + ([renderings(c.text) or ""] if renderings is not None
                                                        else []), lang), lang) for c in citations)
    return [m.group(1)] if held else []


def uncovered(question: str, lang: str, texts: list[str], knows=None, together=None) -> list[str]:
    """The restricting terms of ``question`` that ``texts`` (the cited
    paragraphs with their headings, in every language they are shown in) do
    not back. ``knows(word)``: does the corpus use the word anywhere;
    ``together(groups)``: does one paragraph use a word of every group.

    - A number, or a restrictor from the lexicon (a school type, a measure,
      money), refuses whenever it is not backed: "voortgezet onderwijs" where
      the sources give targets for mbo and higher education only.
    - A name or acronym refuses when the corpus never uses it at all: an
      organisation or a country the sources do not involve (UNESCO,
      Duitsland, Google). One the corpus uses elsewhere (NEMO, the Council)
      was only written differently here. A name of several words refuses the
      same way when no paragraph uses all its words (the Digital Services Act,
      whose words the sources use apart).
    - Any other word does not refuse: measured on the dev split, unbacked
      plain words were mostly verbs and synonyms (false refusal 0.38)."""
    text = Text(texts, lang)
    # a name of several words whose every word the corpus uses is still another name when no paragraph
    # uses them all ("What does the letter say about the Digital Services Act?" was answered with
    # sentences on digital transformation and the AI Act)
    missing = [n for n in names_of_words(question) if together is not None
               and not together([_forms(w) for w in n.split()])]
    inside = {w.lower() for n in missing for w in n.split()}  # named once, as the whole name
    narrowing = _narrowing(question, lang) if Tuned.NATIONALITY else {}
    # a day asked ("op 3 juni") is backed by that day, not by its number elsewhere
    if Tuned.DATE_HELD:
        held = days(text.low)
        missing += [m.group() for m in _DAY_MONTH.finditer(question) if not days(m.group()) <= held]
    for t in terms(question, lang):
        if t.word.lower() in narrowing:  # "Dutch museums": the museums asked are Dutch ones
            if not any(f in text.low for f in narrowing[t.word.lower()]):
                missing.append(t.word)
            continue
        if t.kind == "word" or t.word.lower() in inside or backed(t, text, lang):
            continue
        if t.kind in ("number", "restrictor") or (knows is not None and not knows(t.word)
                                                   and not any(knows(f) for f in name_forms(t.word))):
            missing.append(t.word)
    # the topic asked about, when the answer backs none of its terms and the sources use one of them
    # elsewhere, is something the sources speak of, but not here: "Wat is het Nederlandse standpunt over het
    # lerarentekort …?" quoted the Dutch position on learning mobility. A topic the corpus never names
    # ("surveillance bij examens", where the letter writes "monitoren … tijdens toetsen") may be a synonym
    topic = topic_terms(question, lang) if Tuned.TOPIC_BACKED and knows is not None else []
    if topic and not any(backed(t, text, lang) for t in topic) and any(knows(t.word) for t in topic):
        missing += [t.word for t in topic if t.word not in missing and t.word.lower() not in inside]
    # a day's number is named with its day ("‘20 maart’", not also "‘20’")
    dated = {w for m in missing for w in m.split() if " " in m}
    return [m for m in missing if m not in dated]


def holders(question: str, lang: str) -> list[Term]:
    """The names of whoever the question asks the view of ("Wat vindt de Tweede Kamer van …?", "What does
    Belgium propose …?"), by the lexicon's holder patterns: unbacked by the answer, another's view was
    quoted for theirs."""
    patterns = [p for lg in ("nl", "en") for p in language_file(LEXICON_DIR, lg).get("holder_patterns", [])]
    out = []
    for t in terms(question, lang):
        if t.kind != "name":
            continue
        # the name may be the last word of several, after an article: "de Tweede Kamer", "the European Parliament"
        name = rf"(?:(?:de|het|the)\s+)?(?:(?-i:[A-Z][\w-]*)\s+){{0,2}}{re.escape(t.word)}"
        if any(re.search(p.replace("{name}", name), question, re.I) for p in patterns):
            out.append(t)
    return out


def unheld(question: str, lang: str, texts: list[str]) -> list[str]:
    """The view holders of ``question`` (``holders``) that ``texts`` do not name."""
    text = Text(texts, lang)
    # a nationality is backed by its country in either language ("Dutch": "Nederland ondersteunt …")
    forms = {k: v for lg in ("nl", "en") for k, v in lexicon(lg)["nationalities"].items()}
    return [t.word for t in holders(question, lang)
            if not backed(t, text, lang) and not any(f in text.low for f in forms.get(t.word.lower(), ()))]


def texts_of(citations, headings=None, renderings=None) -> list[str]:
    """What the answer rests on: each cited paragraph as the source writes it
    and as shown, with its section path and document title, and, through
    ``headings`` / ``renderings``, their text in the asker's language."""
    out = []
    for c in citations:
        out += [c.text, *c.shown, c.section, c.doc_title, c.cited_by]
        if renderings is not None:
            out += [renderings(c.text) or "", renderings(c.cited_by) or "" if c.cited_by else ""]
        if headings is not None:
            out += [headings(h) or "" for h in c.section.split(" > ") if h]
    return out


def topic_held(question: str, lang: str, texts: list[str]) -> bool:
    """Do ``texts`` back every term of the question's topic (``topic_terms``)?"""
    topic = topic_terms(question, lang)
    text = Text(texts, lang)
    return bool(topic) and all(backed(t, text, lang) for t in topic)


def named_only_in(question: str, passages, demoted) -> set[str]:
    """Ids of the demoted blocks (a press contact, a signature) that alone hold a name the
    question asks about: "Who is Rebecca Thonander?" is asked of the contact block, while
    "What does NEMO recommend?" is not (the publisher's own name, and in other paragraphs too)."""
    passages = list(passages)
    # a publisher's name is in its own contact and header blocks by nature: asking about NEMO
    # is not asking for NEMO's press contact (the release's other paragraphs seldom name it)
    publishers = " ".join(p.publisher for p in passages).lower()
    names = {t.word.lower() for lang in ("nl", "en") for t in terms(question, lang)
             if t.kind == "name" and len(t.word) >= 4 and t.word.lower() not in publishers}
    out: set[str] = set()
    for name in names:
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I)
        holding = [p for p in passages if pattern.search(p.text)]
        if holding and all(p.role in demoted for p in holding):
            out |= {p.id for p in holding}
    return out


_PERIOD = re.compile(r"\b(?:19|20)\d{2}\s*[–-]\s*(?:19|20)?\d{2}\b")
_DURATION_Q = re.compile(r"\b(loopt|lopen|liep|duurt|duren|looptijd|periode|tijdvak|run|runs|ran|last|lasts|period|"
                         r"span|cover|covers)\b", re.I)


def dated_apart(question: str, lang: str, citations, share=None, renderings=None) -> list[str]:
    """For a "when" question: its uncommon terms (``share(word)``: the share of
    paragraphs using it, below ``Tuned.SPECIFIC_SHARE``) when none of them sits in a
    quoted sentence that holds a date, else nothing. "Wanneer treedt de
    AI-verordening volledig in werking?" found dates beside "AI" only (in half the
    paragraphs): the publication of guidelines in 2022, an action plan for 2021–2027.
    Quotes without any date (the selecting model's pick) give no date either.
    A question whose terms are all common, or unknown to the corpus (a synonym),
    is not judged."""
    from settings import Tuned

    from .compose import answer_type, has_time

    # a document's header card answers for the document's own date ("When was the press release
    # published?"): it is quoted first only when asked for by cue, and its words are not the question's
    if share is None or answer_type(question) != "time" or (citations and citations[0].id.endswith("#header")):
        return []
    specific = [t for t in terms(question, lang) if (s := share(t.word)) is not None and s < Tuned.SPECIFIC_SHARE]
    if not specific:
        return []
    from index.faithful import part

    def read(c, i: int, a: int, b: int) -> tuple[str, ...]:
        # the sentence, as shown, and its part of the paragraph's rendering even where that is not shown
        # (a name or number lost): its words still say what the date is about, in the asker's language
        whole = renderings(c.text) if renderings is not None else None
        return c.text[a:b], c.shown[i] if i < len(c.shown) else "", part(c.text, (a, b), whole) or ""

    # a span of years says how long something runs, not when something happens: "… de tussentijdse evaluatie
    # van het EU-Actieplan digitaal onderwijs 2021–2027" gives no date for the evaluation ("Wanneer loopt het
    # Erasmus+ programma?" asks for the span)
    spans = Tuned.PERIOD_NOT_DATE and not _DURATION_Q.search(question)

    def timed(t: str) -> bool:
        return has_time(_PERIOD.sub(" ", t) if spans else t)

    texts = [t for c in citations for i, (a, b) in enumerate(c.spans) for t in read(c, i, a, b) if timed(t)]
    if Tuned.HEADING_DATE:
        # a quote dated by the day's heading it sits under (compose.heading_date) is dated for what the
        # item beneath that day names ("Raadsconclusies over … evidence-informed beleid"), or, directly
        # under the day, for what the quote names itself
        from .compose import _asked_words, dated_item

        words = _asked_words(question)
        shown = (lambda h: renderings(h) or "") if renderings is not None else None  # noqa: E731
        for c in citations:
            quoted = [t for i, (a, b) in enumerate(c.spans) for t in read(c, i, a, b)]
            dated = dated_item(c.section, quoted, words, shown)
            if dated is not None:
                item = dated[1]
                texts += item + [shown(h) for h in item] if shown is not None and item else item or quoted
    dated = Text(texts, lang)
    return [] if any(backed(t, dated, lang) for t in specific) else [t.word for t in specific]


def _day_headed(question: str, citations) -> bool:
    """Is a "when" question's quote dated by the heading it sits under (compose.heading_date)? "When is
    the lunch debate on the teacher shortage?" is answered by the day the agenda line "- Lerarentekort
    (lunchdebat)" sits under, though the line only names what is asked."""
    from .compose import _asked_words, answer_type, heading_date

    if not (Tuned.HEADING_DATE and answer_type(question) == "time"):
        return False
    words = _asked_words(question)
    return any(heading_date(c.section, [c.text[a:b] for a, b in c.spans] + list(c.shown), words) for c in citations)


def only_named(question: str, lang: str, citations) -> bool:
    """Do the quotes, as shown, only name what is asked, with no word of their own? "What was decided
    about the teacher shortage at the lunch debate?" was answered with the agenda line "- Teacher shortage
    (lunch debate)": the sources name the topic and say nothing of it. A quote shown in the other
    language is not judged (its words are never the question's)."""
    stop = STOPWORDS["nl"] | STOPWORDS["en"] | lexicon(lang)["generic"]
    asked = Text([question], lang)
    quoted = [c.shown or tuple(c.text[a:b] for a, b in c.spans) for c in citations]
    for shown in quoted:
        for t in shown:
            for w in _WORD.findall(t):
                w = w.strip("'’-")
                if len(w) >= 3 and w.lower() not in stop and not w.isdigit() and not backed(Term(w), asked, lang):
                    return False
    # (the language is read last: langdetect takes ~5 ms a text, and nearly every quote says something)
    return bool(quoted) and all(shown and not _foreign(shown, lang) for shown in quoted)


def _foreign(texts, lang: str) -> bool:
    """Are ``texts`` written in the other language (an untranslated quote)?"""
    from .language import detect

    got = detect(" ".join(texts))
    return bool(got.lang) and got.lang != lang


# a question that checks a claim: "Klopt het dat …", "Is it true that …", or one asked by its verb ("Is the
# target 30%?", "Bedraagt het streefcijfer 15%?")
_CHECKS = re.compile(r"^\W*(?:klopt\s+het|is\s+het\s+(?:waar|zo|juist|correct)|is\s+it\s+(?:true|correct|right|the\s+case)|"
                     r"(?:is|zijn|was|waren|ligt|liggen|bedraagt|bedragen|wordt|worden|werd|werden|vindt|vond|valt|"
                     r"are|were|does|do|did|will)\b)", re.I)


def checks_claim(question: str) -> bool:
    """Does ``question`` check a claim ("Klopt het dat …", "Is the target 30%?", "Was the conference in …?")?"""
    return bool(_CHECKS.search(question))


_NUMBER = re.compile(r"\d+")
_YEAR = re.compile(r"(?:19|20)\d\d")
_SHARE = re.compile(r"(\d+)(?:[.,]\d+)?\s*(?:%|procent\b|per\s*cent\b|percent\b)", re.I)


def _as_asked(number: str, question: str) -> str:
    if not number.isdigit():
        return number
    m = re.search(rf"(?<![\d.,]){number}(?:[.,]\d+)?\s*(?:%|procent\b|per\s*cent\b|percent\b)?", question, re.I)
    return m.group().strip() if m else number


def other_stated(question: str, missing: list[str], citations) -> str | None:
    """"figure" or "date" when ``question`` checks a claim whose only unbacked terms are its numbers or
    days, and the quotes state another one: the sources answer it, with another figure than asked."""
    if not (missing and checks_claim(question) and all(m.isdigit() or days(m) for m in missing)):
        return None
    quoted = " ".join([c.text[a:b] for c in citations for a, b in c.spans] + [s for c in citations for s in c.shown])
    if any(days(m) for m in missing):
        return "date" if days(quoted) else None
    # a year asked is no figure checked ("Is there a target for 2035?" asks whether there is one)
    if any(_YEAR.fullmatch(m) for m in missing):
        return None
    asked = set(_NUMBER.findall(question))
    # a share asked is checked against a share ("15%" against "12%", not against "vergaderjaar 2023–2024")
    shares = [n.group(1) for n in _SHARE.finditer(quoted)] if _SHARE.search(question) else _NUMBER.findall(quoted)
    return "figure" if any(n not in asked for n in shares) else None


def gate(composed, question: str, lang: str, headings=None, knows=None, renderings=None, share=None,
         together=None, context: str = ""):
    """``composed`` as it is when the question's terms are covered; otherwise
    "not in the sources" about the missing terms, followed by what the sources
    do say about the nearest thing, cited. A "when" question whose dates are
    about something else (``dated_apart``) is refused the same way."""
    from dataclasses import replace

    from .messages import text as msg, with_nearest

    if composed.refused or not composed.citations:
        return composed
    texts = texts_of(composed.citations, headings, renderings)
    missing = uncovered(question, lang, texts, knows, together)
    if not missing and Tuned.NARROW_BESIDE:  # ... beside the noun it narrows
        missing = apart_from_noun(question, lang, composed.citations, renderings)
    if not missing and Tuned.WHICH_BESIDE:  # ... the instances asked for beside the names that narrow them
        missing = which_apart(question, lang, composed.citations, renderings)
    if not missing and Tuned.HOLDER_BACKED:  # whose view is asked; a document's publisher speaks in all of it
        missing = unheld(question, lang, texts + [c.publisher for c in composed.citations])
    if not missing and Tuned.FOLLOWUP_TOPIC and context and narrows(question):
        # "And for primary schools?" after "… learning mobility targets?": the Minister for Primary Education
        # in the letter's opening backs "primary", not a target for it
        topic = topic_terms(context, lang)
        if topic and not any(backed(t, Text(texts, lang), lang) for t in topic):
            missing = [t.word for t in terms(question, lang)] or [t.word for t in topic]
    if not missing:
        from .compose import dating

        dated = dating(question, context)  # a follow-up's date sits beside the topic it leans on
        apart = dated_apart(dated, lang, composed.citations, share, renderings)
        if not apart:
            if Tuned.SAYS_NOTHING and not _day_headed(dated, composed.citations) and only_named(
                    question, lang, composed.citations):
                text = with_nearest(lang, msg(lang, "named_only_refusal"), composed.quotes)
                return replace(composed, text=text, refused=True, reason="only named")
            return composed
        text = with_nearest(lang, msg(lang, "undated_refusal"), composed.quotes)
        # ``missing`` as for a coverage refusal: the writer may still pick, and its pick is gated the same way
        return replace(composed, text=text, refused=True, reason=f"no date beside: {', '.join(apart)}",
                       missing=tuple(apart))
    named = ", ".join(f"‘{m}’" for m in missing)
    other = other_stated(question, missing, composed.citations) if Tuned.OTHER_STATED else None
    if other is not None:
        # "Klopt het dat het streefcijfer voor het mbo 15% is?": the sources' 12%, said to differ, not refused
        asked = ", ".join(f"‘{_as_asked(m, question)}’" for m in missing)  # "‘15%’", not "‘15’"
        return replace(composed, text=f"{msg(lang, f'other_{other}', asked=asked)}\n\n{composed.quotes}",
                       reason=f"another {other} than: {', '.join(missing)}")
    text = with_nearest(lang, msg(lang, "coverage_refusal", missing=named), composed.quotes)
    return replace(composed, text=text, refused=True, reason=f"not covered: {', '.join(missing)}",
                   missing=tuple(missing))
