"""Context choice and prompt building (no model)."""
import json

import pytest

from assistant.compose import SentenceHit
from assistant.backends import _chat_messages, chatml
from assistant.context import select_context
from settings import Tuned
from assistant.prompt import build_messages
from assistant.types import ContextPassage
from assistant.messages import PROMPTS_DIR
from assistant.types import Passage

LONG = " ".join(f"Zin {i} gaat over onderwerp {i} en is best lang om de ruimte te vullen." for i in range(30))


def _p(pid, text, score=0.9):
    return Passage(id=pid, text=text, score=score, doc_id="d", doc_title="T", reference="", section="S", file="d.md")


def test_context_keeps_evidence_first_and_fits_the_budget():
    a, b, c = _p("a", LONG), _p("b", "Kort."), _p("c", LONG, score=0.5)
    spans = [(m.start(), m.end()) for m in __import__("re").finditer(r"Zin \d+[^.]*\.", LONG)]
    hits = [SentenceHit("a", s, e, 0.9 - i / 100) for i, (s, e) in enumerate(spans)]
    evidence = {"b": ((0, 5),), "a": (spans[20],)}
    ctx = select_context([a, b, c], hits, min_score=0.8, evidence=evidence)
    assert [x.passage.id for x in ctx] == ["b", "a"]  # evidence first; c is below the threshold
    assert [x.n for x in ctx] == [1, 2]
    assert ctx[0].excerpt == "Kort."
    assert spans[20] in ctx[1].spans  # the chosen evidence sentence is always shown
    assert sum(len(x.excerpt) for x in ctx) <= Tuned.CONTEXT_CHARS + 200
    assert "…" in ctx[1].excerpt  # gaps between shown sentences are marked


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_prompt_is_data_in_the_question_language(lang):
    data = json.loads((PROMPTS_DIR / f"{lang}.json").read_text(encoding="utf-8"))["generation"]
    ctx = [ContextPassage(1, _p("a", "De tekst van de alinea."), ((0, 23),))]
    msgs = build_messages(lang, "Vraag?", ctx)
    assert msgs[0] == {"role": "system", "content": data["system"].format(refusal=data["refusal"])}
    assert data["refusal"] in msgs[0]["content"]
    assert msgs[-1]["role"] == "user" and "[1] De tekst van de alinea." in msgs[-1]["content"]
    assert msgs[-1]["content"].endswith("Vraag?")
    # the instructions and examples are the same for every question: llama.cpp keeps them evaluated
    assert build_messages(lang, "Iets anders?", [])[:-1] == msgs[:-1]


def test_chatml_is_qwens_template():
    prompt = chatml(_chat_messages([{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]))
    assert prompt == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"


def test_english_context_reads_the_rendering():
    from assistant.context import in_english

    nl = _p("a", "Het streefcijfer voor het mbo is 12%. Nederland steunt dat.")
    other = _p("b", "Geen vertaling beschikbaar.")
    ctx = [ContextPassage(1, nl, ((0, 37),)), ContextPassage(2, other, ((0, 27),))]
    en = "The target for VET is 12%. The Netherlands supports it."
    out = in_english(ctx, {"a": en}, {"a": [((0, 26), 0.9), ((27, len(en)), 0.5)]})
    assert out[0].excerpt == en  # short: the whole rendering
    # a long rendering is cut to its sentences closest to the question, in text order
    long_en = en + " " + " ".join(f"Filler sentence number {i} says little." for i in range(40))
    scores = {"a": [((0, 26), 0.9), ((27, 55), 0.2)] + [((56 + 36 * i, 90 + 36 * i), 0.1) for i in range(3)]}
    cut = in_english(ctx[:1], {"a": long_en}, scores, budget=200)[0].excerpt
    assert cut.startswith("The target for VET is 12%.") and len(cut) < 260
    assert out[0].spans == ((0, 37),)  # highlighting stays on the Dutch paragraph
    assert out[1].excerpt == "Geen vertaling beschikbaar."  # no rendering: the Dutch as it is
    # the rendering of a sentence the quotes chose is always read, ahead of a closer one and past the budget
    kept = in_english(ctx[:1], {"a": long_en}, scores, budget=200, required={"a": [(27, 55)]})[0].excerpt
    assert "The Netherlands supports it." in kept and kept.startswith("The target for VET is 12%.")
    low = {"a": [((0, 26), 0.9)] + [((56 + 36 * i, 90 + 36 * i), 0.5) for i in range(3)]
           + [((164 + 36 * 3, 194 + 36 * 3), 0.4), ((27, 55), 0.0)]}  # the budget is spent before the last
    assert "supports" not in in_english(ctx[:1], {"a": long_en}, low, budget=160)[0].excerpt
    assert "supports" in in_english(ctx[:1], {"a": long_en}, low, budget=160, required={"a": [(27, 55)]})[0].excerpt
