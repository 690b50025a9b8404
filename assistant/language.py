"""Decide whether a question is Dutch or English.

langdetect alone calls many short Dutch questions Afrikaans; comparing only
its Dutch and English probabilities (Afrikaans counted as Dutch) is reliable,
and words that exist in only one of the two languages outvote it on short text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from settings import Tuned

DetectorFactory.seed = 0  # deterministic answers for the same question

_NL = set("de het een en van op dat die niet wat welk welke wie waar wanneer hoe hoeveel waarom voor met zijn "
          "er ook aan bij naar over om te wordt worden nederland kabinet daarvan deze dit heeft hebben zal kan".split())
_EN = set("the a an and of on that not what which who where when how why many much for with are was "
          "does do did to by from about this these will can should has have their letter say says".split())

# the word a question opens with frames it: "Wat zijn communities of practice?" is a Dutch
# question about an English term (langdetect and the "of" voted English)
_OPENS_NL = set("wat welk welke wie waar waarom wanneer hoe hoeveel waarover waarvoor wiens".split())
_OPENS_EN = set("what which who whom whose where why when how".split())
OPENER = 1.0
_OTHER_SCRIPT = re.compile(r"[^\W\d_\u0000-\u024f]")  # a letter outside the Latin scripts (Arabic, Cyrillic, …)

# also everyday German, French or Spanish: they do not tell Dutch or English from those
_SHARED = {"die", "wie", "er", "was", "an", "will", "de", "en", "a", "on", "in", "van"}


@dataclass(frozen=True)
class Detected:
    lang: str  # "nl" or "en": the language to answer in
    supported: bool  # False when the text is clearly neither Dutch nor English
    guess: str  # langdetect's own best guess, for messages and logs


# a name of two or more capitalised words, maybe joined by a short word ("European Data Space for
# Cultural Heritage", "Innovation and Integrity"): Dutch askers quote English names, and the name's
# words outvoted the Dutch around it ("Wat is de European Data Space …?" was answered in English)
# A question word is no part of a name: "Which French museums use AI?" had kept "museums use AI" alone,
# which langdetect read as Estonian, and the question was refused as another language
# ... nor is the verb a yes/no question opens with: "Was the NEMO conference in Amsterdam?" had left
# "conference in Amsterdam" alone, and was answered in Dutch
_YES_NO = set("is are was were does do did has have had will can could should would "
              "wordt worden werd werden heeft hebben had kan kunnen zal zullen moet moeten gaat vond".split())
_NAME = re.compile(r"\b(?!(?:" + "|".join(sorted(w.capitalize() for w in _OPENS_NL | _OPENS_EN | _YES_NO)) + r")\b)"
                   r"[A-Z][\w+-]*(?:\s+(?:(?:for|of|and|the|in|van|voor|de|het|en)\s+)?[A-Z][\w+-]*)+")


def detect(text: str) -> Detected:
    plain = _NAME.sub(" ", text)
    text = plain if re.search(r"[a-zà-ÿ]{2,}", plain) else text
    words = set(re.findall(r"[a-zà-ÿ']+", text.lower()))
    nl_votes = sum(w in _NL for w in words)
    en_votes = sum(w in _EN for w in words)
    try:
        probs = {p.lang: p.prob for p in detect_langs(text)}
    except LangDetectException:  # no letters at all
        probs = {}
    guess = max(probs, key=probs.get) if probs else "unknown"
    p_nl = probs.get("nl", 0.0) + probs.get("af", 0.0)
    p_en = probs.get("en", 0.0)
    first = next(iter(re.findall(r"[a-zà-ÿ']+", text.lower())), "")
    score_nl = p_nl + 0.15 * nl_votes + OPENER * (first in _OPENS_NL)
    score_en = p_en + 0.15 * en_votes + OPENER * (first in _OPENS_EN)
    if nl_votes and not en_votes:  # function words outvote langdetect on short text
        lang = "nl"
    elif en_votes and not nl_votes:
        lang = "en"
    else:
        lang = "nl" if score_nl > score_en else "en" if score_en > score_nl else "nl"
    # only a confident detection of a third language, with hardly any Dutch or
    # English function words, counts as unsupported: short questions are noisy
    # ("Wat zegt NEMO?" reads as German to langdetect; "wat" settles it)
    own = len((words & (_NL | _EN)) - _SHARED)
    # a few search words in Latin script ("erasmus plus" reads as Lithuanian) are too few to tell a
    # language by: they are searched as they are, not refused
    keywords = (Tuned.KEYWORDS_ANY_LANGUAGE and len(re.findall(r"[a-zà-ÿ']+", text.lower())) <= 3
                and not _OTHER_SCRIPT.search(text))
    supported = keywords or not (probs and guess not in ("nl", "af", "en") and probs[guess] >= 0.9
                                 and p_nl + p_en < 0.05 and max(nl_votes, en_votes) < 2 and not own)
    return Detected(lang, supported, guess)
