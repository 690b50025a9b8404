"""Two-part questions (assistant/parts.py): split at a second clause, and a
refused question answered for the part the sources hold."""
import pytest

from assistant.parts import leans_on_first, split
from fakes import FakeBackend, fake_assistant
from test_pipeline import CORPUS, LOW


@pytest.mark.parametrize("question, parts", [
    ("Welk streefcijfer geldt voor het mbo en hoeveel geld trekt de Commissie uit voor musea?",
     ["Welk streefcijfer geldt voor het mbo?", "Hoeveel geld trekt de Commissie uit voor musea?"]),
    ("Why does the Netherlands want teacher training to respond to AI, and which report recommended this?",
     ["Why does the Netherlands want teacher training to respond to AI?", "Which report recommended this?"]),
    # one question about two facts of one thing, or two subjects of one clause: one part
    ("Wanneer en waar werden de aanbevelingen gepresenteerd?", None),
    ("Wat vinden Nederland en België van de conclusies?", None),
])
def test_a_question_splits_at_its_second_clause_only(question, parts):
    assert split(question) == (parts or [question])


def test_a_part_that_points_back_is_searched_with_the_first():
    assert leans_on_first("Which report recommended this?") and leans_on_first("Wie heeft daarover besloten?")
    assert not leans_on_first("Hoeveel geld trekt de Commissie uit voor musea?")


def test_a_refused_two_part_question_is_answered_for_the_part_the_sources_hold():
    a = fake_assistant(CORPUS, **LOW)
    q = "Welk streefcijfer geldt voor leermobiliteit in het mbo en hoeveel geld trekt Erasmus uit voor UNESCO?"
    assert a.ask("Hoeveel geld trekt Erasmus uit voor UNESCO?").refused  # the second part alone
    answer = a.ask(q)
    assert not answer.refused and "12 procent" in answer.text
    assert "Op de vraag ‘Hoeveel geld trekt Erasmus uit voor UNESCO?’ geven de bronnen geen antwoord." in answer.text
    # the written mode quotes it too (the model's answer could not say which part is lacking)
    written = fake_assistant(CORPUS, backend=FakeBackend("[1]"), writer="select", **LOW).ask(q, mode="generative")
    assert written.text == answer.text and written.backend == "extractive"
    # a part's language is the question's: a few words detection takes for German do not make it an error
    mixed = a.ask("Welk streefcijfer geldt voor leermobiliteit in het basisonderwijs en wie ist der Präsident heute?")
    assert mixed.refused and mixed.lang == "nl"
    # neither part held: refused as one question, as before
    assert a.ask("Hoeveel geld trekt Erasmus uit voor UNESCO en wie leidt de Wereldbank in Genève?").refused


def test_parts_that_ask_for_different_kinds_of_answer_are_answered_apart():
    from assistant.parts import asks_apart

    q = "Welk streefcijfer geldt voor leermobiliteit in het mbo en is Nederland voor de Raadsconclusies over influencers?"
    assert asks_apart(q)  # a figure, then a view
    assert not asks_apart("Wie neemt deel aan de Raad en wie aan het werkdiner van de cultuurministers?")
    assert not asks_apart("Welk streefcijfer geldt voor leermobiliteit in het mbo?")
    # as one question it is a quantity question: only the sentence with the figure would be quoted
    answer = fake_assistant(CORPUS, **LOW).ask(q)
    assert not answer.refused and "12 procent" in answer.text and "instemmen" in answer.text


@pytest.mark.parametrize("question, parts", [
    ("Wat vragen zowel NEMO als de Nederlandse regering over vaardigheden?",
     ["Wat vragen NEMO over vaardigheden?", "Wat vragen de Nederlandse regering over vaardigheden?"]),
    ("What do NEMO and the Dutch government propose as European structures?",
     ["What do NEMO propose as European structures?", "What do the Dutch government propose as European structures?"]),
    ("Wat zeggen de Raad en NEMO over AI?", ["Wat zeggen NEMO over AI?", "Wat zeggen de Raad over AI?"]),
    ("Welke aanbevelingen doen NEMO en ICOM?", ["Welke aanbevelingen doen NEMO?", "Welke aanbevelingen doen ICOM?"]),
    ("What does NEMO recommend about funding and copyright?", ["What does NEMO recommend about funding and copyright?"]),
])
def test_the_same_asked_of_a_publisher_and_another_is_asked_of_each(question, parts):
    assert split(question, ["NEMO"]) == parts


def test_each_subject_is_answered_from_its_own_documents():
    # the publisher's part from its document, the other's from the rest
    from fakes import paragraph

    nemo = paragraph("pers", 5, "Museumprofessionals moeten over de juiste vaardigheden beschikken, schrijft NEMO.",
                     title="Persbericht", section="Financiering", publisher="NEMO - Network of European Museum Organisations")
    dutch = paragraph("brief", 9, "Nederland zal de scholingsregeling voor vaardigheden noemen.",
                      section="Cultuur > Nederlandse inzet", role="position")
    a = fake_assistant(CORPUS + [nemo, dutch], **LOW)
    answer = a.ask("Wat vragen zowel NEMO als de Nederlandse regering over vaardigheden?")
    assert {c.id for c in answer.citations} >= {nemo.id, dutch.id}
