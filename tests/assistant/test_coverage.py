"""Refusal by coverage on hand-made texts (no model, no index)."""
from assistant.types import Composed
from assistant.coverage import dated_apart, days, gate, names_of_words, terms, uncovered
from assistant.types import Citation

TARGETS = ("De voorstellen voor EU streefcijfers in het hoger beroepsonderwijs en wetenschappelijk onderwijs, "
           "en het middelbaar beroepsonderwijs zijn vastgesteld op respectievelijk 23% en 12%.")
CORPUS = {"nemo", "raad", "commissie", "council", "voortgezet", "onderwijs"}


def knows(word: str) -> bool:
    return word.lower() in CORPUS


def test_terms_leave_out_question_words_and_split_hyphens():
    got = {t.word: t.kind for t in terms("Welk EU-streefcijfer geldt voor het voortgezet onderwijs in 2030?", "nl")}
    assert got == {"EU": "name", "streefcijfer": "word", "voortgezet": "restrictor", "onderwijs": "word", "2030": "number"}
    assert {t.word for t in terms("What does the Commission's letter say about it?", "en")} == {"Commission"}


def test_a_school_type_the_sentences_lack_refuses_and_a_listed_abbreviation_backs():
    assert uncovered("Welk streefcijfer geldt voor leermobiliteit in het voortgezet onderwijs?", "nl",
                     [TARGETS], knows) == ["voortgezet"]
    assert uncovered("Welk streefcijfer geldt voor leermobiliteit in het mbo?", "nl", [TARGETS], knows) == []
    # "onderwijs" in the text is not "basisonderwijs": a restrictor is not backed by a part of itself
    assert uncovered("Welk streefcijfer geldt voor het basisonderwijs?", "nl", [TARGETS], knows) == ["basisonderwijs"]


def test_a_school_abbreviation_backs_its_full_name_as_a_whole_word_only():
    kerndoel = "De nieuwe kerndoelen digitale geletterdheid voor het PO en VO dragen bij aan AI-geletterdheid."
    assert uncovered("Wat staat er over digitale geletterdheid in het basisonderwijs?", "nl", [kerndoel], knows) == []
    assert uncovered("Which core objectives hold for primary and secondary schools?", "en", [kerndoel], knows) == []
    # "po" is not read inside another word ("positief", "politiek")
    positive = "De Raadsaanbeveling werd positief ontvangen; het politieke debat volgt."
    assert uncovered("Wat zegt de brief over het basisonderwijs?", "nl", [positive], knows) == ["basisonderwijs"]


def test_askers_words_for_the_letters_school_types_votes_and_big_tech():
    # "What's the mobility goal for universities and colleges?" had been refused: the letter writes
    # "hoger beroepsonderwijs en wetenschappelijk onderwijs"; a unanimous vote is "unaniem aangenomen"
    target = "De streefcijfers in het hoger beroepsonderwijs en wetenschappelijk onderwijs zijn 23%."
    assert uncovered("What's the mobility goal for universities and colleges?", "en", [target], knows) == []
    assert uncovered("What's the mobility goal for colleges?", "en", ["Het mbo: 12%."], knows) == ["colleges"]
    big_tech = "Voorkomen moet dat de dominantie van Big Tech ondernemingen in digitaal onderwijs toeneemt."
    assert uncovered("What does the letter say about tech giants?", "en", [big_tech], knows) == []
    vote = "De verwachting is dat ze unaniem zullen worden aangenomen."
    assert uncovered("Is a unanimous vote expected on the influencer conclusions?", "en", [vote], knows) == []


def test_short_forms_askers_type_are_backed_by_the_words_the_sources_write():
    # "What does NL want …?" had been refused: the corpus never writes "NL", it writes "Nederland"
    dinner = "Nederland is wel voornemens om het belang van het Europees Erfgoed Label te benadrukken."
    assert uncovered("What does NL want to draw attention to at the dinner?", "en", [dinner], knows) == []
    assert uncovered("Wat wil NL benadrukken?", "nl", [dinner], knows) == []
    assert uncovered("What does the EP say about it?", "en", [dinner], knows) == ["EP"]
    # money: the sources write "financiële middelen"
    funds = "Er moeten financiële middelen worden vrijgemaakt voor infrastructuur en apparatuur."
    assert uncovered("What should the money for museums be spent on?", "en", [funds], knows) == []
    assert uncovered("Waaraan moet het geld voor musea besteed worden?", "nl", [funds], knows) == []
    assert uncovered("Waaraan moet het geld besteed worden?", "nl", [dinner], knows) == ["geld"]


