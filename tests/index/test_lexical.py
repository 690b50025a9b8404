"""BM25 over Dutch stems: search, in-memory filters, persistence and damage."""
from __future__ import annotations

import pytest

from index.lexical import LexicalIndex, joined_verbs, stemmer, tokenize
from settings import Settings
from index.store import IndexCorruptError, IndexMissingError

TEXTS = [
    "De voorstellen voor EU streefcijfers in het middelbaar beroepsonderwijs zijn vastgesteld op 12%.",
    "Musea zijn uitstekende plekken om met het publiek technologische ontwikkelingen te bespreken.",
    "Influencers hebben een toenemende impact op de online inhoud.",
]
META = [{"doc": "kst", "language": "nl"}, {"doc": "nemo", "language": "nl"}, {"doc": "kst", "language": "nl"}]


@pytest.fixture
def lexical():
    return LexicalIndex.build(["a", "b", "c"], TEXTS, META)


def test_dutch_stems_and_stopwords():
    assert tokenize("Welk streefcijfer geldt voor het mbo?") == ["streefcijfer", "geldt", "mbo"]
    assert "het" not in tokenize("het streefcijfer") and tokenize("streefcijfers") == tokenize("streefcijfer")


def test_a_separable_verb_split_around_te_is_joined():
    # the letter: "is Nederland voornemens om in te stemmen"; the question: "Gaat Nederland instemmen?"
    assert joined_verbs("voornemens om in te stemmen, en om te gaan met AI") == ["instemmen", "omgaan"]
    assert set(tokenize("instemmen")) <= set(tokenize("om in te stemmen met de conclusies"))
    assert joined_verbs("Nederland stemt in") == []


def test_search_ranks_the_paragraph_with_the_stemmed_word(lexical):
    hits = lexical.search("Welk streefcijfer geldt in het middelbaar beroepsonderwijs?", k=3)
    assert hits[0][0] == "a" and hits[0][1] > 0
    assert lexical.search("zzz qqq", k=3) == []  # no known word: nothing, not an error


def test_share_of_texts_using_a_word_by_stem(lexical):
    assert lexical.share("streefcijfer") == pytest.approx(1 / 3)  # "streefcijfers" in one of three
    assert lexical.share("de") is None  # a stopword is not indexed
    assert lexical.share("verordening") is None  # no text uses it
    two = LexicalIndex.build(["a", "b"], ["AI in musea.", "AI en onderwijs."], META[:2])
    assert two.share("AI") == 1.0


def test_a_name_the_sources_write_apart_is_known():
    # the letter writes "Chat GPT"; askers write "ChatGPT" or "Chat-GPT"
    index = LexicalIndex.build(["a", "b"], ["Generatieve AI toepassingen zoals Chat GPT.", "Musea in het land."],
                               META[:2])
    assert index.knows("ChatGPT") and index.knows("Chat-GPT") and index.knows("chat")
    # halves in different paragraphs are two other things
    two = LexicalIndex.build(["a", "b"], ["Chat over beleid.", "Een GPT model."], META[:2])
    assert not two.knows("ChatGPT")
    assert not index.knows("UNESCO")


def test_a_word_typed_without_its_diacritics_finds_the_indexed_word():
    # askers type "strategieen" for "strategieën": Snowball's Dutch stemmer keeps the two apart
    index = LexicalIndex.build(["a", "b"], ["Deze mobiliteitsstrategieën worden gecommuniceerd.", "Musea in België."],
                               META[:2])
    assert tokenize("mobiliteitsstrategieen") != tokenize("mobiliteitsstrategieën")
    assert index.search("mobiliteitsstrategieen", k=2)[0][0] == "a"
    assert index.share("mobiliteitsstrategieen") == 0.5 and index.knows("Belgie")
    assert not index.knows("Belgrado")


def test_a_long_word_one_letter_apart_finds_the_indexed_word(monkeypatch):
    # the letter misspells "publieksonwikkeling"; "Wat vroeg Nederland bij de raadsconclusies over
    # publieksontwikkeling?" had found the influencer conclusions and was refused
    from settings import Tuned

    monkeypatch.setattr(Tuned, "TYPOS", True)  # off by default (settings.py says why)
    index = LexicalIndex.build(["a", "b"], ["Raadsconclusies over datagedreven publieksonwikkeling.",
                                            "Raadsconclusies over influencers en mobiliteitsstrategieën."], META[:2])
    assert index.search("publieksontwikkeling", k=2)[0][0] == "a" and index.knows("publieksontwikkeling")
    assert index.knows("mobiliteitstrategieen")  # a letter dropped and the diacritics left off
    # a short word one letter apart is another word, and a word two letters apart is not read as it
    assert not index.knows("influenza") and not index.knows("publieksverwikkeling")
    monkeypatch.setattr(Tuned, "TYPOS", False)
    assert index.search("publieksontwikkeling", k=2) == [] and not index.knows("publieksontwikkeling")


def test_a_british_spelling_finds_the_american_one_in_english_text():
    # "Which organisations help schools?" had found the paragraph that writes "Organisations" (a network's
    # name), not the rendering that writes "organizations such as Kennisnet"
    index = LexicalIndex.build(["a", "b"], ["Schools are helped by organizations such as Kennisnet.",
                                            "The conference was about museums."], META[:2], language="en")
    assert index.search("Which organisations help schools?", k=1)[0][0] == "a"
    assert index.search("prioritise the analysis of programmes", k=2) == index.search("prioritize the analysis of programs", k=2)
    # Dutch text keeps its own words: "analyse" is a Dutch noun
    assert tokenize("analyse") == stemmer("nl").stemWords(["analyse"])


def test_words_one_text_uses_together():
    index = LexicalIndex.build(["a", "b"], ["De AI-verordening en digitale diensten.", "Digital services act."],
                               META[:2], language="en")
    assert index.knows_together([["digital"], ["services"], ["act"]])
    assert index.knows_together([["AI"], ["Act", "verordening"]])  # a word or one of its other forms
    # every word known, but in different texts
    assert not index.knows_together([["AI"], ["services"]])
    assert not index.knows_together([["UNESCO"]])


def test_mask_filters_without_the_store(lexical):
    mask = lexical.mask(lambda m: m["doc"] == "nemo")
    assert [i for i, _ in lexical.search("streefcijfer musea", k=3, mask=mask)] == ["b"]


def test_save_load_roundtrip_and_damage(tmp_path, lexical):
    with pytest.raises(IndexMissingError):
        LexicalIndex.load(tmp_path)
    lexical.save(tmp_path)
    lexical.save(tmp_path)  # replacing an existing index works
    again = LexicalIndex.load(tmp_path)
    assert again.ids == ["a", "b", "c"] and again.search("influencers", k=1)[0][0] == "c"
    (tmp_path / "lexical" / "paragraphs.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(IndexCorruptError):
        LexicalIndex.load(tmp_path)


def test_fusion_weights_from_environment():
    s = Settings.from_env({"ASSISTANT_FUSION_EN": "1,0.5,0"})
    assert s.fusion("en") == (1.0, 0.5, 0.0, 0.0, 0.0) and s.fusion("nl") == Settings.fusion_nl
    with pytest.raises(ValueError, match="ASSISTANT_FUSION_NL"):
        Settings.from_env({"ASSISTANT_FUSION_NL": "1,2"})
