"""Compose an extractive answer: the most relevant sentences of the best
paragraphs, quoted verbatim, each followed by its citation marker [n].

No language model is involved, so nothing is said that the sources do not say;
the work is in choosing well and in refusing when the sources hold no answer.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from index.lexical import joined_verbs
from index.nodes import SECTION_SEP
from index.paragraphs import COUNT_WORDS
from index.roles import block_roles, demoted_roles, question_roles, role_boosts, voiced_role
from index.sentences import leans_back, split_sentences
from settings import Tuned

from .coverage import (_DURATION_Q, _PERIOD, MONTHS, Term, Text, _forms, asked_post, asks_person, backed, checks_claim,
                       days, named_only_in, terms, topic_held, topic_terms)
from .links import asks_for_link, bare_link
from .messages import LEXICON_DIR, language_file, text as msg, with_nearest
from .ordinal import asked, asked_items, asked_number, item_place, prose_item, prose_rank, section_title
from .types import Citation, Composed, Passage, SentenceHit, Shown


# What a question asks for decides what its answer must contain: "how many"
# needs a number that is not a date, "when" needs a date.
# A target asked for ("welk streefcijfer", "what is the … target") wants the figure;
# a question about a target ("waarom is er geen streefcijfer", "telt … mee voor de
# streefcijfers") does not: it was filtered to number sentences and lost its answer.
_QUANTITY_Q = re.compile(
    r"\b(hoeveel|hoe groot|hoe hoog|welk(e)? (percentage|aandeel|bedrag|aantal)|"
    r"(welke?|wat (is|zijn|was|waren) (het|de))\s+([\w-]+\s+){0,3}?(\w+-)?streefcijfers?|"
    r"wat kost|kost(en|te)? .*\?$|how (many|much|large|high)|what (share|percentage|proportion|number|amount)|"
    r"what (is|are|was|were) the ([\w-]+ ){0,4}?(target|benchmark)s?|what ([\w-]+ ){0,4}?(target|benchmark) applies|"
    r"which (share|percentage|target)|what does .* cost)\b",
    re.I)
# "Onder welke voorwaarde accepteert Nederland EU-streefcijfers?" asks for the condition (the noun after a
# preposition's "welke"), not for a target figure
_ASKS_OTHER = re.compile(r"\b(?:onder|op|voor|bij|met|naar|over|uit|aan|door|tegen|van|under|on|for|with|to|by|from)\s*$",
                         re.I)
_TIME_Q = re.compile(r"\b(wanneer|per wanneer|tegen wanneer|(?:op )?welke (?:datum|dag)|(?:in )?welk jaar|when|by when|"
                     r"what date|which date|what day|which day|which year|what year|"
                     # "What is the deadline for …?" asks when, as "by when" does
                     r"wat (?:is|was) de (?:deadline|uiterste datum|einddatum)|what(?:'s| is| was) the deadline)\b", re.I)
# "13 en 14 mei" is one date range, not the count 13 beside a date
_DATE = re.compile(rf"\b\d{{1,2}}(?:\s*(?:en|and|tot|to|–|-)\s*\d{{1,2}})? ({MONTHS})( \d{{4}})?\b|\b(19|20)\d{{2}}(–|-)?(19|20)?\d{{0,2}}\b", re.I)
_REF = re.compile(r"\b(nr|nummer|no|fiche|artikel|art)\.? ?\d+|\b\d{2} \d{3}\b", re.I)  # document numbers are not quantities
# digits only: "drie aanbevelingen" is a count, but not an answer to "how many visitors"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?\s?(%|procent|percent)?", re.I)
_WORD = re.compile(r"[a-zà-ÿ0-9]+", re.I)


# "when" asks for a date where it is the question word: first (after a preposition: "On what date", "By what
# year") or opening a second part ("… en wanneer"); inside a clause it does not ("Had the agenda been published
# when the letter was written?" asks yes or no, and was filtered to the sentences with dates); "Vanaf welke
# datum gelden …", "As of which date …" ask when something starts
_ASKS_FIRST = re.compile(r"^(?:\W*|.*(?:\b(?:en|and|of|or)|[,;:])\s*)(?:(?:on|by|in|at|since|until|from|as of|op|tegen|per|"
                         r"sinds|tot|vanaf|met ingang van)\s+)?$", re.I)


# "Waar vindt het werkdiner plaats?" wants a place ("in Antwerpen"): a soft type, scored up but
# never required (a place may be written without a preposition)
_PLACE_Q = re.compile(r"\b(in welke (stad|plaats|gemeente)|waar (vindt|vinden|vond|vonden|wordt|worden|werd|werden)\b.*\b("
                      r"plaats|gehouden)|in which (city|town|place)|where (is|are|was|were|will|does|do|did)\b.*\b("
                      r"held|take place|takes place|took place|hosted))", re.I)
# "Waar is het werkdiner?", "Where do the ministers meet?": a bare "where" with a verb of being or meeting
# (not "Where do professionals exchange knowledge?": in a working group, not a town).
# Not a Dutch "waar … over/voor/op" (what something is about, for or based on: the particle as the last
# word, or before a participle), nor "Where does the letter say …" or "where … stand" (a place in a text, a position)
_WHERE_Q = re.compile(r"^\W*(?:waar\s+(?:is|zijn|was|waren|vergadert|vergaderen|vergaderde|vergaderden|komen|komt)|"
                      r"where\s+(?:is|are|was|were|will\s+(?:[\w'’-]+\s+){1,6}be(?=\W*$)|"
                      r"(?:do|does|did|will)\s+.*\b(?:meet|meets|met|gather|convene|dine)))"
                      r"\b(?!.*\b(?:say|says|said|stand|stands|come from|find|mention|mentions|mentioned|written|described)\b)",
                      re.I)
# "Was the NEMO conference in Amsterdam?", "Is de Raad in Brussel?": a claim checked (coverage.checks_claim)
# that ends on a place wants the sentence that says where (not a month: "Was the conference in March?")
_CLAIMED_PLACE = re.compile(rf"\b(?i:in|te|at)\s+(?!(?i:{MONTHS})\b)[A-Z][\w-]+\W*$")  # the place capitalised
_PARTICLE = re.compile(r"\b(?:aan|af|bij|door|heen|in|mee|na|naar|om|onder|op|over|tegen|toe|uit|van|vandaan|voor|"
                       r"achter|langs|tussen)(?:\s+(?:ge\w+[dtn]|\w+en|eens|bezig))?\W*$", re.I)
# "in Antwerpen", "in het Huis van …": a name after the preposition (an article only before "X van/of":
# "in de Europese culturele geschiedenis" and "in de BIS" are no places)
# Not Europe itself: EU papers say "in Europa" of everything ("waarbij de diversiteit in Europa behouden blijft"
# had answered where the ministers' working dinner is held)
_PLACE = re.compile(r"\b(?:in|te|at)\s+(?:(?:het|de|the)\s+(?=[A-Z][\w-]+\s+(?:van|of)\b))?"
                    r"(?!(?:Europa|Europe)\b)[A-Z][a-z][\w-]*")


# "Hoe vaak komt de Cultuurraad bijeen?" wants how often: a count of times or a period ("jaarlijks",
# "twee keer per jaar", "meerdere malen"); a sentence with only a date says when, not how often
_FREQUENCY_Q = re.compile(r"\b(hoe vaak|hoe dikwijls|hoeveel (keer|maal)|how often|how frequently|how many times)\b", re.I)
_FREQUENCY = re.compile(r"\b(\w+ (keer|maal|malen|keren|times)|(een|twee|drie|vier)maal|once|twice|vaak|dikwijls|"
                        r"regelmatig|often|regularly|(half)?jaarlijks|maandelijks|wekelijks|dagelijks|annual(ly)?|"
                        r"yearly|monthly|weekly|daily|(elk|elke|ieder|iedere|per) (jaar|maand|week|kwartaal)|"
                        r"(every|each|per|a) (year|month|week|quarter))\b", re.I)


def has_frequency(sentence: str) -> bool:
    return bool(_FREQUENCY.search(sentence))


def answer_type(question: str) -> str:
    if Tuned.FREQUENCY and _FREQUENCY_Q.search(question):
        return "frequency"
    if any(not (m.group().lower().startswith(("welk", "which")) and _ASKS_OTHER.search(question[:m.start()]))
           for m in _QUANTITY_Q.finditer(question)):
        return "quantity"
    if any(_ASKS_FIRST.match(question[:m.start()]) for m in _TIME_Q.finditer(question)):
        return "time"
    if Tuned.PLACES and _PLACE_Q.search(question):
        return "place"
    if Tuned.WHERE_PLACE and _WHERE_Q.search(question) and not _PARTICLE.search(question):
        return "place"
    if Tuned.CLAIMED_PLACE and checks_claim(question) and _CLAIMED_PLACE.search(question.strip()):
        return "place"
    if Tuned.NAMES and _NAME_Q.search(question):
        return "name"
    if Tuned.PERSON_NAMED and asks_person(question):
        return "person"
    return "any"


# a person named: initials and a surname ("R.H. Dijkgraaf"), or a title before a name ("minister Dijkgraaf");
# in a contact or signature block, a first name and a surname ("Rebecca Thonander"). Two capitalised words
# elsewhere are as often an organisation or a programme ("Europese Commissie", "Learning Lab")
_PARTICLES = r"(?:(?:van|de|der|den|ter|te|von)\s+)*"
_INITIALS = re.compile(rf"(?<![\w.])(?:[A-Z]\.\s?){{1,4}}{_PARTICLES}[A-Z][a-z]{{2,}}")
_TITLED = re.compile(rf"\b(?i:minister|staatssecretaris|mevrouw|mevr\.|meneer|de heer|dhr\.|mr\.|mrs\.|ms\.|dr\.|"
                     rf"prof\.|commissaris|commissioner)\s+(?:[A-Z]\.\s?)*[A-Z][a-z]{{2,}}")  # not "… van Onderwijs"
_FULL_NAME = re.compile(rf"\b[A-Z][a-z]+\s+{_PARTICLES}[A-Z][a-z]{{2,}}")


def names_person(sentence: str, role: str = "") -> bool:
    """Does the sentence name a person (see above)?"""
    return bool(_INITIALS.search(sentence) or _TITLED.search(sentence)
                or (role in ("contact", "signature") and _FULL_NAME.search(sentence)))


# "Hoe heette de conferentie …?" asks for a name: a sentence that names something in capitals
# ("Innovation and Integrity", "Huis van de Europese Geschiedenis") fits; a soft type, never required
_NAME_Q = re.compile(r"\b(hoe (?:heet|heette|heten|heetten|noemt men)|wat (?:is|was) de (?:naam|titel)|welke (?:naam|titel)|"
                     r"what (?:is|was|'s) the (?:name|title)|what (?:is|was|are|were) (?:it|they|\w+(?: \w+){0,3}) called)\b",
                     re.I)
_NAMED = re.compile(r"(?<=[\w,;:(«“\"] )[A-Z][\w-]+(?: (?:(?:and|of|the|for|in|van|de|het|en|voor|der)\s+){0,2}[A-Z][\w-]+)+")


_WHO = re.compile(r"^\W*(?:(?:en|and|but|maar)\s+)?(?:wie|who|whom|by whom|door wie)\b", re.I)


def asks_who(question: str) -> bool:
    """"Wie organiseerde die conferentie?": the answer is a name, perhaps the speaker's."""
    return bool(_WHO.search(question))


