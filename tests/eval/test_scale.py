"""The scale benchmark (python -m eval bench --scale), end to end at a tiny
size: a synthetic corpus of recombined real sentences, built into the embedded
store, searched there and through a real ``chroma run`` server serving that
same store (--serve-built), with JSON and a plot written; run again over the
kept work folder (--work), it resumes: nothing left to embed."""
import json
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import REPO
from eval.scale import PER_DOC, scale, synthesize
from index.build import corpus
from index.sentences import split_sentences
from settings import Settings


def test_synthetic_corpus_is_real_sentences_recombined(tmp_path):
    settings = replace(Settings.from_env({}), data_dir=REPO / "data")
    real = {p.text[a:b].strip() for _, p in corpus(settings) for a, b in split_sentences(p.text)}
    assert synthesize(settings, PER_DOC + 30, tmp_path) == PER_DOC + 30
    files = sorted(tmp_path.glob("*.md"))
    assert [f.name for f in files] == ["syn-00000.md", "syn-00001.md"]
    body = files[1].read_text(encoding="utf-8").split("\n---\n", 1)[1]
    paragraphs = [b for b in body.split("\n\n") if b.strip() and not b.lstrip().startswith("#")]
    assert len(paragraphs) == 30
    for para in paragraphs:
        assert _pieces(para.strip(), real) in (2, 3, 4), para

    # a fixed seed: the same corpus every time
    again = tmp_path / "again"
    synthesize(settings, PER_DOC + 30, again)
    assert (again / "syn-00001.md").read_text(encoding="utf-8") == files[1].read_text(encoding="utf-8")


def _pieces(text: str, sentences: set[str]) -> int | None:
    """The fewest real sentences that, joined by spaces, make up ``text``."""
    best = {0: 0}
    for i in range(len(text) + 1):
        if i in best:
            for s in sentences:
                if text.startswith(s, i):
                    j = i + len(s) + 1  # and the space after it
                    best[j] = min(best.get(j, 99), best[i] + 1)
    return best.get(len(text) + 1)


@pytest.mark.model
def test_scale_embedded_and_served(tmp_path, monkeypatch, model_dir):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(REPO / "data"))
    monkeypatch.setenv("ASSISTANT_EMBED_MODEL", str(model_dir))
    out = tmp_path / "out"
    results = scale([60], ["embedded", "server"], out, work=tmp_path / "work", serve_built=True)

    embedded, server = results["runs"]
    assert (embedded["mode"], server["mode"]) == ("embedded", "server")
    build = embedded["build"]
    # the lead-in rule may join a few; the document's header card and its numbered
    # section headings ("1. …") are citable units of their own
    from eval.scale import SECTIONS

    assert 55 <= build["paragraphs"] <= 60 + 1 + SECTIONS
    assert build["sentences"] >= 1.5 * build["paragraphs"]  # 2-4 real sentences each
    assert build["embedded"] == build["paragraphs"] and build["sentences_embedded"] == build["sentences"]
    assert build["paragraphs_per_s"] > 0 and build["cpu_seconds"] > 0 and build["peak_rss_mb"] > 100
    assert server["build"] == {"served_from": "embedded"}
    for run in (embedded, server):
        s = run["search"]
        assert s["questions"] == 40
        assert 0 < s["retrieve_p50_ms"] <= s["retrieve_p95_ms"] <= s["search_p95_ms"]
    assert server["server_peak_rss_mb"] > 10

    assert json.loads((out / "scale.json").read_text(encoding="utf-8")) == results
    assert (out / "scale.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "work" / "data-60-embedded" / "chroma").is_dir()  # kept: a stopped run can resume

    again = scale([60], ["embedded"], out, work=tmp_path / "work")["runs"][0]["build"]
    assert (again["paragraphs"], again["sentences"]) == (build["paragraphs"], build["sentences"])
    assert again["embedded"] == again["sentences_embedded"] == 0
    assert "paragraphs_per_s" not in again  # no rate for a build that embedded nothing