def test_a_vote_the_sources_do_not_report_refuses_agreeing_backs_how_a_country_votes():
    received = "De Raadsaanbeveling werd positief door lidstaten ontvangen."
    assert uncovered("Welke lidstaten stemden tegen de Raadsaanbeveling?", "nl", [received], knows) == ["stemden"]
    assert uncovered("Which member states voted against the recommendation?", "en", [received], knows) == ["voted"]
    agrees = "Gezien de verduidelijkingen zullen de lidstaten instemmen met de Raadsconclusies."
    assert uncovered("How will the member states vote on the conclusions?", "en", [agrees], knows) == []


def test_a_country_after_its_noun_narrows_it_and_teachers_are_who_is_asked_about():
    organisers = "De conferentie over AI werd georganiseerd door NEMO, FARO en ICOM Vlaanderen."
    assert uncovered("Which museums in the Netherlands already use AI?", "en", [organisers], knows) == ["Netherlands"]
    assert uncovered("Welke musea in Vlaanderen gebruiken AI?", "nl", [organisers], knows) == []
    targets = "De EU-streefcijfers voor leermobiliteit in het hoger onderwijs en het mbo zijn 23% en 12%."
    assert uncovered("What is the EU target for mobility of teachers?", "en", [targets], knows) == ["teachers"]
    guidelines = "De Commissie publiceerde in 2022 ethische richtsnoeren voor leerkrachten over AI."
    assert uncovered("Welke richtsnoeren voor leraren publiceerde de Commissie?", "nl", [guidelines], knows) == []
    assert uncovered("Which guidelines for teachers were published in 2022?", "en", [guidelines], knows) == []


def test_unknown_names_and_unbacked_numbers_refuse_known_names_and_plain_words_do_not():
    assert uncovered("Welke rol speelt UNESCO bij de conferentie?", "nl", ["De conferentie van NEMO."], knows) == ["UNESCO"]
    assert uncovered("Wat zegt NEMO over de conferentie?", "nl", ["De conferentie in Brussel."], knows) == []
    assert uncovered("Welk streefcijfer geldt in 2030?", "nl", [TARGETS], knows) == ["2030"]
    assert uncovered("Welke organisaties helpen scholen?", "nl", ["Kennisnet en SURF faciliteren."], knows) == []


def test_a_name_of_several_words_no_paragraph_uses_whole_refuses():
    assert names_of_words("What does the letter say about the Digital Services Act?") == ["Digital Services Act"]
    # not a Dutch compound that starts with an acronym, nor words split by punctuation
    assert names_of_words("In welke risicocategorieën deelt de AI-verordening AI-systemen in?") == []
    assert names_of_words("Who signed the letter on Education, Youth, Culture and Sport?") == []
    together = lambda groups: not any(g[0] == "Services" for g in groups)  # noqa: E731  (no text says "services")
    q = "What does the letter say about the Digital Services Act?"
    assert uncovered(q, "en", ["Digital transformation and the AI Act."], knows, together) == ["Digital Services Act"]
    assert uncovered("What does the letter say about the AI Act?", "en", ["De AI-verordening."], knows, together) == []
    assert uncovered(q, "en", ["Digital transformation."]) == []  # no corpus to ask: not judged


def test_a_name_the_source_spaces_or_hyphenates_is_backed():
    quoted = ["Nieuwe uitdagingen vormen generatieve AI toepassingen zoals Chat GPT."]
    assert uncovered("Wat zegt de brief over ChatGPT?", "nl", quoted, knows) == []
    assert uncovered("What does the letter say about ChatGPT?", "en", ["AI tools such as Chat-GPT."], knows) == []
    assert uncovered("Wat zegt de brief over OpenAI?", "nl", quoted, knows) == ["OpenAI"]


