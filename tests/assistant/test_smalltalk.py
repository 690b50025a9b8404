from __future__ import annotations

import pytest

from assistant import check
from assistant.smalltalk import language_of, small_talk


@pytest.mark.parametrize("question", [
    "Wat is het weer morgen?", "Hoe laat is het?", "Vertel eens een mop", "What time is it?",
    "What is the weather in Amsterdam today?",
])
def test_a_whole_question_about_the_world_outside_the_sources_is_small_talk(question):
    assert small_talk(question) == "small_talk"


@pytest.mark.parametrize("question", [
    "Hoe gaat het met je?", "Dank je wel!", "Goedemorgen", "Thanks", "Hello there!", "What can you do?", "  hoi  ",
])
def test_a_greeting_or_thanks_is_a_greeting(question):
    assert small_talk(question) == "greetings"


@pytest.mark.parametrize("question", [
    "Hoe gaat het met de onderhandelingen?", "Wie is de minister?", "What time is the Council meeting?",
    "Wat staat er in de brief over het weer?", "Welke dag is de Raad?", "Who are you quoting?",
    "ok, en wat vindt Nederland daarvan?", "What is the date of the letter?", "Wat is Npuls?",
])
def test_a_question_for_the_sources_is_not_small_talk_whatever_words_it_shares(question):
    assert small_talk(question) == ""


def test_a_greeting_langdetect_misreads_is_taken_in_the_language_of_its_wording():
    # langdetect reads "Hallo" as Finnish: the user was told to ask in Dutch or English
    assert language_of("Hallo") == "nl" and language_of("Hello!") == "en" and language_of("Wat is Npuls?") == ""
    assert check.question("Hallo", 2000) == ("Hallo", "nl")
