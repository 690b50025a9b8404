"""Idioms that ask for a kind of passage in other words (assistant/idioms.py)."""
from assistant.idioms import searched


def test_a_question_for_what_a_term_means_searches_for_its_definition():
    assert searched("Wat verstaat de Raadsaanbeveling onder leermobiliteit?", "nl") == (
        "Wat verstaat de Raadsaanbeveling onder leermobiliteit? (definitie)")
    assert searched("Wat wordt bedoeld met blended mobiliteit?", "nl").endswith("(definitie)")
    assert searched("What does the recommendation mean by learning mobility?", "en").endswith("(definition)")
    # a question that names the definition already, or asks something else, is searched as asked
    assert searched("Wat is de definitie van leermobiliteit?", "nl") == "Wat is de definitie van leermobiliteit?"
    assert searched("Wat valt op aan de brief?", "nl") == "Wat valt op aan de brief?"
    assert searched("Wie neemt deel aan de Raad?", "nl") == "Wie neemt deel aan de Raad?"
