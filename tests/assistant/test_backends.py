"""The local backend: both languages' llama.cpp contexts run on one loaded
model, and the second context answers exactly as a model of its own would."""
from __future__ import annotations

import gc
from dataclasses import replace

import pytest

from assistant.backends import LocalBackend
from settings import Settings

pytestmark = pytest.mark.model


def _greedy(llm, prompt: str) -> str:
    return llm(prompt, max_tokens=12, temperature=0.0, top_k=1)["choices"][0]["text"]


def test_both_languages_share_one_loaded_model_and_answer_as_separate_ones(small_llm_file):
    from llama_cpp import Llama

    b = LocalBackend(replace(Settings.from_env({}), llm_model=small_llm_file))
    nl, en = b._load("nl")._model, b._load("en")._model
    assert nl is not en and nl._ctx is not en._ctx  # two contexts (each keeps its language's prefix) ...
    assert en._model._owner is nl  # ... on the first one's model, which the second holds alive
    prompt = "The capital of the Netherlands is"
    alone = Llama(model_path=str(small_llm_file), n_batch=256, n_ubatch=256, flash_attn=True, seed=0, verbose=False)
    assert _greedy(en, prompt) == _greedy(alone, prompt) == _greedy(nl, prompt)
    # freeing the backend frees both contexts and the model, in whichever order Python collects them
    del b, nl, en
    gc.collect()


_PICK = [{"role": "system", "content": "Answer only with the numbers of the sentences that answer the question, "
                                          "like [2, 1], or [] if none does."},
            {"role": "user", "content": "Sentences:\n[1] De gemeente betaalt 40.000 euro per jaar.\n"
                                        "[2] De bibliotheek is op zondag open.\n\nQuestion: Wat betaalt de gemeente?"}]


@pytest.mark.llm
def test_the_doubt_is_read_on_the_prompt_the_pick_then_reuses(llm_file):
    """``pick`` evaluates the selection prompt, reads P("[]") against P("["), then
    picks from that evaluated prompt, replying as a fresh context would."""
    from assistant.select import grammar

    settings = replace(Settings.from_env({}), llm_model=llm_file)
    b = LocalBackend(settings)
    reply, p = b.pick(_PICK, grammar(2), "nl")
    assert p is not None and 0.0 < p < 1.0
    assert reply == LocalBackend(settings).select(_PICK, grammar(2), "nl")
    # the same prompt, nearly the same reading: read again, only its last token is evaluated anew,
    # and llama.cpp's sums differ a little with how a prompt is split into batches
    again, q = b.pick(_PICK, grammar(2), "nl")
    assert again == reply and q == pytest.approx(p, rel=0.25)
    del b
    gc.collect()


def test_no_doubt_is_read_where_the_vocabulary_splits_the_empty_list(small_llm_file):
    """SmolLM2 writes "[]" as two tokens: its first token says nothing of the
    choice, so no doubt is read (the answer is then always judged)."""
    from assistant.select import grammar

    b = LocalBackend(replace(Settings.from_env({}), llm_model=small_llm_file))
    reply, doubt = b.pick(_PICK, grammar(2), "en")
    assert doubt is None and reply.startswith("[") and reply.endswith("]")
    del b
    gc.collect()