def has_name(sentence: str) -> bool:
    """Does the sentence name something in capitals, past its first word ("… conferentie Innovation and Integrity")?"""
    return bool(_NAMED.search(sentence))


# A closed question ("Telt virtuele mobiliteit mee …?", "Does the Netherlands intend to agree …?") has no
# question word near its start: its answer is yes or no, so a model asked "does this passage give what is
# asked?" answers the question itself ("no, it does not count") instead (select.selected does not ask it)
_OPEN_Q = re.compile(r"^\W*(?:\w+\W+){0,2}?(wat|welke?|wie|wiens|waar\w*|wanneer|hoe\w*|what|which|who|whom|whose|"
                     r"where|when|why|how|noem|geef|beschrijf|vergelijk|list|name|give|describe|compare|explain|"
                     r"summari[sz]e)\b", re.I)


_ASKED = r"(wanneer|waar|hoeveel|wie|when|where|how many|who)"
_TWO_ASKED = re.compile(rf"\b{_ASKED}\s+(en|and|of|or)\s+{_ASKED}\b", re.I)  # "Wanneer en waar …"


def single_fact(question: str) -> bool:
    """Does the question ask for one date, figure or place ("Wanneer presenteert de Commissie …?"),
    not two ("Wanneer en waar …", "What were the targets …, and is the cabinet satisfied?")?"""
    from .parts import split  # parts builds on this module

    return answer_type(question) != "any" and not _TWO_ASKED.search(question) and len(split(question)) == 1


def _adding(chosen: Chosen, question: str, known: dict[str, Passage], render: Render | None = None,
            with_section: bool = False) -> Chosen:
    """For one date, figure or place asked: the best paragraph, and a later one only where
    its quoted sentences hold a term of the question the best paragraph lacks. On dev the best
    paragraph held the fact every time, and the others were other dates and figures near the
    same words; but "… mobiliteitsstrategieën communiceren?" is answered second ("… zullen tegen
    eind 2026 … worden gecommuniceerd"), after a footnote on a study of the same strategies due in 2025."""
    # a word generic in either language asks, it does not restrict
    asked = {t.word for t in terms(question, "nl")} & {t.word for t in terms(question, "en")}
    stems = {w[:6].lower() for w in asked if len(w) > 3}

    def holds(pid: str, spans: list[tuple[int, int]]) -> set[str]:
        p = known[pid]
        # in the source's words and as the asker is shown them
        text = " ".join(p.text[a:b] + (" " + render(p, (a, b)).text if render is not None else "") for a, b in spans)
        # a Dutch participle is the verb asked: "gecommuniceerd" for "communiceren"
        words = _stems(text) | {w[2:8].lower() for w in _WORD.findall(text) if w.lower().startswith("ge")}
        return {q for q in stems if _overlap({q}, words, _compounds(text))}

    first, *rest = chosen
    # what the best paragraph is about, not only its quote; sentence by sentence, as each is shown (the whole
    # paragraph's rendering is not shown when one sentence of it is untrue)
    have = holds(first, split_sentences(known[first].text) or [(0, len(known[first].text))])
    if with_section:  # ... and the topic its headings name ("… door datagedreven publieksontwikkeling")
        heads = [h for h in known[first].section.split(SECTION_SEP) if h]
        head = ". ".join(heads + ([render(_Heading(h), (0, len(h))).text for h in heads] if render else []))
        have |= {q for q in stems if _overlap({q}, _stems(head), _compounds(head))}
    return {first: chosen[first]} | {pid: chosen[pid] for pid in rest
                                     if holds(pid, [(h.start, h.end) for h in chosen[pid]]) - have}


def closed_question(question: str) -> bool:
    return not _OPEN_Q.search(question)


_ENUMERATOR = re.compile(r"^\s*(?:[-*]\s*)?\d+[.)]\s")  # "3. Oprichting van …": a heading's number, not a quantity


def has_quantity(sentence: str) -> bool:
    stripped = _REF.sub(" ", _DATE.sub(" ", _ENUMERATOR.sub(" ", sentence)))
    return bool(_NUMBER.search(stripped))


# "Hoeveel aanbevelingen …?" is answered by "De drie aanbevelingen …": a count word, spelled
# out, counts where it counts the noun the question counts (not any "drie" in the text)
_COUNTED = re.compile(r"\b(?:hoeveel|how many)\s+([\w-]+)(?:\s+([\w-]+))?", re.I)
_LIST_ITEM = re.compile(r"\s*(?:[-*•]|\d+[.)])\s")
_COUNT_WORD = re.compile(r"\b(" + "|".join(COUNT_WORDS) + r")\s+([\w-]+)(?:\s+([\w-]+))?", re.I)


# a share ("23%", "12 procent") is a part of something, not a count of what "how many" asks about
_SHARE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|procent\b|per\s*cent\b|percent\b)", re.I)


@lru_cache(maxsize=1)
def _shared_nouns() -> frozenset[str]:
    """The stems of what a share may count: "procent" itself, and people ("Hoeveel studenten …?" is answered
    by "23%"), from either lexicon's ``share_nouns``."""
    return frozenset(w[:5].lower() for lang in ("nl", "en")
                     for w in language_file(LEXICON_DIR, lang).get("share_nouns", []))


def counts_by_number(sentence: str, nouns: set[str]) -> bool:
    """A number that can answer "how many <noun>": any number, but a share only when what is counted is a
    share or people ("Hoeveel lidstaten steunen de Raadsaanbeveling?" is not answered by "23% en 12%")."""
    if Tuned.SHARE_NO_COUNT and nouns and not nouns & _shared_nouns():
        sentence = _SHARE.sub(" ", sentence)
    return has_quantity(sentence)


def counted(question: str) -> set[str]:
    """The stems of the noun a "how many" question counts ("Hoeveel aanbevelingen" → {"aanbe"})."""
    m = _COUNTED.search(question)
    return {w[:5].lower() for w in (m.groups() if m else ()) if w and len(w) > 3}


def counts(sentence: str, nouns: set[str]) -> bool:
    """Does the sentence count one of ``nouns`` in words ("De drie aanbevelingen"), or is it
    an item of a list of them ("- Raadsconclusies over …": the list is the count)?"""
    if not nouns:
        return False
    item = _LIST_ITEM.match(sentence)
    if item and any(w[:5].lower() in nouns for w in _WORD.findall(sentence[item.end():])[:2]):
        return True  # the item is one of them: its first words name the counted noun
    return any(w[:5].lower() in nouns for m in _COUNT_WORD.finditer(sentence) for w in m.groups()[1:] if w)


def has_time(sentence: str) -> bool:
    return bool(_DATE.search(sentence))


def typed_test(question: str) -> Callable[[str], bool] | None:
    """Whether a paragraph's text holds what the question's answer type wants (a place for "where",
    a date for "when", …), for retrieval to rank such paragraphs up (``Tuned.TYPED_RANK``); None
    for an untyped question or a type ``Tuned.TYPED_RANK_KINDS`` leaves out."""
    kind = answer_type(question)
    tests = {"place": lambda t: bool(_PLACE.search(t)), "time": has_time, "quantity": has_quantity,
             "frequency": has_frequency, "person": names_person}
    return tests[kind] if kind in Tuned.TYPED_RANK_KINDS and kind in tests else None


def _participles(text: str) -> set[str]:
    """A Dutch participle's verb, as a stem: "Hoe wordt dat gemeten?" asks what "… om mobiliteit te
    meten" says; "gecommuniceerd" is "communiceren" (Snowball leaves the "ge-" on)."""
    if not Tuned.PARTICIPLES:
        return set()
    return {w[2:8].lower() for w in _WORD.findall(text)
            if len(w) >= 7 and w[:2].lower() == "ge" and w.lower().endswith(("d", "t", "en"))}