def test_a_compound_name_is_backed_by_its_parts_written_apart(monkeypatch):
    from settings import Tuned

    quoted = ["Het onderwijsdeel van de Raad staat gepland voor 13 mei."]
    assert uncovered("Wanneer is de Onderwijsraad?", "nl", quoted, knows) == []
    # a hyphenated name is a name of its own, and one part alone backs nothing
    assert uncovered("Wanneer is de Onderwijsraad?", "nl", ["Tijdens de OJCS-Raad over onderwijs."], knows) == ["Onderwijsraad"]
    assert uncovered("Wanneer is de Onderwijsraad?", "nl", ["De Raad komt op 13 mei bijeen."], knows) == ["Onderwijsraad"]
    monkeypatch.setattr(Tuned, "NAME_PARTS", False)
    assert uncovered("Wanneer is de Onderwijsraad?", "nl", quoted, knows) == ["Onderwijsraad"]


def test_a_country_is_backed_by_its_adjective():
    # "Het Belgische voorzitterschap …" speaks of Belgium; Duitsland is still unknown
    quoted = ["Het Belgische voorzitterschap geeft in zijn notitie aan …"]
    assert uncovered("Wat is de positie van België?", "nl", quoted, knows) == []
    assert uncovered("What is the position of Belgium?", "en", ["The Belgian presidency notes …"], knows) == []
    assert uncovered("Wat is de positie van Duitsland?", "nl", quoted, knows) == ["Duitsland"]
    # known to the corpus by its adjective, though not in the quoted text: not refused as unknown
    assert uncovered("Wat is de positie van België?", "nl", ["De conferentie."], lambda w: w == "belgische") == []


def test_another_sector_than_the_sources_refuses():
    # "AI in healthcare" had been answered with AI in education: a sector narrows like a school type
    quoted = ["Nederland zal pleiten voor een gebalanceerde benadering van AI in het onderwijs."]
    assert uncovered("What does the letter say about AI in healthcare?", "en", quoted, knows) == ["healthcare"]
    assert uncovered("Wat zegt de brief over AI in de gezondheidszorg?", "nl", quoted, knows) == ["gezondheidszorg"]
    assert uncovered("Wat zegt de brief over AI in het onderwijs?", "nl", quoted, knows) == []


def test_an_office_or_a_survey_the_sources_do_not_name_refuses():
    # "Wie is de directeur van DEN?" had been answered with what DEN does; "the NEMO survey" with the
    # conference's organisers: a post or a survey narrows like a measure
    den = ["DEN, kennisinstituut cultuur en digitale transformatie, heeft een verkenning uitgevoerd naar AI."]
    assert uncovered("Wie is de directeur van DEN?", "nl", den, knows) == ["directeur"]
    assert uncovered("Which museums took part in the NEMO survey?", "en",
                     ["The conference was organised by NEMO and FARO."], knows) == ["survey"]
    # ... and DEN's "verkenning" (a study) is the survey asked for
    assert uncovered("Wat onderzocht de enquête van DEN?", "nl", den, knows) == []
    assert uncovered("What did DEN's survey look at?", "en", den, knows) == []
    # a contact block that gives an e-mail address gives no phone number
    contact = ["Voor al uw vragen kan u terecht bij", "Rebecca Thonander / NEMO thonander@ne-mo.org"]
    assert uncovered("What is NEMO's phone number?", "en", contact, knows) == ["phone"]
    assert uncovered("Wat is het telefoonnummer van NEMO?", "nl", contact, knows) == ["telefoonnummer"]
    assert uncovered("What is the email of the press contact?", "en", contact, knows) == []


def test_a_term_typed_without_its_diacritics_is_backed():
    quoted = ["Deze mobiliteitsstrategieën worden tegen eind 2026 gecommuniceerd door België."]
    assert uncovered("Wanneer worden de mobiliteitsstrategieen van Belgie gecommuniceerd?", "nl", quoted, knows) == []
    assert uncovered("Wat zegt Duitsland?", "nl", quoted, knows) == ["Duitsland"]


