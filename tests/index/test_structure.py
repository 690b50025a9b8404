"""Document structure as content: headings that state something are citable
units, a lead-in is linked to the headed sections it introduces, the header
card carries date and reference, and parliamentary section roles are read from
data — in Markdown sources and in a user's DOCX alike."""
from __future__ import annotations

from pathlib import Path

from index.loaders import load_file
from index.paragraphs import split_paragraphs
from index.roles import (block_roles, closing_role, content_role, demoted_roles, heading_role, question_roles,
                         role_boosts, section_role)
from index.sources import load_document, load_sources

REPO = Path(__file__).resolve().parents[2]


def test_the_three_recommendations_are_citable_headings_linked_to_their_lead_in():
    nemo = next(d for d in load_sources(REPO / "sources") if d.id == "nemo-ai-musea-2024")
    units = {p.id: p for p in split_paragraphs(nemo)}
    lead = next(p for p in units.values() if p.text.startswith("De drie aanbevelingen aan beleidsmakers"))
    assert [units[h].text for h in lead.heads] == [
        "1. Een politieke visie voor musea en cultureel erfgoed in een AI-gedreven samenleving",
        "2. Financiële investeringen om AI succesvol toe te passen in het publieke culturele domein",
        "3. Oprichting van een Europese AI-innovatiehub voor cultureel erfgoed"]
    for h in lead.heads:
        unit = units[h]
        assert unit.kind == "heading" and unit.id.endswith("/h")
        # offsets point at the heading line in the file, so the source pane can show it
        assert nemo.text[unit.start:unit.end].lstrip("# ") == unit.text
    # the paragraphs under the headings keep their ids
    assert "nemo-ai-musea-2024#1-een-politieke-visie-voor-musea-en/p1" in units


def test_header_card_carries_the_date_and_reference():
    nemo = next(d for d in load_sources(REPO / "sources") if d.id == "nemo-ai-musea-2024")
    card = split_paragraphs(nemo)[0]
    assert card.id == "nemo-ai-musea-2024#header" and card.kind == "header" and card.number == 0
    assert "Persbericht NEMO, 21 maart 2024" in card.text and "NEMO - Network of European Museum" in card.text
    # a block a question can ask for by cue ("When was the press release published?")
    assert card.role == "header" and block_roles() == {"header", "contact", "signature"}
    assert question_roles("When was the NEMO press release published?", "en") == ["header"]  # 'a … b' cue
    assert question_roles("Wanneer is het persbericht van NEMO verschenen?", "nl") == ["header"]
    assert question_roles("When was the letter written?", "en") == ["header"]
    assert question_roles("Wanneer werd de brief verstuurd?", "nl") == ["header"]
    # ... the letter by what it is, an annotated agenda
    assert question_roles("Van wanneer is de geannoteerde agenda?", "nl") == ["header"]
    assert question_roles("When was the annotated agenda written?", "en") == ["header"]
    # a stance asked for is the position ("Welke houding neemt Nederland in …" had quoted the presidency's agenda)
    assert question_roles("Welke houding neemt Nederland in bij het AI-debat?", "nl") == ["position"]
    assert question_roles("What stance does the Netherlands take in the AI debate?", "en") == ["position"]
    assert question_roles("When was the agenda of the Council published?", "en") == []
    assert question_roles("On which date was the letter sent?", "en") == ["header"]
    assert question_roles("Op welke datum is de brief verzonden?", "nl") == ["header"]
    assert question_roles("Waar kan ik terecht met vragen over het persbericht?", "nl") == ["contact"]
    assert question_roles("Where can I send questions about the press release?", "en") == ["contact"]
    # whom others should contact, and where one turns with questions
    assert question_roles("Who should journalists contact about the press release?", "en") == ["contact"]
    assert question_roles("Bij wie kunnen journalisten terecht met vragen?", "nl") == ["contact"]
    assert question_roles("Bij wie kunnen scholen terecht voor hulp bij AI?", "nl") == []  # organisations, not a contact
    # the expected outcome of the vote is part of where the member states stand (Indicatie krachtenveld)
    assert question_roles("Wat verwacht men van de stemming over de conclusies?", "nl") == ["forces"]
    assert question_roles("Will the conclusions be adopted unanimously?", "en") == ["forces"]
    assert question_roles("Welke Raadsconclusies worden aangenomen tijdens de Onderwijsraad?", "nl") == []


