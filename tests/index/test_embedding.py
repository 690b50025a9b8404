"""The embedders: the ONNX exports are the same model as sentence-transformers
(fp32: the same vectors; int8: within the tolerance the README states; the
build's OpenVINO engine over the fp32 export: the same vectors within bf16's
rounding), and a missing or damaged export is a clear error."""
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from index.embedding import (Embedder, ModelMissingError, OnnxEmbedder, OpenVinoEmbedder, load_build_embedder,
                             load_embedder, onnx_dir)
from settings import Settings

REPO = Path(__file__).resolve().parents[2]


def test_a_missing_export_is_a_model_error(tmp_path):
    with pytest.raises(ModelMissingError, match="no ONNX model"):
        OnnxEmbedder(tmp_path)


def test_a_damaged_export_is_a_model_error(tmp_path):
    (tmp_path / "model.onnx").write_bytes(b"not a graph")
    with pytest.raises(ModelMissingError, match="cannot load"):
        OnnxEmbedder(tmp_path)


def test_the_backend_is_a_setting_with_onnx_by_default(tmp_path):
    assert Settings.from_env({}).embed_backend == "onnx"
    s = Settings.from_env({"ASSISTANT_EMBED_BACKEND": "int8", "ASSISTANT_EMBED_MODEL": str(tmp_path / "e5")})
    assert onnx_dir(s) == tmp_path / "e5-int8"
    with pytest.raises(ValueError, match="ASSISTANT_EMBED_BACKEND"):
        Settings.from_env({"ASSISTANT_EMBED_BACKEND": "gpu"})


@pytest.fixture(scope="module")
def eval_set():
    """Every eval question with an evidence paragraph, and the corpus as the build embeds it."""
    from eval.questions import load_all
    from index.build import corpus
    from index.nodes import embed_text

    items = corpus(Settings.from_env({}))
    texts = [embed_text(p, d) for d, p in items]
    flat = [" ".join(p.text.split()) for _, p in items]
    questions, gold = [], []
    for q in load_all(sorted((REPO / "eval" / "data").glob("*.jsonl"))):
        hit = {i for i, t in enumerate(flat) for e in q.evidence if " ".join(e.split()) in t}
        if hit:
            questions.append(q.question)
            gold.append(hit)
    return texts, questions, gold


@pytest.fixture(scope="module")
def vectors(model_dir, eval_set):
    """(passage vectors, question vectors) of each backend, on every core."""
    texts, questions, _ = eval_set
    base = replace(Settings.from_env({}), embed_model=model_dir, threads=2)
    out = {}
    for b in ("torch", "onnx", "int8"):
        embedder = load_embedder(replace(base, embed_backend=b))
        assert isinstance(embedder, Embedder if b == "torch" else OnnxEmbedder)
        out[b] = embedder.embed_passages(texts), embedder.embed_queries(questions)
    embedder = load_build_embedder(replace(base, embed_backend="onnx"))
    assert isinstance(embedder, OpenVinoEmbedder)
    out["openvino"] = embedder.embed_passages(texts), embedder.embed_queries(questions)
    return out


def _ranked(vectors) -> np.ndarray:
    passages, questions = vectors
    return np.argsort(-(questions @ passages.T), axis=1)


def _recall(order, gold, k) -> float:
    return float(np.mean([bool(set(order[j, :k]) & g) for j, g in enumerate(gold)]))


@pytest.mark.model
def test_the_exports_agree_with_sentence_transformers_on_corpus_text(vectors):
    """Every paragraph as the build embeds it (the issue's parity: cosine ≥ 0.99 on corpus text), and
    every eval question as a query. int8 reads short questions a little less exactly on a CPU without
    VNNI, where AVX2's u8×s8 products saturate: minimum 0.9886 measured on an AMD EPYC with AVX2 only
    (0.99+ with VNNI); its rankings are held to the README's tolerance below."""
    for backend, corpus_floor, question_floor in (("onnx", 0.999, 0.999), ("int8", 0.99, 0.985),
                                                  ("openvino", 0.999, 0.999)):
        passages, questions = ((a * b).sum(axis=1) for a, b in zip(vectors["torch"], vectors[backend]))
        assert passages.min() >= corpus_floor, (backend, passages.min())
        assert questions.min() >= question_floor, (backend, questions.min())


