"""English renderings: the cache by content hash, and the real local model."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.paragraphs import Paragraph
from index.sources import Document
from index.translate import CACHE_NAME, TranslationCache, Translator, english_text, key, translate_missing, units, wanted


def _doc(lang="nl") -> Document:
    return Document(id="d", title="Titel", publisher="p", date="2024-01-01", language=lang, kind="brief",
                    reference="", path=Path("d.md"), text="", body_start=0)


def _para(text, section=("Inhoud",), cited_by="") -> Paragraph:
    return Paragraph(id="d#p1", doc_id="d", kind="paragraph", section=section, number=1, position=1, start=0, end=0,
                     text=text, content_hash="x", cited_by=cited_by)


class FakeLLM:
    """Stands in for llama_cpp.Llama in unit tests: upper-cases the text."""

    def __init__(self):
        self.calls = 0

    def tokenize(self, data: bytes, add_bos: bool = False):
        return data.split()

    def create_chat_completion(self, messages, temperature, max_tokens):
        self.calls += 1
        text = messages[-1]["content"].split("\n")[1]
        return {"choices": [{"message": {"content": f" EN:{text} "}}]}


def test_cache_translates_each_text_once_and_survives_reload(tmp_path):
    items = [(_doc(), _para("Het kabinet is positief.")), (_doc(), _para("Nog een alinea."))]
    llm = FakeLLM()
    cache = TranslationCache.open(tmp_path)
    r = translate_missing(items, cache, Translator(llm, model="fake"), progress=False)
    assert r["translated"] == len(units(items)) == 4  # title, section, two paragraphs
    assert english_text(*items[0], cache) == "EN:Titel\nEN:Inhoud\nEN:Het kabinet is positief."
    again = TranslationCache.open(tmp_path)
    assert translate_missing(items, again, Translator(llm), progress=False)["translated"] == 0
    assert llm.calls == 4
    rows = [json.loads(x) for x in (tmp_path / CACHE_NAME).read_text(encoding="utf-8").splitlines()]
    assert {r["key"] for r in rows} == {key(t) for t in units(items)} and all(r["model"] == "fake" for r in rows)


def test_without_model_a_paragraph_has_no_rendering(tmp_path):
    cache = TranslationCache.open(tmp_path)
    report = translate_missing([(_doc(), _para("Onvertaald."))], cache, None, progress=False)
    assert report["missing"] == 3 and report["translated"] == 0
    assert english_text(_doc(), _para("Onvertaald."), cache) is None
    # an English source needs no rendering
    assert english_text(_doc("en"), _para("Already English."), cache).endswith("Already English.")


def test_prune_and_damaged_lines(tmp_path):
    cache = TranslationCache.open(tmp_path)
    cache.put("oud", "old", "m")
    cache.put("nieuw", "new", "m")
    with (tmp_path / CACHE_NAME).open("a", encoding="utf-8") as f:
        f.write("{not json\n")
    cache = TranslationCache.open(tmp_path)  # the damaged line is skipped, the rest kept
    assert cache.get("nieuw") == "new"
    assert cache.prune({key("nieuw")}) == 1
    assert TranslationCache.open(tmp_path).get("oud") is None


def test_a_rendering_that_lost_a_policy_term_is_rendered_once_more_with_the_glossary(tmp_path):
    """Renderings made before the glossary was in the prompt, missing one of its
    terms, are rendered again (once: the new row is marked) and the file keeps one row per text."""
    items = [(_doc(), _para("De lidstaten steunen het streefcijfer."))]
    cache = TranslationCache.open(tmp_path)
    for text, english in (("Titel", "Title"), ("Inhoud", "Contents"),
                          ("De lidstaten steunen het streefcijfer.", "The members support the statistic.")):
        cache.entries[key(text)] = {"key": key(text), "model": "m", "nl": text, "en": english}  # an old row: no flag
    cache.prune(set(cache.entries))  # written as an old cache file would be
    seen = []

    class Glossed(FakeLLM):
        def create_chat_completion(self, messages, temperature, max_tokens):
            seen.append(messages[0]["content"])
            return {"choices": [{"message": {"content": "The member states support the target."}}]}

    cache = TranslationCache.open(tmp_path)
    assert cache.stale("De lidstaten steunen het streefcijfer.") and not cache.stale("Titel")
    assert translate_missing(items, cache, Translator(Glossed()), progress=False)["translated"] == 1
    assert "lidsta = member state" in seen[0] and "streefcijfer = target" in seen[0]
    again = TranslationCache.open(tmp_path)
    assert again.get("De lidstaten steunen het streefcijfer.") == "The member states support the target."
    assert not again.stale("De lidstaten steunen het streefcijfer.")
    assert again.prune({key(t) for t in units(items)}) == 0  # compacted: the old row is gone from the file
    assert len((tmp_path / CACHE_NAME).read_text(encoding="utf-8").splitlines()) == 3


def test_english_sources_get_dutch_renderings_in_a_cache_of_their_own(tmp_path):
    items = [(_doc("en"), _para("The Council adopted conclusions.")), (_doc(), _para("Een Nederlandse alinea."))]
    seen = []

    class Dutch(FakeLLM):
        def create_chat_completion(self, messages, temperature, max_tokens):
            seen.append(messages[0]["content"])
            return super().create_chat_completion(messages, temperature, max_tokens)

    cache = TranslationCache.open(tmp_path, "nl")
    r = translate_missing(items, cache, Translator(Dutch(), model="fake").into("nl"), progress=False)
    assert r["translated"] == len(units(items, "en")) == 3  # the English document's title, section and paragraph
    assert all("into plain Dutch" in s for s in seen)
    assert TranslationCache.open(tmp_path, "nl").get("The Council adopted conclusions.") == "EN:The Council adopted conclusions."
    assert TranslationCache.open(tmp_path).get("Een Nederlandse alinea.") is None  # the English cache is another file
    assert (tmp_path / "translations.nl.jsonl").is_file() and not (tmp_path / CACHE_NAME).exists()


def test_shipped_corpus_is_fully_rendered():
    """The committed cache covers every text of sources/, so no model is needed to build."""
    from index.build import corpus
    from settings import Settings

    items = corpus(Settings.from_env({}))
    cache = TranslationCache.open(Settings.from_env({}).sources_dir)
    assert [t for t in units(items) if cache.get(t) is None] == []


@pytest.mark.model
def test_real_local_model_translates(tmp_path):
    from index.llm import LLMMissingError, load
    from settings import Settings

    try:
        llm = load(Settings.from_env({}), n_ctx=512)
    except LLMMissingError as e:
        pytest.fail(f"the setup command assembles the local model: {e}")
    english = Translator(llm)("Het kabinet is positief over de uitkomsten van de onderhandelingen.").lower()
    assert "negotiation" in english and ("positive" in english or "positively" in english)


def test_the_models_words_about_its_translation_are_not_kept(tmp_path):
    from index.translate import _without_preamble

    said = "Here is the translation:\n\n\"The targets are 23% and 12%.\""
    assert _without_preamble(said) == "The targets are 23% and 12%."
    after = "\"The targets are 23% and 12%.\"\n\nThis translation maintains the original meaning of the Dutch text."
    assert _without_preamble(after) == "The targets are 23% and 12%."
    assert _without_preamble("The translation of AI is hard.") == "The translation of AI is hard."  # a sentence, kept
    # a cache row written before the rule is read clean
    cache = TranslationCache.open(tmp_path)
    cache.put("De streefcijfers zijn 23% en 12%.", after, "m")
    assert TranslationCache.open(tmp_path).get("De streefcijfers zijn 23% en 12%.") == "The targets are 23% and 12%."


def test_a_term_added_to_the_glossary_later_renders_once_more_a_term_asked_for_does_not(tmp_path):
    cache = TranslationCache.open(tmp_path)
    text = "Nederland zal instemmen met het streefcijfer."
    cache.put(text, "The Netherlands will support the number.", "m")
    assert cache.entries[key(text)]["asked"] == ["streefcijfer", "instemmen"]
    assert not cache.stale(text)  # both terms were asked for and are still missing: the Dutch is shown instead
    cache.entries[key(text)]["asked"] = ["streefcijfer"]  # rendered before "instemmen" was a term
    assert cache.stale(text)
    cache.put(text, "The Netherlands will agree to the target.", "m")
    assert not cache.stale(text)


def test_a_sentence_its_paragraphs_rendering_gets_wrong_is_rendered_alone_and_kept(tmp_path):
    from assistant.rendering import shown

    text = "De organisaties zijn Kennisnet en SURF. De streefcijfers zijn 23% en 12%."
    items = [(_doc(), _para(text))]
    replies = {text: "The organisations are KnowledgeNet and SURF. The targets are 23% and 12%.",
               "De organisaties zijn Kennisnet en SURF.": "The organisations are Kennisnet and SURF."}

    class Model(FakeLLM):
        def create_chat_completion(self, messages, temperature, max_tokens):
            asked = messages[-1]["content"].split("Dutch text:\n")[1].split("\n\nEnglish translation:")[0]
            return {"choices": [{"message": {"content": replies.get(asked, asked.upper())}}]}

    cache = TranslationCache.open(tmp_path)
    report = translate_missing(items, cache, Translator(Model()), progress=False)
    # the paragraph and its units (title, section), then the one sentence whose part was wrong
    assert report["translated"] == len(units(items)) + 1
    first = (0, text.index(" De streef"))
    assert shown(text, first, cache.get(text), "nl", cache.get(text[first[0]:first[1]])).text == replies[
        "De organisaties zijn Kennisnet en SURF."]
    assert not shown(text, first, cache.get(text)).translated  # the paragraph's own part says KnowledgeNet
    assert cache.prune(wanted(items, cache)) == 0  # the sentence's row is wanted: not pruned
    assert translate_missing(items, TranslationCache.open(tmp_path), Translator(Model()), progress=False)["translated"] == 0


def test_a_sentence_still_wrong_alone_is_rendered_once_more_told_what_it_lost(tmp_path):
    from assistant.rendering import shown

    text = "De organisaties zijn Kennisnet en SURF. De streefcijfers zijn 23% en 12%."
    sentence = "De organisaties zijn Kennisnet en SURF."
    systems = []

    class Model(FakeLLM):
        def create_chat_completion(self, messages, temperature, max_tokens):
            system, asked = messages[0]["content"], messages[-1]["content"].split("Dutch text:\n")[1].split("\n\n")[0]
            systems.append(system)
            if asked == text:
                english = "The organisations are KnowledgeNet and SURF. The targets are 23% and 12%."
            elif asked == sentence:  # alone it still renames the organisation, unless told to keep it
                english = ("The organisations are Kennisnet and SURF." if "'Kennisnet'" in system
                           else "The organisations are KnowledgeNet and SURF.")
            else:
                english = asked.upper()
            return {"choices": [{"message": {"content": english}}]}

    items = [(_doc(), _para(text))]
    cache = TranslationCache.open(tmp_path)
    report = translate_missing(items, cache, Translator(Model()), progress=False)
    assert report["again"] == 1 and "Keep these exactly as written: 'Kennisnet'." in systems[-1]
    first = (0, len(sentence))
    s = shown(text, first, cache.get(text), "nl", cache.get(sentence))
    assert s.translated and s.text == "The organisations are Kennisnet and SURF."
    # once per sentence: a later build asks the model nothing, whatever the second rendering was
    again = TranslationCache.open(tmp_path)
    assert again.kept(sentence)
    assert translate_missing(items, again, Translator(Model()), progress=False)["translated"] == 0


def test_a_paragraph_of_one_sentence_rendered_wrong_is_rendered_once_more_told_what_it_lost(tmp_path):
    # "… Onderwijs, Cultuur en Wetenschap" lost "Science"; a one-sentence paragraph had no retry at all
    text = "Dit is de brief van de Minister van Onderwijs, Cultuur en Wetenschap."
    systems = []

    class Model(FakeLLM):
        def create_chat_completion(self, messages, temperature, max_tokens):
            systems.append(messages[0]["content"])
            english = ("This is the letter of the Minister of Education, Culture and Wetenschap."
                       if "'Wetenschap'" in messages[0]["content"] else
                       "This is the letter of the Minister of Education and Culture.")
            return {"choices": [{"message": {"content": english}}]}

    items = [(_doc(), _para(text, section=()))]
    cache = TranslationCache.open(tmp_path)
    report = translate_missing(items, cache, Translator(Model()), progress=False)
    assert report["again"] == 1 and "'Wetenschap'" in systems[-1]
    assert cache.get(text) == "This is the letter of the Minister of Education, Culture and Wetenschap."
    assert translate_missing(items, TranslationCache.open(tmp_path), Translator(Model()), progress=False)[
        "translated"] == 0


def test_a_sentence_still_lacking_a_policy_term_reads_it_in_english_once_more(tmp_path):
    from assistant.rendering import shown
    from index.glossary import written_in_english

    text = "De streefcijfers voor het hoger beroepsonderwijs zijn 23%. Het mbo krijgt 12%."
    sentence = "De streefcijfers voor het hoger beroepsonderwijs zijn 23%."
    asked_texts = []

    class Model(FakeLLM):
        # told the term in the prompt, it still writes "higher education"; reading it in English, it copies it
        def create_chat_completion(self, messages, temperature, max_tokens):
            asked = messages[-1]["content"].split("Dutch text:\n")[1].split("\n\n")[0]
            asked_texts.append(asked)
            if asked == text:
                english = "The targets for higher education are 23%. The mbo gets 12%."
            elif "higher professional education (hbo)" in asked:
                english = "The targets for higher professional education (hbo) are 23%."
            else:
                english = "The targets for higher education are 23%."
            return {"choices": [{"message": {"content": english}}]}

    assert written_in_english(sentence, ["hoger beroepsonderwijs"]) == (
        "De streefcijfers voor het higher professional education (hbo) zijn 23%.")
    items = [(_doc(), _para(text))]
    cache = TranslationCache.open(tmp_path)
    report = translate_missing(items, cache, Translator(Model()), progress=False)
    assert report["pinned"] == 1 and "higher professional education (hbo)" in asked_texts[-1]
    s = shown(text, (0, len(sentence)), cache.get(text), "nl", cache.get(sentence))
    assert s.translated and s.text == "The targets for higher professional education (hbo) are 23%."
    # once per sentence, and a rendering still not true to it is not kept
    again = TranslationCache.open(tmp_path)
    assert again.pinned(sentence)
    assert translate_missing(items, again, Translator(Model()), progress=False)["translated"] == 0


def test_a_long_glossary_term_is_found_where_the_source_misspells_it():
    # the letter writes "publieksonwikkeling"; the model rendered the heading "Publicly Funded Content Creation"
    from index.glossary import held, missing, written_in_english

    heading = "Raadsconclusies over het versterken van de culturele sectoren door datagedreven publieksonwikkeling"
    assert {"publieksontwikkeling", "datagedreven"} <= {t.nl for t in held(heading)}
    assert "publieksontwikkeling" in missing(heading, "Conclusions through Publicly Funded Content Creation")
    assert written_in_english(heading, ["publieksontwikkeling"]).endswith("datagedreven audience development")
    # a short stem or an abbreviation only as written: "mbo" is not "mo", "erfgoed" not "erfgod"
    assert not [t for t in held("Het mo en het erfgod.") if t.nl in ("mbo", "erfgoed")]


def test_foundational_education_is_not_funding():
    # the model rendered "funderend onderwijs" as "funding education": a "funding programme" question then
    # found NOLAI; the paragraph is rendered again, and a rendering without the term shows the Dutch
    from index.glossary import missing

    nolai = "NOLAI ontwikkelt technologie om de kwaliteit van het funderend onderwijs te verbeteren."
    assert "funderend" in missing(nolai, "NOLAI develops technology to improve the quality of the funding education.")
    assert missing(nolai, "NOLAI develops technology to improve the quality of foundational education.") == []


def test_a_glossary_term_inside_a_web_address_is_not_asked_for():
    # asked for "kerndoel" in a footnote's link, the model described the link in prose
    from index.glossary import held, missing

    link = "<https://www.slo.nl/publicaties/@23474/conceptkerndoelen-digitale-geletterdheid/>"
    assert held(link) == [] and missing(link, link) == []
    assert [t.nl for t in held(f"De kerndoelen staan op {link}")] == ["kerndoel"]
