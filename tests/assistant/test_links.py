from __future__ import annotations

from assistant.links import asks_for_link, bare_link


def test_a_web_address_alone_is_a_bare_link_a_sentence_with_one_is_not():
    assert bare_link("https://www.slo.nl/publicaties/@23474/conceptkerndoelen-digitale-geletterdheid/")
    assert bare_link("(www.ne-mo.org)")
    assert not bare_link("Zie https://www.slo.nl voor de conceptkerndoelen.")


def test_a_question_for_a_link_or_website_asks_for_one():
    assert asks_for_link("Waar vind ik de conceptkerndoelen?") and asks_for_link("What is NEMO's website?")
    assert not asks_for_link("Welke kerndoelen gaan over digitale geletterdheid?")