def test_annotated_agenda_sections_get_their_roles():
    kst = next(d for d in load_sources(REPO / "sources") if d.id == "kst-21501-34-418")
    paras = split_paragraphs(kst)
    influencers = [p for p in paras if "steun-aan" in p.id and p.kind == "paragraph"]
    roles = {p.id.rsplit("/", 2)[-2]: p.role for p in influencers}
    assert roles == {"achtergrond": "background", "nederlandse-inzet": "position", "indicatie-krachtenveld": "forces"}
    # "Inbreng Nederland" and "Inzet Nederland" are the same role under another name
    assert {p.role for p in paras if "/inbreng-nederland/" in p.id or "/inzet-nederland/" in p.id} == {"position"}
    # role labels are not statements: no heading unit for them
    assert not [p for p in paras if p.kind == "heading" and heading_role(p.text)]


def test_who_attends_is_a_role_the_paragraph_has_by_what_it_says():
    kst = next(d for d in load_sources(REPO / "sources") if d.id == "kst-21501-34-418")
    attending = [p for p in split_paragraphs(kst) if p.role == "attendance"]
    # the letter's opening lines (under no heading): the Council, and the ministers' dinner
    assert [p.id for p in attending] == ["kst-21501-34-418#p3", "kst-21501-34-418#p5"]
    assert content_role("De Staatssecretaris zal hieraan deelnemen.") == "attendance"
    assert content_role("The State Secretary will attend the Council.") == "attendance"
    # "Musea moeten deelnemen aan het gesprek" is not who attends a meeting
    assert content_role("Musea moeten deelnemen aan het gesprek over de kracht van AI.") == ""
    assert content_role("Ik zal hieraan deelnemen. " + "Zeer lang. " * 60) == ""  # a long paragraph says more
    for q, lang in (("Wie gaat namens Nederland naar de Cultuurraad?", "nl"),
                    ("Wie neemt deel aan het werkdiner?", "nl"), ("Who attends the Education Council?", "en"),
                    # ... and whether the minister attends, asked yes or no
                    ("Will the minister attend the Education Council himself?", "en"),
                    ("Gaat de staatssecretaris naar de Cultuurraad?", "nl"), ("Wie gaat daarheen?", "nl")):
        assert question_roles(q, lang) == ["attendance"], q
    assert question_roles("Wie organiseerde de conferentie?", "nl") == []
    # its words are not the question's: asked for, it is ranked up more than a section role
    assert role_boosts()["attendance"] > role_boosts()["position"] == 1.0
    assert "attendance" not in block_roles()


def test_a_press_releases_contact_block_is_a_demoted_role_a_question_can_ask_for():
    nemo = next(d for d in load_sources(REPO / "sources") if d.id == "nemo-ai-musea-2024")
    paras = split_paragraphs(nemo)
    contact = [p for p in paras if p.role == "contact"]
    assert [p.text for p in contact] == ["Voor al uw vragen kan u terecht bij", "Rebecca Thonander / NEMO thonander@ne-mo.org"]
    assert not [p for p in paras if p.kind == "heading" and "contact" in p.text.lower()]  # a label, not a statement
    assert demoted_roles() == {"contact", "signature", "header"}
    assert question_roles("Who can I contact about the press release?", "en") == ["contact"]
    assert question_roles("Bij wie kan ik terecht met vragen over het persbericht?", "nl") == ["contact"]
    assert question_roles("Welke drie aanbevelingen doet NEMO?", "nl") == []


def test_a_letters_signature_is_a_role_by_how_it_opens():
    kst = next(d for d in load_sources(REPO / "sources") if d.id == "kst-21501-34-418")
    signed = [p for p in split_paragraphs(kst) if p.role == "signature"]
    assert [p.text for p in signed] == ["De Minister van Onderwijs, Cultuur en Wetenschap, R.H. Dijkgraaf"]
    assert closing_role("De Minister van Onderwijs, Cultuur en Wetenschap,\nR.H. Dijkgraaf") == "signature"
    # a long paragraph that opens the same way is content, not a signature
    assert closing_role("De Minister van Onderwijs heeft besloten dat " + "de regeling blijft. " * 12) == ""
    assert question_roles("Wie heeft de brief ondertekend?", "nl") == ["signature"]
    assert question_roles("Who signed the letter on the Council?", "en") == ["signature"]
    # the document named by its kind rather than "de brief" ("… de geannoteerde agenda ondertekend?")
    assert question_roles("Wie heeft de geannoteerde agenda ondertekend?", "nl") == ["signature"]
    assert question_roles("Who wrote the annotated agenda?", "en") == ["signature"]
    # a block comes first when asked for, so its cues are phrases that ask for it, not a word in passing
    assert "signature" not in question_roles("Which member states signed the declaration?", "en")
    assert "contact" not in question_roles("Did the Netherlands have contact with other member states?", "en")
    assert question_roles("Met wie kan ik contact opnemen over het persbericht?", "nl") == ["contact"]