def test_compound_parts_and_stems_back_a_term():
    assert uncovered("Welke streefcijfers voor leermobiliteit in het mbo?", "nl",
                     ["mobiliteit van mbo-studenten: streefcijfer 12%"], knows) == []
    assert uncovered("Which targets apply to vocational education?", "en",
                     ["The target for vocational education is 12%."], knows) == []


def _composed(text: str) -> Composed:
    c = Citation(n=1, id="d#p1", doc_id="d", doc_title="Agenda", reference="", section="Onderwijs > Inhoud",
                 text=text, file="d.md", score=0.9, spans=((0, len(text)),))
    line = f"- “{text}” [1]"
    return Composed(f"Volgens de bronnen:\n\n{line}", [c], False, quotes=line)


def test_gate_refuses_in_the_askers_language_with_the_nearest_thing_cited():
    out = gate(_composed(TARGETS), "Welk streefcijfer geldt voor het voortgezet onderwijs?", "nl", knows=knows)
    assert out.refused and out.missing == ("voortgezet",)
    assert out.text.startswith("Dit staat niet in de bronnen: wat er het dichtst bij komt, zegt niets over ‘voortgezet’")
    assert "Wel zeggen de bronnen:" in out.text and "23% en 12%" in out.text and "[1]" in out.text
    assert out.citations  # the nearest thing stays cited
    en = gate(_composed(TARGETS), "What is the target for secondary schools?", "en", knows=knows)
    assert en.refused and en.text.startswith("This is not in the sources: what comes closest says nothing about ‘secondary’")
    kept = gate(_composed(TARGETS), "Welk streefcijfer geldt voor het mbo?", "nl", knows=knows)
    assert not kept.refused and kept.text.startswith("Volgens de bronnen")


def test_a_claim_checked_with_another_figure_or_day_is_answered_with_the_sources_one():
    out = gate(_composed(TARGETS), "Klopt het dat het streefcijfer voor het mbo 15% is?", "nl", knows=knows)
    assert not out.refused and out.text.startswith("De bronnen noemen een ander getal dan ‘15%’:")
    assert "23% en 12%" in out.text and out.citations
    en = gate(_composed(TARGETS), "Is the target for higher education 25 percent?", "en", knows=knows)
    assert not en.refused and en.text.startswith("The sources give a different figure from ‘25 percent’:")
    day = gate(_composed("De Cultuurraad vergadert op 14 mei."), "Is de Cultuurraad op 15 mei?", "nl", knows=knows)
    assert not day.refused and day.text.startswith("De bronnen noemen een andere datum dan ‘15 mei’:")
    # not a check of a claim, a term besides the number unbacked, a year, or no other figure quoted: refused
    assert gate(_composed(TARGETS), "Welk streefcijfer van 15% geldt voor het mbo?", "nl", knows=knows).refused
    assert gate(_composed(TARGETS), "Klopt het dat het streefcijfer voor het voortgezet onderwijs 15% is?", "nl",
                knows=knows).refused
    assert gate(_composed(TARGETS), "Is er een streefcijfer voor 2035?", "nl", knows=knows).refused
    assert gate(_composed("Het streefcijfer voor het mbo is vastgesteld."), "Is het streefcijfer voor het mbo 15%?",
                "nl", knows=knows).refused


# share of paragraphs using a word: "AI" is everywhere in the corpus, the others are rare
SHARES = {"ai": 0.49, "verordening": 0.01, "volledig": 0.01, "richtsnoeren": 0.02, "werking": 0.05, "rules": 0.01,
          "effect": 0.03, "kracht": 0.05, "negotiations": 0.02, "committee": 0.03,
          "deliberations": 0.02}


def share(word: str) -> float | None:
    return SHARES.get(word.lower())


GUIDELINES = ("De Europese Commissie publiceerde in 2022 ethische richtsnoeren voor leerkrachten over hoe om te "
              "gaan met AI en data.")


