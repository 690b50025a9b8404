"""ask() end to end on the real model and index."""
import shutil
from dataclasses import replace

import pytest

from assistant import AssistantError
from assistant.pipeline import Assistant

pytestmark = pytest.mark.model
TARGET = "kst-21501-34-418#onderwijs-maandag-13-mei-2024/raadsaanbeveling-europa-in-beweging/inhoud/p2"


def test_dutch_target_question(assistant_):
    a = assistant_.ask("Welk streefcijfer geldt voor leermobiliteit in het mbo?")
    assert a.lang == "nl" and not a.refused
    assert "12%" in a.text and "[1]" in a.text
    assert a.citations[0].id == TARGET
    c = a.citations[0]
    assert c.reference == "Kamerstuk 21 501-34, nr. 418" and "Inhoud" in c.section and "12%" in c.text
    assert "12%" in c.text[c.spans[0][0]:c.spans[0][1]]
    assert "AI" in a.label


def test_english_question_same_paragraph(assistant_):
    a = assistant_.ask("What share of vocational students should take part in learning mobility?")
    assert a.lang == "en" and not a.refused
    assert "12%" in a.text and a.text.startswith(("According to the sources", "The sources"))
    assert TARGET in [c.id for c in a.citations]


def test_a_two_part_question_gets_the_part_the_sources_hold_and_hears_which_they_lack(assistant_):
    a = assistant_.ask("Welk streefcijfer geldt voor het mbo en hoeveel geld trekt de Commissie uit voor musea?")
    assert not a.refused and "12%" in a.text and a.citations[0].id == TARGET
    assert "‘Hoeveel geld trekt de Commissie uit voor musea?’ geven de bronnen geen antwoord" in a.text


def test_not_in_sources(assistant_):
    a = assistant_.ask("Hoeveel bezoekers trok de conferentie in Brussel?")
    # refused for want of a figure, with the conference's own paragraphs cited as the nearest thing
    assert a.refused and a.lang == "nl" and a.text.startswith("Dit staat niet in de bronnen: de gevonden zinnen "
                                                              "noemen geen getal")
    assert a.citations and all(c.doc_id == "nemo-ai-musea-2024" for c in a.citations)
    assert "Probeer een andere formulering" not in a.text  # the nearest thing is the hint
    often = assistant_.ask("Hoe vaak komt de Cultuurraad per jaar bijeen?")
    assert often.refused and "zeggen niet hoe vaak" in often.text
    # a topic the sources name elsewhere but the answer lacks
    lunch = assistant_.ask("What did the Netherlands say about the teacher shortage?")
    assert lunch.refused and lunch.lang == "en" and "teacher" in lunch.text.split("\n")[0]
    # and the topic's own section, in the role asked for
    received = assistant_.ask("How did the other member states receive the conclusions on data-driven audience "
                              "development?")
    assert not received.refused and "datagedreven" in received.citations[0].section
    assert "krachtenveld" in received.citations[0].id


def test_a_when_question_whose_dates_are_about_something_else_is_refused_with_them_cited(assistant_):
    # the letter names the AI Act, and dates beside "AI" (guidelines of 2022, a plan for 2021–2027),
    # never its entry into force; a date beside the question's own subject stands
    a = assistant_.ask("Wanneer treedt de AI-verordening volledig in werking?")
    assert a.refused and a.text.startswith("Dit staat niet in de bronnen: de gevonden zinnen noemen geen datum")
    assert "Wel zeggen de bronnen:" in a.text and a.citations
    en = assistant_.ask("When does the AI Act fully enter into force?")
    assert en.refused and en.text.startswith("This is not in the sources: the sentences found give no date")
    kept = assistant_.ask("Wanneer publiceerde de Europese Commissie haar aanbeveling over leermobiliteit?")
    assert not kept.refused and "15 november" in kept.text


def test_off_topic_refused_in_english(assistant_):
    a = assistant_.ask("Who is the Dutch prime minister?")
    assert a.refused and a.lang == "en" and "not in the sources" in a.text


def test_filters_narrow_sources(assistant_):
    a = assistant_.ask("Wat wordt er gezegd over AI?", filters={"doc_id": "nemo-ai-musea-2024"})
    assert a.retrieved and all(p.doc_id == "nemo-ai-musea-2024" for p in a.retrieved)
    with pytest.raises(AssistantError) as e:
        assistant_.ask("Wat wordt er gezegd over AI?", filters={"colour": "red"})
    assert e.value.code == "bad_filter"


def test_follow_up_uses_history(assistant_):
    history = [{"role": "user", "content": "Welk streefcijfer geldt voor leermobiliteit in het mbo?"},
               {"role": "assistant", "content": "…"}]
    a = assistant_.ask("En wat vindt Nederland daarvan?", history=history)
    assert a.lang == "nl" and not a.refused
    assert any("leermobiliteit" in p.text or "streefcijfers" in p.text for p in a.retrieved[:3])


@pytest.mark.parametrize("q, code", [
    ("", "empty_question"), ("   \n\t ", "empty_question"),
    ("Welk streefcijfer geldt? " * 4000, "question_too_long"),
    ("Welche Zielvorgabe gilt für die Lernmobilität in der beruflichen Bildung?", "unsupported_language"),
])
def test_bad_input(assistant_, q, code):
    with pytest.raises(AssistantError) as e:
        assistant_.ask(q)
    assert e.value.code == code and str(e.value)


def test_a_short_question_in_the_sources_words_is_asked_in_their_language(assistant_, monkeypatch):
    # langdetect reads "Telt virtuele mobiliteit mee?" as Estonian: most of its words are the letter's
    a = assistant_.ask("Telt virtuele mobiliteit mee?", mode="extractive")
    assert a.lang == "nl" and not a.refused and "Virtuele mobiliteit" in a.text
    from settings import Tuned

    monkeypatch.setattr(Tuned, "CORPUS_WORDS", False)
    with pytest.raises(AssistantError) as e:
        assistant_.ask("Telt virtuele mobiliteit mee?", mode="extractive")
    assert e.value.code == "unsupported_language"


def test_missing_index(built, tmp_path):
    a = Assistant(replace(built, data_dir=tmp_path / "nothing"))
    with pytest.raises(AssistantError) as e:
        a.ask("Welk streefcijfer geldt voor leermobiliteit in het mbo?")
    assert e.value.code == "index_missing" and "python -m index build" in str(e.value)


def test_corrupt_index(built, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(built.data_dir, data)
    db = data / "chroma" / "chroma.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    a = Assistant(replace(built, data_dir=data))
    with pytest.raises(AssistantError) as e:
        a.ask("What share of vocational students should take part in learning mobility?")
    assert e.value.code == "index_corrupt" and "python -m index build" in str(e.value)
    assert e.value.lang == "en"


def test_answer_language_can_be_chosen(assistant_):
    a = assistant_.ask("Welk streefcijfer geldt voor leermobiliteit in het mbo?", language="en")
    assert a.lang == "en" and a.text.startswith(("According to the sources", "The sources")) and "12%" in a.text
    assert a.label.startswith("AI-generated")
    auto = assistant_.ask("Welk streefcijfer geldt voor leermobiliteit in het mbo?", language="auto")
    assert auto.lang == "nl"
    with pytest.raises(AssistantError) as e:
        assistant_.ask("Welk streefcijfer geldt voor leermobiliteit in het mbo?", language="de")
    assert e.value.code == "bad_language" and "'de'" in e.value.message()
