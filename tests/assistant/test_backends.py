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