def test_a_when_question_whose_dates_sit_beside_common_words_only_is_refused():
    question = "Wanneer treedt de AI-verordening volledig in werking?"
    assert dated_apart(question, "nl", _composed(GUIDELINES).citations, share) == ["verordening", "volledig"]
    out = gate(_composed(GUIDELINES), question, "nl", knows=knows, share=share)
    assert out.refused and out.missing and out.text.startswith("Dit staat niet in de bronnen: de gevonden zinnen noemen geen datum")
    assert "Wel zeggen de bronnen:" in out.text and "2022" in out.text and out.citations  # the nearest, cited
    en = gate(_composed(GUIDELINES), "When does the AI-verordening fully enter into force?", "en", knows=knows,
              share=share)
    assert en.refused and en.text.startswith("This is not in the sources: the sentences found give no date")


def test_a_date_beside_an_uncommon_term_of_the_question_stands():
    asked = "Wanneer publiceerde de Commissie de richtsnoeren over AI?"
    assert dated_apart(asked, "nl", _composed(GUIDELINES).citations, share) == []
    assert not gate(_composed(GUIDELINES), asked, "nl", knows=knows, share=share).refused
    # not a "when" question, or no uncommon term to judge by, or no index to tell: nothing is judged
    assert dated_apart("Wat zegt de AI-verordening?", "nl", _composed(GUIDELINES).citations, share) == []
    assert dated_apart("Wanneer over AI?", "nl", _composed(GUIDELINES).citations, share) == []
    assert dated_apart("Wanneer treedt de AI-verordening in werking?", "nl", _composed(GUIDELINES).citations) == []


def test_a_span_of_years_is_no_date_unless_the_question_asks_how_long():
    plan = ("Nederland zal in relatie tot de tussentijdse evaluatie van het EU-Actieplan digitaal onderwijs "
            "2021–2027 aangeven dat AI aandacht moet krijgen.")
    shares = {"evaluatie": 0.02, "actieplan": 0.05}
    asked = "Wanneer verschijnt de evaluatie van het Actieplan digitaal onderwijs?"
    assert dated_apart(asked, "nl", _composed(plan).citations, shares.get) == ["evaluatie"]
    # how long it runs is what the span says
    assert dated_apart("Wanneer loopt het Actieplan digitaal onderwijs?", "nl", _composed(plan).citations,
                       shares.get) == []


def test_asking_verbs_of_a_when_question_are_no_terms():
    assert {t.word for t in terms("Wanneer verschijnt de evaluatie?", "nl")} == {"evaluatie"}
    assert {t.word for t in terms("When will the evaluation be published?", "en")} == {"evaluation"}


def test_a_when_question_answered_by_sentences_without_any_date_is_refused():
    # the selecting model may pick a sentence about the subject that gives no date at all
    risky = "Bepaalde toepassingen van AI in het onderwijs zijn in de verordening als hoog-risico aangemerkt."
    question = "Wanneer treedt de AI-verordening volledig in werking?"
    assert dated_apart(question, "nl", _composed(risky).citations, share) == ["verordening", "volledig"]


def test_a_phrase_that_asks_when_something_starts_restricts_nothing():
    # "take effect" asks when; its "effect" backed by "the effects of AI" beside a date must not answer
    effects = "The Action Plan 2021-2027 says the effects of AI need attention at EU level."
    asked = "When do the AI rules for education take effect?"
    assert [t.word for t in terms(asked, "en")] == ["AI", "rules", "education"]
    assert dated_apart(asked, "en", _composed(effects).citations, share) == ["rules"]
    assert gate(_composed(effects), asked, "en", knows=knows, share=share).refused
    # "van kracht" and "in werking" likewise: "kracht" is in "leerkrachten"
    assert [t.word for t in terms("Wanneer wordt de AI-verordening van kracht voor musea?", "nl")] == [
        "AI", "verordening", "musea"]
    assert "werking" not in [t.word for t in terms("Wanneer treedt de verordening in werking?", "nl")]
    # the same words outside such a phrase still count
    assert "effects" in [t.word for t in terms("Which effects of AI does the letter name?", "en")]


