"""The batched-decoding measurement runs llama.cpp's batch API for real (on the
tiny test model, so it is quick) and reports a rate for every batch size."""
import pytest

from eval.batching import batched_decode

pytestmark = pytest.mark.llm


def test_batched_decode_reports_every_batch_size(small_llm_file):
    out = batched_decode(small_llm_file, threads=1, sizes=(1, 2), steps=4)
    assert out["prompt_tokens"] > 50 and out["prefill_tokens_per_s"] > 0
    for size in (1, 2):
        assert out[f"seq_{size}"]["aggregate_tokens_per_s"] > 0
    # the aggregate at 2 sequences is twice the steps' rate, by construction of the batch
    two = out["seq_2"]
    assert two["aggregate_tokens_per_s"] == pytest.approx(2 * two["steps_per_s"], rel=0.05)
    assert out["ratio_at_most"] >= 1.0
