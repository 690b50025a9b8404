"""A question that names a list item by its ordinal ("the second recommendation")."""
from __future__ import annotations

from assistant.ordinal import LAST, asked, asked_items, item_of, item_place, prose_item, prose_rank, prose_ranks, under
from assistant.types import Passage


def _p(pid: str, text: str, section: str = "", heads: tuple[str, ...] = ()) -> Passage:
    return Passage(id=pid, text=text, score=0.8, doc_id="d", doc_title="Doc", reference="", section=section,
                   file="d.md", heads=heads)


LEAD = _p("d#p4", "De drie aanbevelingen aan beleidsmakers:", heads=("d#1-visie/h", "d#2-geld/h", "d#3-hub/h"))
ITEM = [_p("d#2-geld/h", "2. Financiële investeringen", "2. Financiële investeringen"),
        _p("d#2-geld/p1", "Er moeten middelen komen.", "2. Financiële investeringen"),
        _p("d#3-hub/p1", "Een hub.", "3. Een hub")]


def test_an_ordinal_before_a_noun_names_a_number():
    assert asked("What kind of data should AI deliver according to NEMO's second recommendation?") == (2, "recommendation")
    assert asked("Wat houdt de derde aanbeveling in?") == (3, "aanbeveling")
    assert asked("What is the 2nd recommendation?") == (2, "recommendation")
    assert asked("Wat vindt Nederland in de eerste plaats?") is None  # an idiom, not an item
    assert asked("First of all, what is the target?") is None
    # naming no noun, an ordinal points at an item only after an article; alone it is an adverb
    assert asked("En de derde?") == (3, "") and asked("What about the third one?") == (3, "")
    assert asked("Why does the Netherlands want the methodology first?") is None
    assert asked("What comes first?") is None
    assert asked("Welk streefcijfer geldt voor het mbo?") is None
    # a follow-up is searched below the question it leans on: each line is read as a question
    assert asked("En wat zegt NEMO over de derde?\nMet welke waarden moet die in overeenstemming zijn?") == (3, "")


def test_the_item_is_the_nth_heading_of_a_lead_in_that_names_the_counted_noun():
    passages = [LEAD, *ITEM]
    assert asked_items(passages, "Wat is de tweede aanbeveling?") == {"d#2-geld/h", "d#2-geld/p1"}
    assert asked_items(passages, "Wanneer is de tweede Raad?") == set()  # the lead-in counts recommendations
    # an English question over a Dutch lead-in: its rendering names the noun
    assert asked_items(passages, "What is the second recommendation?") == set()
    shown = lambda p: "The three recommendations to policy makers:"  # noqa: E731
    assert asked_items(passages, "What is the second recommendation?", shown) == {"d#2-geld/h", "d#2-geld/p1"}
    assert asked_items(passages, "What is the fifth recommendation?", shown) == set()  # only three


def test_an_ordinal_that_names_no_noun_points_at_the_best_ranked_list():
    # a follow-up: "Kun je de tweede toelichten?" after "Wat zijn de drie aanbevelingen?"
    for q, n in (("Kun je de tweede toelichten?", 2), ("Tell me more about the third one.", 3), ("En de derde?", 3)):
        assert asked(q) == (n, ""), q
    assert asked("Wat gebeurt er tijdens de eerste Raad?") == (1, "raad")
    other = _p("d#p9", "Twee punten:", heads=("d#x/h", "d#y/h"))
    # of the lists long enough, the best-ranked (the one for "the third" has three items)
    assert asked_items([LEAD, other, *ITEM], "Kun je de tweede toelichten?") == {"d#2-geld/h", "d#2-geld/p1"}
    assert asked_items([other, LEAD, *ITEM], "En de derde?") == {"d#3-hub/h", "d#3-hub/p1"}


def test_the_last_item_is_the_final_heading_of_its_list():
    # "Tell me more about the last one." after the three recommendations had been refused for 'last'
    assert asked("Tell me more about the last one.") == (LAST, "") and asked("En de laatste?") == (LAST, "")
    assert asked("Wat houdt de laatste in?") == (LAST, "") and asked("Wat houdt de derde in?") == (3, "")  # "houdt … in"
    assert asked("Wat is de laatste aanbeveling van NEMO?") == (LAST, "aanbeveling")
    # ... not "the last years", "de laatste jaren": recent, no list's item
    assert asked("What happened in the last years?") is None and asked("Wat speelde de laatste jaren?") is None
    assert asked_items([LEAD, *ITEM], "Wat is de laatste aanbeveling?") == {"d#3-hub/h", "d#3-hub/p1"}
    assert item_of(LAST, ("a", "b")) == "b" and item_of(2, ("a", "b")) == "b" and item_of(3, ("a", "b")) is None
    assert item_of(LAST, ()) is None and item_of(None, ("a",)) is None


def test_an_items_place_under_its_heading():
    assert [item_place(i) for i in ("d#2-geld/h", "d#2-geld/p1", "d#2-geld/p3", "d#p4")] == [1, 1, 3, 1]


def test_a_headings_section_is_the_ids_under_it_not_a_subsection():
    ids = ["d#2-geld/h", "d#2-geld/p1", "d#2-geld/p2", "d#2-geld/sub/p1", "d#3-hub/p1"]
    assert under("d#2-geld/h", ids) == ["d#2-geld/p1", "d#2-geld/p2"]
    assert under("d#p4", ids) == []  # not a heading unit


PROSE = _p("d#prio/p2", "De Raadsconclusies formuleren vier prioriteiten. Ten eerste moeten actoren iets. "
                        "Ten tweede moeten zij meer. Ten derde moet data. Ten vierde moet het «Learning Lab» verder.")


def test_an_enumeration_in_prose_ranks_its_sentences():
    assert prose_ranks(PROSE.text) == [1, 2, 3, 4]
    assert [prose_rank(s) for s in ("Secondly, they must.", "Second, they must.", "Finally, a hub.",
                                    "Tot slot een hub.", "Tenslotte viel ons op.")] == [2, 2, LAST, LAST, LAST]
    # an ordinal that opens a sentence without the enumeration's form ranks nothing
    assert [prose_rank(s) for s in ("Eerste Kamer en Tweede Kamer.", "First the Commission publishes.",
                                    "Tweede Kamer, vergaderjaar 2019–2020")] == [None, None, None]


def test_an_ordinal_names_a_sentence_of_an_enumeration_in_prose():
    other = _p("d#other/p1", "Tenslotte viel ons op dat de tekst helder is.")  # one ranked sentence: no enumeration
    assert prose_item([other, PROSE], "Wat is de tweede prioriteit?") == ("d#prio/p2", 2)
    assert prose_item([other, PROSE], "En de laatste?") == ("d#prio/p2", 4)  # the highest rank written
    assert prose_item([PROSE], "What is the second priority?", shown=lambda p: "four priorities") == ("d#prio/p2", 2)
    # ... where the paragraph names what the question counts, and has the item
    assert prose_item([PROSE], "Wat is de tweede aanbeveling?") is None
    assert prose_item([PROSE], "Wat is de vijfde prioriteit?") is None
    # a list of headings the question counts, or nearer when it names no noun, is meant instead
    assert prose_item([LEAD, PROSE], "En de laatste?") is None
    assert prose_item([PROSE, LEAD], "En de laatste?") == ("d#prio/p2", 4)
    assert prose_item([LEAD, PROSE], "Wat is de tweede prioriteit?") == ("d#prio/p2", 2)