def test_a_date_is_read_with_its_rendering_where_that_is_not_shown():
    # the rendering lost a name ("OJCS-Rat"), so the English asker is shown the Dutch sentence; its
    # words still say the date is about the negotiations
    dutch = "De onderhandelingen zijn op 12 april 2024 in het onderwijscomité afgerond."
    english = {dutch: "The deliberations were concluded on April 12, 2024 in the OJCS-Rat."}
    asked = "When did the deliberations in the education committee end?"
    # ("deliberations" is in the rendering only; the lexicon backs "negotiations" by "onderhandelingen")
    assert dated_apart(asked, "en", _composed(dutch).citations, share) == ["deliberations", "committee"]
    assert dated_apart(asked, "en", _composed(dutch).citations, share, english.get) == []
    assert not gate(_composed(dutch), asked, "en", knows=lambda w: True, share=share, renderings=english.get).refused


def test_a_topic_the_answer_lacks_refuses_when_the_sources_speak_of_it_elsewhere():
    from assistant.coverage import topic_terms
    lunch = "Wat is het Nederlandse standpunt over het lerarentekort tijdens het lunchdebat?"
    assert [t.word for t in topic_terms(lunch, "nl")] == ["lerarentekort"]  # up to "tijdens"
    position = ["Conform de afspraken is het Nederlandse kabinetsstandpunt tijdens de onderhandelingen uitgedragen."]
    knows_it = lambda w: w.lower() in CORPUS | {"lerarentekort"}  # noqa: E731
    assert uncovered(lunch, "nl", position, knows_it) == ["lerarentekort"]
    # backed by the answer: nothing missing
    assert uncovered(lunch, "nl", position + ["Lerarentekort (lunchdebat)"], knows_it) == []
    # a topic the corpus never names may be the sources' synonym ("surveillance" for "monitoren")
    assert uncovered("Wat zegt de brief over surveillance bij examens?", "nl", position, knows_it) == []
    # one term of the topic backed is enough; a name is read as a name ("Chat GPT" backs "ChatGPT")
    assert uncovered("What does the letter say about the AI Act and exam proctoring?", "en",
                     ["The AI Act treats exam monitoring as high risk."], lambda w: True) == []
    assert [t.kind for t in topic_terms("What does the letter say about ChatGPT?", "en")] == ["name"]
    # an item pointed at is no topic
    assert topic_terms("Tell me more about the third one.", "en") == []
    assert topic_terms("Wat is het standpunt van Nederland over het eerste stuk?", "nl") == []


def test_quotes_that_only_name_what_is_asked_say_nothing_of_it():
    from assistant.coverage import only_named

    agenda = "- Lerarentekort (lunchdebat)"
    asked = "Wat werd besloten over het lerarentekort tijdens het lunchdebat?"
    out = gate(_composed(agenda), asked, "nl", knows=knows)
    assert out.refused and out.text.startswith("Dit staat niet in de bronnen: ze noemen het alleen")
    assert out.citations and "Lerarentekort (lunchdebat)" in out.text  # what they do say, cited
    # one word of its own is something said
    assert not only_named(asked, "nl", _composed("Het lerarentekort werd besproken tijdens het lunchdebat.").citations)
    # a quote in the other language is not judged: its words are never the question's
    assert not only_named("What was decided about the Lerarentekort (lunchdebat)?", "en", _composed(agenda).citations)


def test_a_nationality_before_a_noun_narrows_what_is_asked():
    # "Which Dutch museums already use generative AI?" was answered with a conference's Flemish and
    # European organisers
    organisers = ("The AI conference was organised by NEMO, FARO, the Flemish support point for cultural heritage, "
                  "and ICOM Vlaanderen.")
    assert uncovered("Which Dutch museums already use generative AI?", "en", [organisers], knows) == ["Dutch"]
    assert uncovered("Which Flemish museums use AI?", "en", [organisers], knows) == []
    assert uncovered("Welke Nederlandse musea gebruiken AI?", "nl", ["NEMO en FARO organiseerden de AI-dag."], knows) == [
        "Nederlandse"]
    # Dutch staff are backed by the Netherlands, in either language
    assert uncovered("What does the letter say about Dutch teachers?", "en",
                     ["Nederland", "De opleiding van leerkrachten (teachers)."], knows) == []


