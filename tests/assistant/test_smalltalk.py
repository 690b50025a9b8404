from __future__ import annotations

import pytest

from assistant.smalltalk import small_talk


@pytest.mark.parametrize("question", [
    "Wat is het weer morgen?", "Hoe laat is het?", "Hoe gaat het met je?", "Dank je wel!", "Goedemorgen",
    "Vertel eens een mop", "What time is it?", "What is the weather in Amsterdam today?", "Thanks", "Hello there!",
    "What can you do?", "  hoi  ",
])
def test_a_whole_greeting_or_question_about_the_world_is_small_talk(question):
    assert small_talk(question)


@pytest.mark.parametrize("question", [
    "Hoe gaat het met de onderhandelingen?", "Wie is de minister?", "What time is the Council meeting?",
    "Wat staat er in de brief over het weer?", "Welke dag is de Raad?", "Who are you quoting?",
    "ok, en wat vindt Nederland daarvan?", "What is the date of the letter?", "Wat is Npuls?",
])
def test_a_question_for_the_sources_is_not_small_talk_whatever_words_it_shares(question):
    assert not small_talk(question)