def _stems(text: str) -> set[str]:
    # a crude prefix stem: enough to match "leermobiliteit"/"leermobiliteitskansen"
    return {w[:6].lower() for w in _WORD.findall(text) + joined_verbs(text) if len(w) > 3}


# "Er is geen EU streefcijfer vastgesteld voor …", "There is no EU target …": the negation and up to two words
# before the noun it denies
_NONE = re.compile(r"\b(?:geen|no|none of the)\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.I)


def _asked_words(question: str) -> list[Term]:
    """The words neither language reads as a function word ("geldt" restricts nothing in a Dutch question)."""
    en = {t.word.lower() for t in terms(question, "en")}
    return [t for t in terms(question, "nl") if t.word.lower() in en]


def _held(word: Term, text: str) -> bool:
    return any(backed(word, Text([text], lang), lang) for lang in ("nl", "en"))


def holds_all(words: list[Term], texts: list[str]) -> bool:
    """Does one of ``texts`` hold every one of the question's ``words`` (``_asked_words``)?"""
    return bool(words) and any(all(_held(w, t) for w in words) for t in texts)


@lru_cache(maxsize=1)
def _event_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    groups: dict[str, list[str]] = {}
    for lang in ("nl", "en"):
        for key, words in language_file(LEXICON_DIR, lang).get("event_verbs", {}).items():
            groups.setdefault(key, []).extend(words)
    return tuple((key, re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
                                  + r")(?!\w)", re.I)) for key, words in groups.items())


def events(text: str) -> set[str]:
    """The kinds of event ``text`` names by its verbs (either lexicon's ``event_verbs``: adopted,
    published, finished, …): what a date in it is the date of."""
    return {key for key, pattern in _event_patterns() if pattern.search(text)}


def _dates_event(text: str, asked: set[str]) -> bool:
    """Does ``text`` hold a date of the event asked (of any event, when none is asked, or it names none)?"""
    if not has_time(text):
        return False
    named = events(text) if asked else set()
    return not named or bool(named & asked)


_DATE_ASKED = {"dag", "datum", "day", "date", "agenda"}  # what a "when" question asks for, not what it is about


def heading_date(section: str, sentence: list[str], words: list[Term],
                 shown: Callable[[str], str] | None = None) -> str | None:
    dated = dated_item(section, sentence, words, shown)
    return dated[0] if dated else None


def dating(question: str, context: str = "") -> str:
    """What a "when" question's date must sit beside: the question, and, for a follow-up that names no
    topic of its own ("Wanneer worden ze aangenomen?" after "Waar gaan de Raadsconclusies over influencers
    over?"), the question it leans on, whose topic the day's heading names."""
    if not (Tuned.CONTEXT_DATE and context and answer_type(question) == "time"):
        return question
    # its own words name no more than an event ("aangenomen", "adopted") or the date asked ("dag", "date")
    if any(w.word.lower() not in _DATE_ASKED and not events(w.word) for w in _asked_words(question)):
        return question
    return f"{question}\n{context}"