def test_question_cues_ask_for_roles_in_both_languages():
    assert question_roles("What does the minister think of the Council conclusions on influencers?", "en") == ["position"]
    assert question_roles("Wat vindt Nederland van de Raadsconclusies?", "nl") == ["position"]
    assert "forces" in question_roles("How did the other member states receive the recommendation?", "en")
    assert "forces" in question_roles("Hoe staan de andere lidstaten tegenover de conclusies?", "nl")
    assert question_roles("Welk streefcijfer geldt voor het mbo?", "nl") == []
    # what the Netherlands asked or did is its position too
    assert question_roles("Wat heeft Nederland het voorzitterschap gevraagd?", "nl") == ["position"]
    assert question_roles("What did the Netherlands ask the presidency to change?", "en") == ["position"]
    # in the past tense too: "Wat vond Nederland …" had ranked the Achtergrond first
    assert question_roles("Wat vond Nederland van de voorgestelde streefcijfers?", "nl") == ["position"]
    assert question_roles("What did the minister think of the targets?", "en") == ["position"]
    assert section_role(("Cultuur", "Raadsconclusies", "Nederlandse inzet")) == "position"
    assert section_role(("Cultuur",)) == ""


def test_a_users_docx_with_agenda_headings_gets_roles_headings_and_a_list(tmp_path):
    import docx

    d = docx.Document()
    d.core_properties.title = "Geannoteerde agenda Cultuurraad"
    d.core_properties.author = "Ministerie van OCW"
    d.add_heading("Geannoteerde agenda Cultuurraad", 0)
    d.add_heading("Raadsconclusies over digitale musea en erfgoed", 1)
    for heading, text in (("Achtergrond", "Het voorzitterschap stelt voor dat musea hun collecties digitaal ontsluiten."),
                          ("Nederlandse inzet", "Nederland steunt de conclusies en zal ermee instemmen."),
                          ("Indicatie krachtenveld", "De andere lidstaten zijn positief.")):
        d.add_heading(heading, 2)
        d.add_paragraph(text)
    d.add_heading("Aanbevelingen", 1)
    d.add_paragraph("De twee aanbevelingen aan de Commissie:")
    for heading, text in (("1. Een Europees fonds voor digitale collecties", "Een fonds van de Commissie."),
                          ("2. Een netwerk van erfgoedlabs in alle lidstaten", "Labs in elke lidstaat.")):
        d.add_heading(heading, 2)
        d.add_paragraph(text)
    path = tmp_path / "agenda.docx"
    d.save(str(path))

    units = {p.id: p for p in split_paragraphs(load_file(path))}
    by_text = {p.text: p for p in units.values()}
    assert by_text["Nederland steunt de conclusies en zal ermee instemmen."].role == "position"
    assert by_text["Het voorzitterschap stelt voor dat musea hun collecties digitaal ontsluiten."].role == "background"
    assert by_text["De andere lidstaten zijn positief."].role == "forces"
    assert by_text["Raadsconclusies over digitale musea en erfgoed"].kind == "heading"
    lead = by_text["De twee aanbevelingen aan de Commissie:"]
    assert [units[h].text for h in lead.heads] == ["1. Een Europees fonds voor digitale collecties",
                                                   "2. Een netwerk van erfgoedlabs in alle lidstaten"]


def test_a_lead_in_takes_only_the_numbered_run_when_it_names_no_count(tmp_path):
    path = tmp_path / "nota.md"
    path.write_text("---\nid: nota\ntitle: Nota\npublisher: X\ndate: 2024-01-01\nlanguage: nl\nkind: nota\n---\n\n"
                    "# Nota\n\nDe voorstellen:\n\n## 1. Een eerste voorstel voor musea\n\nTekst.\n\n"
                    "## 2. Een tweede voorstel voor archieven\n\nTekst.\n\n## Over de schrijvers van deze nota\n\n"
                    "Wie wij zijn.\n", encoding="utf-8")
    units = {p.id: p for p in split_paragraphs(load_document(path))}
    lead = units["nota#p1"]
    assert [units[h].text for h in lead.heads] == ["1. Een eerste voorstel voor musea",
                                                   "2. Een tweede voorstel voor archieven"]