def test_a_day_asked_is_backed_by_that_day_only():
    assert days("van 13 en 14 mei in Brussel") == {(13, 4), (14, 4)}
    assert days("on May 13") == days("op 13 mei") and not days("in May 2024")
    agenda = "Het onderwijsdeel van de Raad staat gepland voor 13 mei."
    # "3 juni" is a day the answer does not hold; its one-digit number alone was no term at all
    assert uncovered("Wat besluit de Raad op 3 juni?", "nl", [agenda], knows) == ["3 juni"]
    assert uncovered("Wat besluit de Raad op 13 mei?", "nl", [agenda], knows) == []
    assert uncovered("What does the Council decide on May 13?", "en", [agenda], knows) == []
    # a day of the right number in another month is another day; it is named once, not also as its number
    assert uncovered("Wat gebeurt er op 13 juni?", "nl", [agenda], knows) == ["13 juni"]


def test_whose_view_is_asked_must_be_named_by_the_answer_or_publish_it():
    from dataclasses import replace

    from assistant.coverage import holders

    assert [t.word for t in holders("Wat vindt de Tweede Kamer van de AI-verordening?", "nl")] == ["Tweede", "Kamer"]
    assert [t.word for t in holders("What does NEMO recommend?", "en")] == ["NEMO"]
    assert holders("What does the letter say about the AI Act?", "en") == []
    act = "Het doel van de verordening is om innovatie de ruimte te geven."
    refused = gate(_composed(act), "Wat vindt de Tweede Kamer van de AI-verordening?", "nl", knows=lambda w: True)
    assert refused.refused and "Tweede" in refused.text
    # named by the answer (an adjective's bare form too), or the publisher of the cited document
    said = gate(_composed("Het Belgisch voorzitterschap stelt de vraag centraal."),
                "Welke vragen stelt het Belgische voorzitterschap?", "nl", knows=lambda w: True)
    assert not said.refused
    nemo = _composed("Er moeten financiële middelen worden vrijgemaakt.")
    nemo = replace(nemo, citations=[replace(c, publisher="NEMO - Network of European Museum Organisations")
                                    for c in nemo.citations])
    assert not gate(nemo, "Wat vraagt NEMO aan beleidsmakers?", "nl", knows=lambda w: True).refused
    # a nationality, with the noun of its government, is backed by its country in either language
    assert [t.word for t in holders("What does the Dutch government think about influencers?", "en")] == ["Dutch"]
    dutch = _composed("Nederland ondersteunt het onderwerp van de Raadsconclusies.")
    assert not gate(dutch, "What does the Dutch government think about it?", "en", knows=lambda w: True).refused


def test_a_follow_up_that_narrows_must_be_answered_on_the_topic_it_leans_on():
    from settings import Tuned

    # the letter's opening, as an English asker is shown it: "primary" is backed, the targets are not
    opening = _composed("On behalf of the Minister for Primary and Secondary Education I send you the agenda.")
    context = "What does the letter say about learning mobility targets?"
    assert gate(opening, "And for primary schools?", "en", knows=lambda w: True, context=context).refused
    old, Tuned.FOLLOWUP_TOPIC = Tuned.FOLLOWUP_TOPIC, False
    try:
        assert not gate(opening, "And for primary schools?", "en", knows=lambda w: True, context=context).refused
    finally:
        Tuned.FOLLOWUP_TOPIC = old
    assert not gate(_composed(TARGETS), "And for vocational education?", "en", knows=lambda w: True,
                    context="Wat zegt de brief over streefcijfers?").refused
    # a follow-up that asks about something else is not held to the earlier topic
    assert not gate(opening, "Wie ondertekent de brief namens de Minister voor Primair Onderwijs?", "nl",
                    knows=lambda w: True, context=context).refused


