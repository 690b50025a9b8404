"""python -m index add / sync over a sequence of edits: the store always holds
exactly the paragraphs of the current files — no duplicates, nothing lost —
and unchanged paragraphs are not embedded again."""
import shutil
import subprocess
from dataclasses import replace

import pytest

from conftest import PYTHON, REPO, env_for
from index.build import build
from index.lexical import LexicalIndex
from index.library import register, unregister
from index.loaders import load_file
from index.paragraphs import split_paragraphs
from settings import Settings
from index.store import open_collection, sentence_collection
from sample_docs import make_docx, make_html, make_markdown, make_pdf, make_text

pytestmark = pytest.mark.model


@pytest.fixture
def settings(tmp_path, model_dir):
    (tmp_path / "sources").mkdir()
    return replace(Settings.from_env({}), data_dir=tmp_path / "data", sources_dir=tmp_path / "sources",
                   embed_model=model_dir, backend="extractive")


def expected_ids(*paths):
    """Paragraph ids of the given files, worked out without the index."""
    return {p.id for path in paths for p in split_paragraphs(load_file(path))}


def stored(settings):
    paragraphs = open_collection(settings).get(include=[])["ids"]
    assert len(paragraphs) == len(set(paragraphs)), "duplicate paragraphs in the store"
    sentences = open_collection(settings, name=sentence_collection(settings)).get(include=["metadatas"])
    assert {m["para_id"] for m in sentences["metadatas"]} == set(paragraphs), "sentences out of step"
    assert set(LexicalIndex.load(settings.data_dir).ids) == set(paragraphs), "BM25 out of step"
    return set(paragraphs)


def test_add_and_sync_follow_every_edit(settings, tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    txt, md, html = make_text(folder / "notitie.txt"), make_markdown(folder / "plan.md"), make_html(folder / "pagina.html")
    register(settings, [folder])
    r = build(settings, progress=False)
    assert stored(settings) == expected_ids(txt, md, html) and r.embedded == len(expected_ids(txt, md, html))

    # nothing changed: nothing converted again, embedded or removed
    import index.library

    read = []
    monkeypatch.setattr(index.library, "load_file", lambda path: read.append(path) or load_file(path))
    r = build(settings, progress=False)
    assert (r.embedded, r.deleted, read) == (0, 0, [])

    # one paragraph edited: only it is embedded again, every id stays (both paragraphs are long
    # enough to be embedded without their neighbours' text)
    before = stored(settings)
    txt.write_text(txt.read_text(encoding="utf-8").replace("loopt tot 2026", "loopt tot 2027"), encoding="utf-8")
    r = build(settings, progress=False)
    assert r.embedded == 1 and stored(settings) == before

    # single files added beside the folder
    pdf, docx = make_pdf(tmp_path / "nota.pdf"), make_docx(tmp_path / "notitie-museum.docx")
    register(settings, [pdf, docx])
    build(settings, progress=False)
    assert stored(settings) == expected_ids(txt, md, html, pdf, docx)

    # a deleted file leaves the index
    html.unlink()
    build(settings, progress=False)
    assert stored(settings) == expected_ids(txt, md, pdf, docx)

    # a file damaged on disk is reported and skipped; its last readable version stays
    good = expected_ids(docx)
    docx.write_bytes(b"PK\x03\x04 damaged")
    r = build(settings, progress=False)
    assert [(p.file.split("/")[-1], p.code, p.params["format"], p.kept) for p in r.skipped] == [
        ("notitie-museum.docx", "unreadable_format", "DOCX", True)]
    assert stored(settings) == expected_ids(txt, md, pdf) | good

    # ... and leaves once it is deleted; forgetting the folder removes its files
    docx.unlink()
    build(settings, progress=False)
    assert stored(settings) == expected_ids(txt, md, pdf)
    unregister(settings, [folder])
    build(settings, progress=False)
    assert stored(settings) == expected_ids(pdf)


def test_cli_add_reports_unreadable_files_and_answers_with_page_numbers(settings, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "nota.pdf")
    (folder / "kapot.pdf").write_bytes(b"%PDF-1.4 not really")
    env = env_for(settings)
    env["ASSISTANT_SOURCES_DIR"] = str(settings.sources_dir)
    run = subprocess.run([PYTHON, "-m", "index", "add", str(folder), "--quiet"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr  # done, with a file skipped
    assert "skipped" in run.stderr and "kapot.pdf" in run.stderr and "cannot be read as PDF" in run.stderr
    assert "indexed" in run.stdout
    ask = subprocess.run([PYTHON, "-m", "assistant", "ask", "--json", "Hoeveel geld vraagt het college voor de proef?"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    import json

    assert ask.returncode == 0, ask.stderr[-2000:]
    answer = json.loads(ask.stdout)
    assert "40.000 euro" in answer["text"]
    cited = answer["citations"][0]
    assert cited["id"] == "nota#1-aanleiding/p2" and cited["page"] == 1 and cited["doc_title"] == "Nota AI in de bibliotheek"
    shutil.rmtree(folder)