def dated_item(section: str, sentence: list[str], words: list[Term],
               shown: Callable[[str], str] | None = None) -> tuple[str, list[str]] | None:
    """The dated heading a sentence sits under ("Onderwijs – maandag 13 mei 2024"), when the item title
    beneath it names what the question asks about, more than half of its ``words`` (``_asked_words``;
    what it leaves out is mostly the verb, "adopted"), or, directly under the day, the sentence names all
    of it. An agenda dates its items by the day's heading, not in their sentences: "When will the
    conclusions on evidence-informed policy be adopted?" is answered by the section they sit in;
    "Wanneer treedt de AI-verordening in werking?" is not (the item beneath the day is the policy debate
    on AI in education). ``shown``: a heading as the asker reads it. Returns the day's heading and the
    item title beneath it (none, directly under the day)."""
    heads = [h for h in section.split(SECTION_SEP) if h.strip()]
    at = next((i for i, h in enumerate(heads) if has_time(h)), None)
    words = [w for w in words if w.word.lower() not in _DATE_ASKED]
    if at is None or not words:
        return None
    below = heads[at + 1:at + 2]  # the item's own title, not a role heading beneath it ("Inhoud", "Achtergrond")
    item = "\n".join(below + [shown(h) for h in below] if shown is not None else below) if below else "\n".join(sentence)
    day = " ".join([heads[at]] + ([shown(heads[at])] if shown is not None else [])).lower()
    missing = sum(not _held(w, item) for w in words)
    if below and Tuned.DAY_NAMES_PART:  # the day's heading names the Council's part: "Onderwijs – maandag 13 mei"
        # (a whole word of it, or the word's Dutch form: "onderwijscomité" is not the education part)
        missing -= sum(not _held(w, item) and any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", day) for f in
                                                  _forms(w.word.lower())) for w in words)
    # a title names its item in few words, the verb left out; a sentence is held to every word ("Deze
    # geannoteerde agenda zal zich … beperken" is no answer to when the annotated agenda was sent)
    return (heads[at], below) if missing <= ((len(words) - 1) // 2 if below else 0) else None


def states_none(question: str, texts: list[str], words: list[Term] | None = None) -> bool:
    """Does one of ``texts`` say there is none of what the question asks, of all it asks ("Welk streefcijfer
    geldt voor mensen met minder leermogelijkheden?": "Er is geen EU streefcijfer vastgesteld voor … mensen met
    minder leermogelijkheden")? A figure the sources say was not set answers a question for one, as its
    absence; "Welk streefcijfer geldt voor het mbo?" is not answered by it (no "mbo"). ``words``: the
    question's ``_asked_words``, when the caller has them."""
    words = _asked_words(question) if words is None else words
    for t in texts if words else ():
        denied = [m.group(1) for m in _NONE.finditer(t)]
        if any(_held(w, d) for w in words for d in denied) and all(_held(w, t) for w in words):
            return True
    return False


def _compounds(text: str) -> set[str]:
    """The long words of ``text`` (lowercased), whose later parts may be what a question asks."""
    return {w.lower() for w in _WORD.findall(text) if len(w) >= 9}


@lru_cache(maxsize=1)
def _synonym_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """One token and one pattern per synonym group of either lexicon."""
    # a member of five letters or more also begins or ends a word ("verordening" in "AI-verordening")
    def one(m: str) -> str:
        return rf"[a-zà-ÿ0-9]*{re.escape(m)}|{re.escape(m)}[a-zà-ÿ0-9]*" if len(m) >= 5 else re.escape(m)

    groups = [{w.lower() for w in group} for lang in ("nl", "en")
              for group in language_file(LEXICON_DIR, lang).get("synonyms", [])]
    return tuple(("≈" + min(group), re.compile(r"(?<![a-zà-ÿ0-9])(?:" + "|".join(one(m) for m in sorted(group))
                                                + r")(?![a-zà-ÿ0-9])")) for group in groups)


@lru_cache(maxsize=16384)  # the same sentences are scored for question after question
def _concepts(text: str) -> frozenset[str]:
    """The lexicon's synonym groups ``text`` uses a word of, one token per group: "the aim of the AI
    Act" and "Het doel van de verordening" both hold "≈aim" and "≈act" (a three-letter word is no stem)."""
    low = text.lower()
    return frozenset(token for token, pattern in _synonym_patterns() if pattern.search(low))


def _overlap(q_stems: set[str], words: set[str], compounds: set[str]) -> float:
    """Share of the question's stems the sentence holds: as a word's stem, or as a later part of a
    compound ("conclusies" in "Raadsconclusies", "strategieën" in "mobiliteitsstrategieën"; six
    letters at least: "over" is inside too many words)."""
    if not q_stems:
        return 0.0
    return sum(1 for q in q_stems if q in words or len(q) >= 6 and any(q in w[3:] for w in compounds)) / len(q_stems)


Render = Callable[[Passage, tuple[int, int]], Shown]
Chosen = dict[str, list[SentenceHit]]  # paragraph id → its chosen sentences


def named_kinds(question: str) -> set[str]:
    """The kinds of document a question names ("press release" → {"persbericht"})."""
    q = question.lower()
    return {kind for lang in ("nl", "en") for kind, words in language_file(LEXICON_DIR, lang).get("document_kinds", {}).items()
            if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", q) for w in words)}


@lru_cache(maxsize=1)
def _speaker_patterns() -> tuple[str, ...]:
    return tuple(p for lang in ("nl", "en") for p in language_file(LEXICON_DIR, lang).get("speaker_patterns", []))


@lru_cache(maxsize=1)
def _source_patterns() -> tuple[str, ...]:
    return _speaker_patterns() + tuple(p for lang in ("nl", "en")
                                       for p in language_file(LEXICON_DIR, lang).get("source_patterns", []))


def sourced_topic(question: str) -> str:
    """What a question that asks what a document says is about: "What does the
    press release say about copyright?" → "copyright"; "" when it is not such a
    question, or names no topic after the document."""
    if not sourced_kinds(question):
        return ""
    markers = [w for lang in ("nl", "en") for w in language_file(LEXICON_DIR, lang).get("topic_markers", [])]
    found = re.search(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in markers) + r")\s+(.+?)\s*[?.!]*\s*$",
                      question, re.I) if markers else None
    # the document is named before its topic: "Wat zegt het persbericht over X?", not "Over X: wat zegt …"
    return found.group(1) if found and sourced_kinds(question[:found.start()]) else ""


def holds_topic(question: str, scored: list[tuple], render: Render | None = None) -> bool:
    """Does one sentence (as written or as shown) hold every term of the topic a question asks a
    document about ("What does the press release say about copyright?": "Copyright issues must be
    resolved")? A one-word topic reads far below the threshold, however plainly the document says it."""
    topic = sourced_topic(question)
    words = {t.word.lower(): t for lang in ("nl", "en") for t in terms(topic, lang)}.values() if topic else ()
    for _, _, h, p in scored if words else ():
        sent = p.text[h.start:h.end]
        texts = [sent, render(p, (h.start, h.end)).text] if render is not None else [sent]
        if all(any(backed(t, Text(texts, lang), lang) for lang in ("nl", "en")) for t in words):
            return True
    return False


def holds_question(question: str, scored: list[tuple], render: Render | None = None, top: int = 5) -> bool:
    """Does one sentence near the top (as written or as shown) hold every term of the question, two at least
    ("Which organisations co-organised the conference?": "The conference … was organized by NEMO …, FARO, …")?
    A wording the embedding reads a little apart from the source's sits just below the threshold."""
    words = {t.word.lower(): t for lang in ("nl", "en") for t in terms(question, lang)}
    if Tuned.HELD_TERMS_BOTH:  # a word generic in either language asks ("On what date …"), it does not restrict
        both = {t.word.lower() for t in terms(question, "nl")} & {t.word.lower() for t in terms(question, "en")}
        words = {w: t for w, t in words.items() if w in both}
    words = words.values()
    if len(words) < 2:
        return False
    for _, _, h, p in scored[:top]:
        sent = p.text[h.start:h.end]
        texts = [sent, render(p, (h.start, h.end)).text] if render is not None else [sent]
        if Tuned.HELD_SPEAKER and speaker_doc(question, p.publisher):
            # "What does NEMO say about copyright?": NEMO's press release is NEMO speaking, though no sentence
            # of it names NEMO ("Copyright issues must be resolved.")
            texts.append(short_name(p.publisher))
        if all(any(backed(t, Text(texts, lang), lang) for lang in ("nl", "en")) for t in words):
            return True
    return False


def holds_date(question: str, scored: list[tuple], render: Render | None = None, top: int = 10) -> bool:
    """Does a sentence near the top hold a day the question names ("What did the Commission publish on
    15 November?": "Op 15 november jl. heeft de Europese Commissie … gepubliceerd")? A date is as
    exact as a name; the question's few other words read below the threshold."""
    asked = days(question)
    for _, _, h, p in scored[:top] if asked else ():
        sent = p.text[h.start:h.end]
        if asked & days(sent + (" " + render(p, (h.start, h.end)).text if render is not None else "")):
            return True
    return False


def sourced_kinds(question: str, indexed: Iterable[str] = ()) -> set[str]:
    """The kinds of document a question asks to be answered from: named as the
    speaker or the place ("Wat zegt het persbericht over …", "in the letter"),
    not as a subject ("de agenda van de Cultuurraad"). ``indexed``: the kinds the
    index holds, each also named by itself (a user's "rapport", which the lexicon lacks)."""
    # (not the loaders' default "document": "the document" is any document, not those without a kind)
    names: dict[str, set[str]] = {k.lower(): {k.lower()} for k in indexed if k and k.lower() != "document"}
    for lang in ("nl", "en"):
        for kind, words in language_file(LEXICON_DIR, lang).get("document_kinds", {}).items():
            names.setdefault(kind, set()).update(words)
    out = set()
    for kind, words in names.items():
        name = r"(?:het|de|dit|deze|the|this)\s+(?:" + "|".join(re.escape(w) for w in sorted(words)) + ")"
        if any(re.search(p.replace("{name}", name), question, re.I) for p in _source_patterns()):
            out.add(kind)
    return out


def short_name(publisher: str) -> str:
    """A publisher's short name, as questions name it ("NEMO - Network of European Museum Organisations" → "NEMO")."""
    return (publisher or "").split(" - ")[0].strip()


def speaker_doc(question: str, publisher: str) -> bool:
    """Does the question ask what ``publisher`` says, naming it by its short name as the speaker
    ("What does NEMO recommend?", "volgens NEMO"; not "the NEMO conference", "NEMO en Nederland",
    "What does NEMO stand for?")?"""
    short = short_name(publisher)
    if Tuned.DEFINED_NAME and defined_name(question).lower() == short.lower():
        return False
    return len(short) >= 3 and any(re.search(p.replace("{name}", re.escape(short)), question, re.I)
                                   for p in _speaker_patterns())


# a name in capitals, of up to four words: "FARO", "Npuls", "Erasmus+", "Platform ACCT"
_DEFINED = r"(?P<name>[A-Z][\w+-]*(?:\s+[A-Z][\w+-]*){0,3})"


def defined_name(question: str) -> str:
    """The name a question asks only to be explained ("What is FARO?", "What does NEMO stand for?",
    "Waar staat NEMO voor?"); "" for any other question."""
    for lang in ("nl", "en"):
        for pattern in language_file(LEXICON_DIR, lang).get("definition_patterns", []):
            m = re.search(pattern.replace("{name}", _DEFINED), question.strip(), re.I)
            # (the frame in any case, the name in capitals: "What is the target?" names none)
            if m and all(w[0].isupper() for w in m.group("name").split()):
                return m.group("name")
    return ""


def explains(sentence: str, name: str) -> float:
    """How a sentence answers what ``name`` is: 1 where it explains it in apposition ("FARO, het
    Vlaams steunpunt …", "NEMO - het Netwerk van …", "Het Nationaal Onderwijslab AI (NOLAI)"),
    0.5 where it only names it, 0 where it does not."""
    at = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
    if not re.search(at, sentence):
        return 0.0
    if re.search(at + r"\s*(?:,\s*(?:het|de|een|the|an?)?\s*[a-z]|[-–—:]\s+\S)", sentence) or re.search(
            r"\w\s*\(" + re.escape(name) + r"\)", sentence):
        return 1.0
    return 0.5


def spoken_by(question: str, passages: list[Passage]) -> set[str]:
    """The one document whose publisher the question names as the speaker, or nothing."""
    docs = {p.doc_id for p in passages if speaker_doc(question, p.publisher)}
    return docs if len(docs) == 1 else set()


def asked_roles(question: str) -> set[str]:
    """The section roles a question asks for, by the cues of either language."""
    return set(question_roles(question, "nl")) | set(question_roles(question, "en"))


def _topical(question: str, render: Render | None) -> Callable[[Passage], bool]:
    """Does a paragraph's section path (as written, or its headings as shown) hold the question's
    whole topic ("… the conclusions on data-driven audience development")?"""
    topic = {lang: topic_terms(question, lang) for lang in ("nl", "en")}
    # one word is a subject many sections share ("leermobiliteit"), a few words name one section's
    # ("data-driven audience development")
    if max(map(len, topic.values())) < Tuned.TOPIC_TERMS:
        return lambda p: False

    @lru_cache(maxsize=None)
    def held(section: str) -> bool:
        heads = [h for h in section.split(SECTION_SEP) if h]
        texts = heads + ([render(_Heading(h), (0, len(h))).text for h in heads] if render is not None else [])
        return any(t and topic_held(question, lang, texts) for lang, t in topic.items())

    return lambda p: held(p.section)


@dataclass(frozen=True)
class _Heading:
    """A heading read as a paragraph of one sentence, to be shown in the asker's language."""
    text: str


def candidates(question: str, passages: list[Passage], sentences: list[SentenceHit],
               render: Render | None = None, context: str = "") -> list[tuple]:
    """(score, fits the asked type, hit, passage) for every sentence, best first:
    the cosine of the sentence and of its paragraph, words shared with the
    question (with ``render``: with the sentence or its rendering in the
    asker's language), the answer type ("how many" wants a number), the rank prior."""
    by_id = {p.id: p for p in passages}
    rank = {p.id: i for i, p in enumerate(passages)}
    kind = answer_type(question)
    q_stems = _stems(question) | (_concepts(question) if Tuned.SYNONYMS else set()) | _participles(question)
    # a follow-up's few words ("Were they adopted as proposed?") are read with the question it leans on
    # ("Tell me about the targets for learning mobility."), at less weight: the definition had answered
    c_stems = _stems(context) - q_stems if context and Tuned.SCORE_CONTEXT else set()
    asked = asked_roles(question)
    demoted = demoted_roles() - asked  # the contact block: only for a question that asks whom to contact
    named = named_only_in(question, passages, demoted)  # … or for the name only it holds
    blocks = asked & block_roles()  # a block asked for by cue is what is asked for, as a list item by its ordinal
    kinds = named_kinds(question)  # … of the kind of document named ("the press release", not the letter)
    lead_in = (lambda p: render(p, (0, len(p.text))).text) if render is not None else None  # noqa: E731
    items = asked_items(passages, question, lead_in)
    if not items and context and Tuned.CONTEXT_ITEM and asked_number(context):
        # "What values should it respect?" after "What is NEMO's third recommendation?": the item leaned on
        items = asked_items(passages, context, lead_in)
    prose = None  # ... or the item an ordinal names in an enumeration written out in prose, where nearer
    if Tuned.PROSE_ITEM:
        prose = prose_item(passages, question, lead_in)
        # (an item leaned on, in a list of headings found for it, stands: "Met welke waarden moet die …?" after
        # "En wat zegt NEMO over de derde?", though the letter's four priorities ranked above NEMO's lead-in)
        if not prose and not items and context and Tuned.CONTEXT_ITEM and asked_number(question) is None:
            prose = prose_item(passages, context, lead_in)
        items = set() if prose else items
    # "Welke drie aanbevelingen …": a lead-in that introduces exactly that many headings is the list asked for
    count = asked_count(question)
    items |= {p.id for p in passages if count >= 2 and len(p.heads) == count}
    # ... and so is one whose noun the question asks for ("Welke aanbevelingen doet NEMO?")
    if Tuned.LIST_NOUN and not asked_number(question):
        items |= {p.id for p in passages if p.heads and names_listed(question, p, render)}
    wants_link = asks_for_link(question)
    defined = defined_name(question) if Tuned.DEFINED_NAME else ""  # "What is FARO?": the sentence explaining it
    nouns = counted(question) if kind == "quantity" else set()
    post = asked_post(question) if kind == "person" else ""
    speaking = spoken_by(question, passages)  # "What does NEMO recommend?": NEMO's own document
    if speaking and Tuned.SPEAKER_UNSHARED:  # ... whose name, in a sentence, is no more what is asked than "the letter"
        q_stems = q_stems - {s for p in passages if p.doc_id in speaking for s in _stems(short_name(p.publisher))}
    boosts = role_boosts()
    topical = _topical(question, render) if asked else (lambda p: False)
    if asked and context and Tuned.CONTEXT_TOPIC and not any(topic_terms(question, lg) for lg in ("nl", "en")):
        # "And the other member states?" after "What are the conclusions on data-driven audience development
        # about?": the role asked, in the section of the topic leaned on (not the influencer conclusions')
        topical = _topical(context, render)
    # (a day that dates a question for a place, figure or date is no answer of that type: "In which city does
    # the Council meet on 13 and 14 May?" wants the city)
    asked_days = days(question) if Tuned.DATE_HELD and kind == "any" else set()
    listed = {h for p in passages for h in p.heads}  # headings a lead-in lists: items, not section titles
    # a span of years is no date for "when" ("vergaderjaar 2020–2021" in a reference), unless it asks how long
    periods = Tuned.PERIOD_UNTYPED and kind == "time" and not _DURATION_Q.search(question)
    scored = []
    # sentences that say there is none of what is asked ("Er is geen EU streefcijfer vastgesteld voor …"), and
    # whether another states the figure for all the question asks (a user's document that "names no target of
    # its own" for the mbo does not outrank the letter's 12%)
    nones: set[int] = set()
    whole = False
    asked_terms = _asked_words(question) if kind in ("quantity", "time") else []
    none_words = asked_terms if Tuned.NONE_STATED else []
    date_words = _asked_words(dating(question, context)) if Tuned.HEADING_DATE and kind == "time" else []
    asked_events = events(question) if Tuned.EVENT_DATED and kind == "time" else set()
    heading_shown = (lambda h: render(_Heading(h), (0, len(h))).text) if render is not None else None  # noqa: E731
    for s in sentences:
        p = by_id.get(s.para_id)
        if p is None:
            continue
        sent = p.text[s.start:s.end]
        if not wants_link and Tuned.NO_BARE_LINKS and bare_link(sent):
            continue  # a bare address says nothing, whatever its vector scores
        words = _stems(sent) | _participles(sent)
        if render is not None:
            shown = render(p, (s.start, s.end))
            if shown.translated:
                words |= _stems(shown.text)
        # the section path says what a sentence is about ("… steun aan influencers > Indicatie krachtenveld")
        words |= _stems(p.section.replace(SECTION_SEP, "\n"))
        compounds = _compounds(f"{sent}\n{p.section}")
        if Tuned.SYNONYMS:
            words |= _concepts(f"{sent}\n{p.section}\n{shown.text if render is not None else ''}")
        overlap = _overlap(q_stems, words, compounds) + Tuned.SCORE_CONTEXT * _overlap(c_stems, words, compounds)
        fits = ((kind == "quantity" and (counts_by_number(sent, nouns) or counts(sent, nouns)
                                         or (render is not None and counts(render(p, (s.start, s.end)).text, nouns))))
                or (kind == "time" and has_time(_PERIOD.sub(" ", sent) if periods else sent))
                or (kind == "place" and bool(_PLACE.search(sent)))
                or (kind == "frequency" and (has_frequency(sent) or (render is not None and has_frequency(
                    render(p, (s.start, s.end)).text))))
                or (kind == "name" and has_name(sent))
                or (kind == "person" and names_person(sent, p.role)
                    # ... holding the office asked, or in a block asked for by cue: the signature's "De Minister
                    # van …, R.H. Dijkgraaf" is no answer to "Who is the State Secretary for Education?"
                    and (p.role in asked or any(post in t.lower() for t in
                                                [sent, shown.text if render is not None else ""]))))
        other_event = same_event = False
        if asked_events:
            # a date of another event is no answer: "When will the recommendation be adopted?" is not
            # answered by the day the Commission published it ("Op 15 november … gepubliceerd")
            named = events(sent + ("\n" + shown.text if render is not None else ""))
            other_event = bool(named) and not named & asked_events
            same_event = bool(named & asked_events)
            fits = fits and not other_event
        headed = False
        # (nor is such a sentence dated by its heading)
        if (kind == "time" and not fits and date_words and not (other_event and Tuned.DAY_NAMES_PART)
                and heading_date(p.section, [sent] + ([shown.text] if render is not None else []), date_words,
                                 heading_shown)):
            fits = headed = True  # dated by the heading it sits under
        if none_words:
            texts = [sent] + ([shown.text] if render is not None else [])
            if fits and holds_all(none_words, [f"{t}\n{p.section}" for t in texts]):
                whole = True  # a figure stated for all the question asks: no "none" answers it
            elif not fits and states_none(question, texts, none_words):
                nones.add(id(s))
        # what the document's structure says was asked for: a numbered item, a block by its cue
        # (from the kind of document named), a role; what was not: a block, another speaker's document
        # (an item's later paragraphs count less: a section runs to the next heading, so the press release's
        # closing note on who organised the conference sits "under" its third recommendation)
        asked_for = (1 / item_place(p.id) if p.id in items
                     else 1.0 if prose and p.id == prose[0] and prose_rank(sent) == prose[1]
                     else float(p.role in blocks and (not kinds or p.doc_kind.lower() in kinds)))
        if defined:
            asked_for = max(asked_for, explains(sent, defined), explains(shown.text, defined) if render is not None else 0)
        # a sentence that states a role asked for counts as under its heading (Tuned.VOICED)
        in_role = p.role in asked or (Tuned.VOICED and bool(asked) and voiced_role(sent) in asked)
        # a section's title is in every paragraph's section path under it, which says what the title names
        title = section_title(p, listed)
        structure = (Tuned.SCORE_ITEM * asked_for + Tuned.SCORE_ROLE * in_role * boosts.get(p.role, 1.0)
                     - Tuned.SCORE_SECTION_TITLE * title
                     + Tuned.SCORE_TOPIC_ROLE * (in_role and topical(p))
                     # (a signature naming the minister asked for is what is asked: Tuned.TYPED_BLOCKS)
                     - Tuned.SCORE_DEMOTED * (p.role in demoted and p.id not in named
                                              and not (fits and kind == "person" and Tuned.TYPED_BLOCKS))
                     - Tuned.SCORE_SPEAKER * bool(speaking and p.doc_id not in speaking))
        # a day the question names ("on 15 November") is as exact as a name: the sentence that holds it
        dated = bool(asked_days) and bool(asked_days & days(sent + (" " + render(p, (s.start, s.end)).text
                                                                    if render is not None else "")))
        score = (Tuned.SCORE_SENTENCE * s.score + Tuned.SCORE_PARAGRAPH * p.score + Tuned.SCORE_OVERLAP * overlap
                 # (a date of its own is nearer what is asked than the day of its section: half the weight)
                 # (... as is one that names the event asked: "… zal de Raadsaanbeveling … worden aangenomen")
                 + (Tuned.SCORE_TYPED * (0.5 if headed and not dated and not (same_event and Tuned.DAY_NAMES_PART)
                                         else 1.0) if fits or dated else 0.0)
                 + Tuned.RANK_PRIOR / (1 + rank[p.id]) + structure)
        scored.append((score, fits, s, p))
    if nones and not whole:  # a figure not set answers as that type
        scored = [(score + Tuned.SCORE_TYPED, True, s, p) if id(s) in nones else (score, fits, s, p)
                  for score, fits, s, p in scored]
    return sorted(scored, key=lambda x: -x[0])


UNTYPED = "no sentence of type "  # the reason a typed question is refused, before its type


def by_structure(question: str, passages: list[Passage], render: Render | None = None, followup: bool = False) -> bool:
    """Is what the question asks for found by the documents' structure, not by its words? Such an
    answer stands whatever its cosine (select), and the model is not asked to judge it (select.py)."""
    # a block asked for by cue ("Who signed the letter?", "When was the press release published?"):
    # a short question about a document sits below the threshold
    if asked_roles(question) & block_roles() & {p.role for p in passages}:
        return True
    # ... a block that alone holds a name the question asks about ("Wie is Rebecca Thonander?")
    if named_only_in(question, passages, demoted_roles() - asked_roles(question)):
        return True
    # ... a name the question asks only to be explained, and a paragraph explains ("What is FARO?": "… FARO,
    # het Vlaams steunpunt voor cultureel erfgoed, …", in a list of organisers the question's words miss)
    if Tuned.DEFINED_NAME and (name := defined_name(question)) and any(explains(p.text, name) == 1.0
                                                                         for p in passages):
        return True
    # ... a list's item named by its ordinal and the noun its lead-in counts ("What is NEMO's last
    # recommendation?": "last" is in no sentence, and the cosine fell below the threshold); by its ordinal
    # alone in a follow-up (``followup``: "En de laatste?" after the four priorities)
    ordinal = asked(question) if Tuned.ITEM_THRESHOLD else None
    if ordinal and (ordinal[1] or followup):
        lead_in = (lambda p: render(p, (0, len(p.text))).text) if render is not None else None  # noqa: E731
        return bool(asked_items(passages, question, lead_in)
                    or (Tuned.PROSE_ITEM and prose_item(passages, question, lead_in)))
    return False


def select(question: str, passages: list[Passage], sentences: list[SentenceHit], min_score: float,
           max_citations: int = 3, max_sentences: int | None = None,
           render: Render | None = None, one_fact: bool = True, typed: bool = True,
           context: str = "") -> tuple[Chosen, str]:
    """The sentences the quotes answer quotes (and the refusal reason when none).
    ``one_fact``: a question for one date, figure or place cites its best paragraph (``_adding``);
    ``typed=False``: the nearest sentences whatever their type (what a typed refusal cites)."""
    max_sentences = max_sentences or Tuned.MAX_SENTENCES
    # the best cosine among the retrieved (the fused order may put another first)
    nearest = max([p.closeness for p in passages] + [h.score - Tuned.SENTENCE_OFFSET for h in sentences], default=-1.0)
    asked_block = by_structure(question, passages, render)
    if not passages:
        return {}, "no paragraph above the threshold"
    scored = candidates(question, passages, sentences, render, context)
    # ... and so is a sentence that holds the whole topic a document is asked about
    if (nearest < min_score and not asked_block and not holds_topic(question, scored, render)
            and not (Tuned.DATE_HELD and holds_date(question, scored, render))
            and not (nearest >= min_score - Tuned.HELD_WHOLE and holds_question(question, scored, render))):
        return {}, "no paragraph above the threshold"
    kind = answer_type(question) if typed else "any"
    if kind in ("quantity", "time", "frequency", "person"):
        # a question for a number, date, frequency or person with no such sentence among the
        # sentences closest to it is not answered by the sources, however close
        # the topic: only typed sentences near the best one may answer
        top = scored[0][0] if scored else 0.0
        scored = [x for x in scored if x[1] and x[0] >= top - Tuned.TYPED_MARGIN]
        if not scored:
            return {}, f"{UNTYPED}{kind}"
    elif kind == "place" and Tuned.PLACE_FIRST:
        # a place may be written without a preposition, so none near the top refuses nothing; but one
        # there is the answer, and the sentences beside it without a place are about something else
        # ("werd georganiseerd door … het Huis van de Europese Geschiedenis" is who, not where)
        top = scored[0][0] if scored else 0.0
        placed = [x for x in scored if x[1] and x[0] >= top - Tuned.TYPED_MARGIN]
        scored = placed or scored
    if not scored:
        return {}, "no sentences"
    best = scored[0][0]
    chosen: Chosen = {}
    total = 0
    for score, _, s, p in scored:
        if score < best - Tuned.SELECT_MARGIN or total >= max_sentences:
            break
        if p.id not in chosen and len(chosen) >= max_citations:
            continue
        if len(chosen.get(p.id, [])) >= Tuned.PER_PARAGRAPH:
            continue
        chosen.setdefault(p.id, []).append(s)
        total += 1
    if one_fact and Tuned.TYPED_ONE and len(chosen) > 1 and single_fact(question):
        chosen = _adding(chosen, question, {p.id: p for p in passages}, render)
    elif Tuned.ELSEWHERE_ADDS and len(chosen) > 1:
        chosen = _elsewhere_adding(chosen, question, {p.id: p for p in passages}, render)
    if Tuned.OWN_HEADING and len(chosen) > 1:
        chosen = without_own_headings(chosen, {p.id: p for p in passages})
    return chosen, ""


def without_own_headings(chosen: Chosen, known: dict[str, Passage]) -> Chosen:
    """Less a heading chosen after a paragraph of its own section: "2. Financiële investeringen …" quoted
    after the paragraph under it, for "Waarvoor moeten volgens NEMO financiële middelen worden vrijgemaakt?"."""
    out: Chosen = {}
    for pid, hits in chosen.items():
        p = known[pid]
        under = p.kind == "heading" and any(
            known[q].kind != "heading" and (known[q].section + SECTION_SEP).startswith(p.section + SECTION_SEP)
            for q in out)
        if not under:
            out[pid] = hits
    return out


def _topic_of(p: Passage) -> str:
    """A paragraph's place in the document's topics: its section path, less the role heading."""
    parts = p.section.split(SECTION_SEP)
    return SECTION_SEP.join(parts[:-1] if p.role and len(parts) > 1 else parts)


_BOTH = re.compile(r"\b(?:both|beide|beiden|allebei)\b", re.I)


def _elsewhere_adding(chosen: Chosen, question: str, known: dict[str, Passage], render: Render | None = None) -> Chosen:
    """A later paragraph under another topic than the best one's stays only where it holds a
    term of the question the best paragraph lacks (as ``_adding``): "What does the Netherlands want
    to raise at the culture ministers' dinner?" also quoted what it will say in the AI debate."""
    from .parts import split  # parts builds on this module

    # two parts asked may be answered under two topics; so may "both" ("… agree to both sets of conclusions?")
    if len(split(question)) > 1 or _BOTH.search(question):
        return chosen
    first = next(iter(chosen))
    if known[first].cited_by:  # a footnote first: its topic is the paragraph that cites it
        return chosen
    home = _topic_of(known[first])
    kept = _adding(chosen, question, known, render, with_section=Tuned.ROLE_ADDS)
    # the role asked, answered first ("Gaat Nederland instemmen …?" by the Dutch position): the same topic's
    # other roles (its background) are elsewhere too
    asked = asked_roles(question) - block_roles() if Tuned.ROLE_ADDS else set()
    in_role = asked and known[first].role in asked

    def elsewhere(p: Passage, hits: list[SentenceHit]) -> bool:
        if _topic_of(p) != home:
            return True
        # a quoted sentence that states the role asked is in it (Tuned.VOICED): "Het kabinet vindt …"
        return bool(in_role and p.role and p.role not in asked
                    and not (Tuned.VOICED and any(voiced_role(p.text[h.start:h.end]) in asked for h in hits)))

    # a footnote sits under "Voetnoten", not under the topic of the sentence it is a note to
    return {pid: hits for pid, hits in chosen.items()
            if pid in kept or not elsewhere(known[pid], hits) or known[pid].cited_by}


def with_blocks(chosen: Chosen, question: str, known: dict[str, Passage]) -> Chosen:
    """A block asked for is quoted whole: "Voor al uw vragen kan u terecht bij" brings the
    next paragraph of the contact block, "Rebecca Thonander / NEMO …", in document order."""
    blocks = asked_roles(question) & block_roles()
    if not blocks:
        return chosen
    out: Chosen = {}
    for pid, hits in chosen.items():
        p = known.get(pid)
        if p is None or p.role not in blocks:
            out.setdefault(pid, hits)
            continue
        for q in sorted((k for k in known.values() if k.role == p.role and k.doc_id == p.doc_id), key=lambda k: k.number):
            out.setdefault(q.id, hits if q.id == pid else [SentenceHit(q.id, 0, len(q.text), q.score)])
    return out


def said_before(hits: list[SentenceHit], passages: list[Passage], said: str,
                render: Render | None = None) -> list[SentenceHit]:
    """A follow-up's sentences, those the last answer quoted (as written or as shown) scored
    ``Tuned.SAID_BEFORE`` lower: "What will the ministers do about it?" after the high-risk uses
    quoted that list again, not "… zullen de Ministers van OCW … in gesprek gaan"."""
    by_id = {p.id: p for p in passages}
    said = re.sub(r"\s+", " ", said)
    out = []
    for h in hits:
        p = by_id.get(h.para_id)
        texts = [] if p is None else [p.text[h.start:h.end]] + ([render(p, (h.start, h.end)).text] if render else [])
        # (a short sentence, "Zie hieronder.", may be said anywhere)
        again = any(len(t) > 20 and re.sub(r"\s+", " ", t).strip() in said for t in texts)
        out.append(replace(h, score=h.score - Tuned.SAID_BEFORE) if again else h)
    return out


def with_roles_whole(chosen: Chosen, question: str, known: dict[str, Passage]) -> Chosen:
    """A short paragraph of the role a question asks for by its cue is quoted whole: "Hoe reageerden de
    andere lidstaten?" quoted "… positief ontvangen door de andere lidstaten." without the next sentence of
    that block, "De verwachting is dat ze unaniem zullen worden aangenomen." (Tuned.ROLE_WHOLE_CHARS)"""
    roles = asked_roles(question) - block_roles()
    if not roles or not Tuned.ROLE_WHOLE_CHARS:
        return chosen
    out: Chosen = {}
    for pid, hits in chosen.items():
        p = known.get(pid)
        whole = p is not None and p.role in roles and len(p.text) <= Tuned.ROLE_WHOLE_CHARS and p.kind == "paragraph"
        # (sentence by sentence, as chosen ones are: each is shown in the asker's language where rendered)
        out[pid] = ([SentenceHit(pid, a, b, max(h.score for h in hits)) for a, b in split_sentences(p.text)]
                    if whole and hits else hits)
    return out


def _only_item(question: str, noun: str) -> bool:
    """Does ``question`` name nothing but an item by its ordinal and noun (and whose it is: "NEMO's")?"""
    from .ordinal import _ordinals

    return not [t for t in _asked_words(question) if t.kind != "name" and t.word.lower() not in _ordinals()
                and t.word.lower()[:5] != noun[:5]]


def with_item(chosen: Chosen, question: str, passages: list[Passage], known: dict[str, Passage],
              render: Render | None = None) -> Chosen:
    """An item pointed at by its ordinal alone ("Kun je de tweede toelichten?", "the third one"), and
    chosen first, is quoted as its heading and the first paragraph under it, whole: that question had
    quoted four sentences of the second recommendation's paragraph, without its heading or its
    opening sentence. A question that asks something of the item ("What kind of data should AI
    deliver according to NEMO's second recommendation?") keeps the sentences that answer it."""
    ordinal = asked(question)
    # no ordinal, or one that names what it counts and is asked something of ("… according to NEMO's second
    # recommendation?"); "Wat is de eerste aanbeveling van NEMO?" asks only for the item
    if not ordinal or (ordinal[1] and not (Tuned.ITEM_ASKED and _only_item(question, ordinal[1]))):
        return chosen
    lead_in = (lambda p: render(p, (0, len(p.text))).text) if render is not None else None  # noqa: E731
    items = asked_items(passages, question, lead_in)
    if not chosen or next(iter(chosen)) not in items:
        return chosen
    heads = {h for p in passages for h in p.heads}
    head = next((i for i in items if i in heads and i in known), None)
    under = sorted((i for i in items if i != head and i in known), key=item_place)
    out: Chosen = {}
    for pid in [head, *under[:1]]:
        if pid is not None:  # sentence by sentence: each is shown in the asker's language on its own
            out[pid] = [SentenceHit(pid, a, b, known[pid].score) for a, b in split_sentences(known[pid].text)]
    return out or chosen


# "according to the museum recommendations", "volgens NEMO": who says it, not what is asked
_ATTRIBUTION = re.compile(r"\b(?:according to|volgens|as stated in|zoals (?:vermeld|genoemd) in)\b[^,;?]*", re.I)


def asks_list(question: str, p: Passage, render: Render | None = None) -> bool:
    """Does the question ask for the items a lead-in introduces: a count ("Welke drie …"), or the noun
    the lead-in counts ("aanbevelingen", as shown "recommendations") outside who says it?"""
    if asked_count(question) >= 2:
        return True
    texts = [p.text] + ([render(p, (0, len(p.text))).text] if render is not None else [])
    nouns = {w[:5].lower() for t in texts for m in _COUNT_WORD.finditer(t) for w in m.groups()[1:2] if w}
    return bool(nouns & {w[:5].lower() for w in _WORD.findall(_ATTRIBUTION.sub(" ", question))})


# the noun a "which …" question asks for, past one word of its own ("What are NEMO's recommendations?")
# (and a request to tell or list them: "Tell me about the NEMO recommendations", "Noem de prioriteiten")
_WHICH = re.compile(r"\b(?:welke|which|what are(?: the)?|wat zijn(?: de)?|tell me about(?: the)?|list(?: the)?"
                    r"|vertel (?:me |mij |iets )?over(?: de)?|noem(?: de)?|geef(?: me| mij)?(?: de)?|give me(?: the)?)"
                    r"\s+([\w'’-]+)(?:\s+([\w-]+))?", re.I)


_WHAT = re.compile(r"\W*(?:what|wat)\b", re.I)


def names_listed(question: str, p: Passage, render: Render | None = None) -> bool:
    """Does a "which …" question ask for the noun lead-in ``p`` counts ("Welke aanbevelingen …?" of "De drie
    aanbevelingen …:"; as shown, "recommendations")? Then its list is the answer, not a sentence about them."""
    texts = [p.text] + ([render(p, (0, len(p.text))).text] if render is not None else [])
    nouns = {w[:5].lower() for t in texts for m in _COUNT_WORD.finditer(t) for w in m.groups()[1:2] if w}
    # ... or its verb ("What does NEMO recommend?" of "recommendations")
    verb = bool(_WHAT.match(question)) and any(w[:5].lower() in nouns for w in _WORD.findall(question))
    if not verb and not any(w[:5].lower() in nouns for m in _WHICH.finditer(question) for w in m.groups() if w):
        return False
    # ... and nothing narrower than the list: "Welke aanbevelingen doet NEMO over financiering?" asks for one item
    # (a word generic in either language restricts nothing: "doet")
    both = {t.word.lower() for t in terms(question, "nl")} & {t.word.lower() for t in terms(question, "en")}
    rest = [t for t in terms(question, "en")
            if t.word.lower() in both and t.kind != "name" and t.word[:5].lower() not in nouns]
    return all(any(backed(t, Text(texts, lang), lang) for lang in ("nl", "en")) for t in rest)


def with_lists(chosen: Chosen, passages: list[Passage], known: dict[str, Passage], question: str = "",
               render: Render | None = None) -> Chosen:
    """A chosen lead-in ("De drie aanbevelingen …:") brings the headings it
    introduces: the answer to "what are the three …" names every item. Beside
    other paragraphs, a lead-in whose list the question does not ask for
    (``asks_list``) is left out: "What should AI deliver in terms of data,
    according to the museum recommendations?" was answered with the whole list
    before the one item's sentence that answers it."""
    out: Chosen = {}
    for pid, hits in chosen.items():
        p = known.get(pid)
        if (Tuned.LIST_ASKED and question and p is not None and p.heads and len(chosen) > 1
                and not asks_list(question, p, render)):
            continue
        out.setdefault(pid, hits)
        for h in (p.heads if p else ()):
            if h in known and h not in out:
                unit = known[h]
                out[h] = [SentenceHit(h, 0, len(unit.text), unit.score)]
    return out


def asked_count(question: str) -> int:
    """"Welke vier prioriteiten …" → 4: the question asks for that many items."""
    for w in _WORD.findall(question.lower()):
        if w in COUNT_WORDS:
            return COUNT_WORDS[w]
    return 0


def with_enumeration(chosen: Chosen, question: str, sentences: list[SentenceHit], known: dict[str, Passage]) -> Chosen:
    """A question for N items whose best paragraph announces them ("De
    Raadsconclusies formuleren vier prioriteiten. Ten eerste …") is answered
    with the announcing sentence and the N that follow, not with two of them."""
    if not chosen:
        return chosen
    top = next(iter(chosen))
    p = known.get(top)
    if p is None or p.heads:  # a lead-in's list is its headings (with_lists)
        return chosen
    n = asked_count(question) or _announced(p, chosen[top], question, sentences)
    if n < 2:
        return chosen
    own = sorted((h for h in sentences if h.para_id == top), key=lambda h: h.start)
    words = "|".join(w for w, k in COUNT_WORDS.items() if k == n) + f"|{n}"  # in the source's language too
    start = next((i for i, h in enumerate(own) if re.search(rf"\b({words})\b", p.text[h.start:h.end], re.I)), None)
    if start is None or len(own) - start < n:
        return chosen
    return {top: own[start:start + n + 1], **{k: v for k, v in chosen.items() if k != top}}


# the sentence after an announcement that opens its enumeration ("Ten eerste …", "First, …")
_FIRST_ITEM = re.compile(r"^\W*(?:ten eerste|allereerst|eerst|first(?:ly)?|1[.)])\b", re.I)


def _announced(p: Passage, quoted: list[SentenceHit], question: str, sentences: list[SentenceHit]) -> int:
    """How many items a quoted sentence announces of a noun the question names, when the question
    gives no count: "What are the priorities of …?" quoted "De Raadsconclusies formuleren vier
    prioriteiten." without the four sentences after it ("prior…" in either language). Only an
    announcement that ends its sentence and is followed by its first item ("Ten eerste …"): "vier
    risicocategorieën (onacceptabel, hoog, …)" lists them itself. Not for a question that names
    one item by its ordinal ("the fourth priority")."""
    if asked_number(question):
        return 0
    asked = {w[:5] for w in _WORD.findall(question.lower()) if len(w) > 4}
    after = {h.start: h for h in sentences if h.para_id == p.id}
    for h in quoted:
        sentence = p.text[h.start:h.end].rstrip()
        nxt = min((s for s in after.values() if s.start >= h.end), key=lambda s: s.start, default=None)
        if nxt is None or not _FIRST_ITEM.match(p.text[nxt.start:nxt.end]):
            continue
        for m in _COUNT_WORD.finditer(sentence):
            ends = not re.search(r"\w", sentence[m.end():])
            if ends and any(w and len(w) > 4 and w[:5].lower() in asked for w in m.groups()[1:]):
                return COUNT_WORDS[m.group(1).lower()]
    return 0


def _with_neighbours(chosen: Chosen, sentences: list[SentenceHit], known: dict[str, Passage],
                     more: Callable[[Passage, SentenceHit, list[SentenceHit]], list[SentenceHit]]) -> Chosen:
    """Each chosen sentence with the sentences of its own paragraph that ``more`` says belong
    to it, once each, in reading order when any were added."""
    out: Chosen = {}
    for pid, hits in chosen.items():
        p = known.get(pid)
        own = sorted((h for h in sentences if h.para_id == pid), key=lambda h: h.start)
        picked = list(hits)
        for h in hits:
            for x in (more(p, h, own) if p is not None else []):
                if all(y.start != x.start for y in picked):
                    picked.append(x)
        out[pid] = sorted(picked, key=lambda h: h.start) if len(picked) > len(hits) else picked
    return out


def with_antecedents(chosen: Chosen, sentences: list[SentenceHit], known: dict[str, Passage]) -> Chosen:
    """A chosen sentence that opens by pointing back ("Dit betekent dat …", "Daarom …",
    "This means …") is quoted with the sentence before it in its paragraph: alone, it
    leaves out what it points to, often the very reason or subject asked for."""
    if not Tuned.ANTECEDENTS:
        return chosen

    def before(p: Passage, h: SentenceHit, own: list[SentenceHit]) -> list[SentenceHit]:
        earlier = [x for x in own if x.end <= h.start]
        return earlier[-1:] if leans_back(p.text[h.start:h.end]) else []

    return _with_neighbours(chosen, sentences, known, before)


def _cites(note: Passage, sentence: str) -> bool:
    """Is ``sentence`` the one that refers to footnote ``note`` (its ``cited_by``), whitespace aside?"""
    a, b = " ".join(note.cited_by.split()), " ".join(sentence.split())
    return bool(a and b) and (a in b or b in a)


def bare_reference(text: str) -> bool:
    """Is ``text`` a reference and little else ("Tweede Kamer, vergaderjaar 2022–2023, 36 200 VIII, nr. 251")?
    It says which paper, not what the paper is: the sentence citing it does ("… de brief Aandachtig
    Digitaliseren")."""
    return bool(_REF.search(text)) and len(re.findall(r"[a-zà-ÿ]{3,}", text, re.I)) <= 4


def with_citing(chosen: Chosen, known: dict[str, Passage]) -> Chosen:
    """A footnote quoted from its opening that points back ("Hierbij gaat het onder meer om
    AI-systemen …") is quoted after the sentence that cites it (``cited_by``), in the paragraph
    that cites it: the footnote only elaborates it, and that sentence holds what it is about
    ("… worden als hoog-risico aangemerkt")."""
    if not Tuned.CITING:
        return chosen
    out: Chosen = {}
    for pid, hits in chosen.items():
        note = known.get(pid)
        if note and note.cited_by and hits and (leans_back(note.text[min(h.start for h in hits):])
                                                or (Tuned.CITING_REFERENCE and bare_reference(note.text))):
            for q in known.values():
                if pid not in q.footnotes or q.doc_id != note.doc_id:
                    continue
                span = next(((a, b) for a, b in split_sentences(q.text) if _cites(note, q.text[a:b])), None)
                if span and not any(h.start == span[0] for h in out.get(q.id, []) + chosen.get(q.id, [])):
                    out.setdefault(q.id, []).append(SentenceHit(q.id, span[0], span[1], q.score))
                break
        out.setdefault(pid, []).extend(hits)
    return out


def with_items(chosen: Chosen, sentences: list[SentenceHit], known: dict[str, Passage]) -> Chosen:
    """A chosen lead-in ending in ':' is quoted with the list items that follow it in its paragraph
    ("Voor deze Raad staan de volgende stukken ter vaststelling geagendeerd:" and its two '- …'
    lines): the items are the answer, and each scored a little below the lead-in."""
    if not Tuned.LIST_ITEMS:
        return chosen

    def items(p: Passage, h: SentenceHit, own: list[SentenceHit]) -> list[SentenceHit]:
        if not p.text[h.start:h.end].rstrip().endswith(":"):
            return []
        out = []
        for x in (x for x in own if x.start >= h.end):
            if not _LIST_ITEM.match(p.text[x.start:x.end]):
                break
            out.append(x)
        return out

    return _with_neighbours(chosen, sentences, known, items)


def with_notes(chosen: Chosen, question: str, known: dict[str, Passage]) -> Chosen:
    """A question for the source of a statement ("which report recommended this?", "in welk kamerstuk …")
    gets the footnotes its quoted sentences point to (a footnote unit keeps the sentence that cites it,
    ``cited_by``): the letter names its sources there."""
    q = question.lower()
    if not Tuned.NOTES or not any(re.search(rf"\b{re.escape(c)}", q) for c in _source_cues()):
        return chosen
    notes = [p for p in known.values() if p.cited_by]
    out: Chosen = dict(chosen)
    for pid, hits in chosen.items():
        p = known.get(pid)
        for h in hits if p else ():
            for note in notes:
                if note.doc_id == p.doc_id and note.id not in out and _cites(note, p.text[h.start:h.end]):
                    out[note.id] = [SentenceHit(note.id, 0, len(note.text), note.score)]
    return out


@lru_cache(maxsize=1)
def _source_cues() -> tuple[str, ...]:
    return tuple(c for lang in ("nl", "en") for c in language_file(LEXICON_DIR, lang).get("source_cues", []))


def write(lang: str, passages: dict[str, Passage], chosen: Chosen, render: Render | None = None,
          question: str = "") -> Composed:
    """The answer from the chosen sentences, verbatim (or in their labelled
    translation), each followed by its marker; markers in order of appearance.
    For a "when" ``question``, a quote without a date of its own is led by the
    dated heading it sits under (``heading_date``), in the asker's language."""
    words = _asked_words(question) if question and Tuned.HEADING_DATE and answer_type(question) == "time" else []
    asked = events(question) if words and Tuned.EVENT_DATED else set()
    heading_shown = (lambda h: render(_Heading(h), (0, len(h))).text) if render is not None else None  # noqa: E731
    citations: list[Citation] = []
    lines, plain = [], []
    translated = False
    for n, (pid, hits) in enumerate(chosen.items(), start=1):
        p = passages[pid]
        hits = sorted(hits, key=lambda h: h.start)  # document order reads naturally
        shown = [render(p, (h.start, h.end)) if render else Shown(p.text[h.start:h.end], False, p.text[h.start:h.end])
                 for h in hits]
        quote = " ".join(x.text for x in shown)
        mark = f" ({msg(lang, 'translated_mark')})" if any(x.translated for x in shown) else ""
        translated = translated or bool(mark)
        dated = (heading_date(p.section, [p.text[h.start:h.end] for h in hits] + [x.text for x in shown], words,
                              heading_shown) if words and not _dates_event(quote, asked) else None)
        lead = f"{heading_shown(dated) if heading_shown is not None else dated}: " if dated else ""
        lines.append(f"- {lead}“{quote}” [{n}]{mark}")
        # a refusal cites the nearest thing undated: a day's heading there would read as the answer
        plain.append(f"- “{quote}” [{n}]{mark}")
        citations.append(Citation.of(p, n, tuple((h.start, h.end) for h in hits),
                                     shown=tuple(x.text for x in shown), translated=bool(mark)))
    key = "intro_single" if len(lines) == 1 else "intro"
    intro = msg(lang, key + "_translated" if translated else key)
    return Composed(intro + "\n\n" + "\n".join(lines), citations, False, quotes="\n".join(plain))


def choose(question: str, passages: list[Passage], sentences: list[SentenceHit], min_score: float,
           max_citations: int = 3, max_sentences: int | None = None,
           known: dict[str, Passage] | None = None, render: Render | None = None,
           one_fact: bool = True, typed: bool = True, context: str = "") -> tuple[Chosen, str, dict[str, Passage]]:
    """What the quotes answer quotes (with its lists and enumerations), the
    refusal reason when nothing, and every paragraph it may quote by id."""
    known = {**{p.id: p for p in passages}, **(known or {})}
    chosen, reason = select(question, passages, sentences, min_score, max_citations, max_sentences, render, one_fact,
                            typed, context)
    if not chosen:
        return {}, reason, known
    chosen = with_item(chosen, question, passages, known, render)
    chosen = with_antecedents(with_enumeration(chosen, question, sentences, known), sentences, known)
    chosen = with_citing(with_items(chosen, sentences, known), known)
    chosen = with_roles_whole(with_blocks(with_notes(chosen, question, known), question, known), question, known)
    return with_lists(chosen, passages, known, question, render), "", known


def compose(question: str, lang: str, passages: list[Passage], sentences: list[SentenceHit],
            min_score: float, max_citations: int = 3, max_sentences: int | None = None, render: Render | None = None,
            known: dict[str, Passage] | None = None, one_fact: bool = True, context: str = "") -> Composed:
    """The quotes answer: sentences chosen by scoring, written by ``write``. ``context``: the
    question a follow-up leans on ("Were they adopted as proposed?" after "Tell me about the targets …")."""
    chosen, reason, known = choose(question, passages, sentences, min_score, max_citations, max_sentences, known, render,
                                   one_fact, context=context)
    if chosen:
        return write(lang, known, chosen, render, dating(question, context))
    if Tuned.TYPED_NEAREST and reason.startswith(UNTYPED):
        # no figure, date or frequency near the top, but the topic is there: say so, and what the sources
        # do say ("How many member states support the influencer conclusions?": what those ask of them)
        near, _, known = choose(question, passages, sentences, min_score, max_citations, max_sentences, known, render,
                                one_fact, typed=False, context=context)
        if near:
            nearest = write(lang, known, near, render)
            kind = reason[len(UNTYPED):]
            return replace(nearest, text=with_nearest(lang, msg(lang, f"typed_refusal_{kind}"), nearest.quotes),
                           refused=True, reason=reason)
    return Composed(msg(lang, "refusal"), [], True, reason)