@pytest.mark.model
def test_the_exports_rank_the_eval_questions_as_fp32_does(vectors, eval_set):
    """fp32 ONNX: the same dense ranking. int8: recall within the README's
    tolerance (it moves near-ties: measured top-1 agreement 0.80, R@1 -0.045)."""
    _, questions, gold = eval_set
    assert len(questions) > 100
    ref, onnx, int8, openvino = (_ranked(vectors[b]) for b in ("torch", "onnx", "int8", "openvino"))
    assert np.mean((ref[:, :10] == onnx[:, :10]).all(axis=1)) >= 0.98
    # bf16 (on CPUs that have it) moves the nearest ties only: measured top-1 agreement 0.987 (int8 0.79),
    # the same recall@1 and @5, @3 -0.006, on an Intel Xeon with AMX; f32 elsewhere: the fp32 ranking
    assert np.mean(openvino[:, 0] == ref[:, 0]) >= 0.95
    for k in (1, 3, 5):
        assert abs(_recall(openvino, gold, k) - _recall(ref, gold, k)) <= 0.01, k
    for k, tolerance in ((1, 0.06), (3, 0.02), (5, 0.03)):
        assert abs(_recall(int8, gold, k) - _recall(ref, gold, k)) <= tolerance, k
    assert np.mean(int8[:, 0] == ref[:, 0]) >= 0.75


@pytest.mark.model
def test_the_fp32_export_goes_by_the_models_name_and_int8_by_its_own(model_dir, tmp_path):
    """An index built on torch is not embedded again on ONNX (the same vectors);
    switching to int8 embeds every text again (other vectors)."""
    from index.build import build

    base = replace(Settings.from_env({}), data_dir=tmp_path, embed_model=model_dir, backend="extractive")
    first = build(replace(base, embed_backend="torch"), progress=False)
    assert first.embedded == first.paragraphs > 0
    same = build(replace(base, embed_backend="onnx"), progress=False)
    assert same.embedded == 0 and same.sentences_embedded == 0
    other = build(replace(base, embed_backend="int8"), progress=False)
    assert other.embedded == other.paragraphs and other.sentences_embedded == other.sentences


@pytest.mark.model
def test_the_build_runs_on_openvino_unless_told_otherwise(model_dir, monkeypatch):
    """OpenVINO only stands in for the fp32 export (int8 and torch vectors are their own),
    and a machine without openvino builds on ONNX Runtime."""
    base = replace(Settings.from_env({}), embed_model=model_dir)
    engine = load_build_embedder(base)
    assert isinstance(engine, OpenVinoEmbedder) and engine.parity >= 0.999
    assert engine.name == load_embedder(base).name  # the same vectors' name: nothing is embedded again
    assert Settings.from_env({}).build_openvino
    off = Settings.from_env({"ASSISTANT_BUILD_OPENVINO": "0"})
    assert not off.build_openvino
    assert type(load_build_embedder(replace(base, build_openvino=False))) is OnnxEmbedder
    assert type(load_build_embedder(replace(base, embed_backend="int8"))) is OnnxEmbedder
    monkeypatch.setitem(__import__("sys").modules, "openvino", None)  # import fails as if absent
    assert type(load_build_embedder(base)) is OnnxEmbedder


@pytest.mark.model
def test_openvino_compiles_in_f32_when_its_vectors_disagree(model_dir, monkeypatch):
    """bf16 on some CPU reading the model worse than the check allows: the engine
    falls back to f32, whose vectors are ONNX Runtime's."""
    folder = onnx_dir(replace(Settings.from_env({}), embed_model=model_dir), "onnx")
    real = OpenVinoEmbedder.check
    verdicts = iter([0.5])
    monkeypatch.setattr(OpenVinoEmbedder, "check", lambda self: next(verdicts, None) or real(self))
    engine = OpenVinoEmbedder(folder, threads=1)
    assert engine.precision == "f32"
    assert engine.parity >= 0.99999