def test_a_nationality_must_stand_beside_the_noun_it_narrows():
    from dataclasses import replace

    from assistant.coverage import apart_from_noun

    note = "Het Belgische voorzitterschap wil een open gesprek faciliteren."
    opening = "Hierbij zend ik u, mede namens de Minister voor Primair en Voortgezet Onderwijs, de agenda."
    both = _composed(f"{note} {opening}")
    spans = ((0, len(note)), (len(note) + 1, len(both.citations[0].text)))
    both = replace(both, citations=[replace(both.citations[0], spans=spans)])
    # "Belgian" and "minister" are both in the answer, never in one sentence
    assert apart_from_noun("Who is the Belgian minister of education?", "en", both.citations) == ["Belgian"]
    assert gate(both, "Wie is de Belgische minister van Onderwijs?", "nl", knows=knows).refused
    # beside it, in the sentence or in its section path, the noun is narrowed as asked
    said = _composed("Het Belgische voorzitterschap stelt de vraag hoe cultuur kan helpen.")
    assert apart_from_noun("What does the Belgian presidency ask?", "en", said.citations) == []
    cabinet = _composed("Het kabinet vindt dit een goede manier.")
    cabinet = replace(cabinet, citations=[replace(cabinet.citations[0], section="Nederlandse inzet")])
    assert apart_from_noun("What does the Dutch cabinet think?", "en", cabinet.citations) == []
    # a noun no quote holds, or a nationality no quote names, is not judged here (uncovered judges the whole)
    assert apart_from_noun("Welke Nederlandse minister ondertekende de brief?", "nl", _composed(
        "De Minister van Onderwijs, Cultuur en Wetenschap, R.H. Dijkgraaf").citations) == []
    assert apart_from_noun("Who is the Belgian minister of culture?", "en", said.citations) == []


def test_member_states_asked_about_must_be_named_by_the_answer():
    # the Dutch contribution to a debate no other member state's view is given for
    dutch = "Nederland zal aangeven dat de kennisbehoefte ten dele disciplinespecifiek is."
    assert uncovered("Wat vinden de andere lidstaten daarvan?", "nl", [dutch], knows) == ["lidstaten"]
    assert uncovered("What do the other member states think of it?", "en", [dutch], knows) == ["member"]
    received = "Deze Raadsconclusies werden ook door de andere lidstaten positief ontvangen."
    assert uncovered("What do the other member states think of it?", "en", [received], knows) == []
    assert uncovered("Hoe reageerde elke lidstaat?", "nl", ["Lidstaten zullen de kansen onderkennen."], knows) == []


def test_the_instances_a_which_question_asks_for_must_stand_beside_the_names_it_gives(monkeypatch):
    from dataclasses import replace

    from assistant.coverage import which_apart
    from settings import Tuned

    den = _composed("DEN heeft een verkenning uitgevoerd naar AI in de culturele sector.")
    nemo = _composed("Musea zijn uitstekende plekken om technologie te bespreken.")
    nemo = replace(nemo, citations=[replace(nemo.citations[0], id="n#p1", publisher="NEMO - Network of European "
                                            "Museum Organisations")])
    both = replace(den, citations=den.citations + nemo.citations)
    english = {den.citations[0].text: "DEN carried out a survey of AI in the cultural sector.",
               nemo.citations[0].text: "Museums are excellent places to discuss technology."}.get
    q = "Which museums took part in the DEN survey?"
    assert which_apart(q, "en", both.citations, english) == ["museums"]
    assert gate(both, q, "en", knows=knows, renderings=english).refused
    monkeypatch.setattr(Tuned, "WHICH_BESIDE", False)
    assert not gate(both, q, "en", knows=knows, renderings=english).refused
    # one paragraph holding both answers; a publisher names its own document ("Welke musea noemt NEMO?")
    assert which_apart("Welke musea noemt NEMO?", "nl", nemo.citations) == []
    assert which_apart("Which sector did DEN survey?", "en", den.citations) == []
    # a noun no quote holds is coverage's to judge, and a question naming no organisation is not judged
    assert which_apart("Which archives took part in the DEN survey?", "en", both.citations, english) == []
    assert which_apart("Which museums discuss technology?", "en", both.citations, english) == []
