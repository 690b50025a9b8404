from pathlib import Path

import pytest

from settings import Settings
from index.sources import SourceError, load_document, load_sources

GOOD = """---
id: test-doc
title: Test
publisher: Ministerie
date: 2024-04-22
language: nl
kind: Kamerbrief
reference: Kamerstuk 1, nr. 2
---

# Test

Een alinea.
"""


def test_shipped_sources_have_full_metadata():
    docs = load_sources(Settings.from_env({}).sources_dir)
    assert {d.id for d in docs} == {"nemo-ai-musea-2024", "kst-21501-34-418"}
    letter = next(d for d in docs if d.id == "kst-21501-34-418")
    assert letter.reference == "Kamerstuk 21 501-34, nr. 418"
    assert letter.date == "2024-04-22" and letter.language == "nl" and letter.kind == "Kamerbrief"
    for d in docs:
        assert d.title and d.publisher and d.kind


def test_front_matter_parsed_and_body_offset(tmp_path: Path):
    p = tmp_path / "a.md"
    p.write_text(GOOD, encoding="utf-8")
    d = load_document(p)
    assert d.id == "test-doc" and d.date == "2024-04-22" and d.reference == "Kamerstuk 1, nr. 2"
    assert d.text[d.body_start:].lstrip().startswith("# Test")


@pytest.mark.parametrize("text, reason", [
    ("# no front matter\n", "no front matter"),
    (GOOD.replace("publisher: Ministerie\n", ""), "lacks publisher"),
    (GOOD.replace("date: 2024-04-22", "date: gisteren"), "not YYYY-MM-DD"),
    (GOOD.replace("id: test-doc", "id: Bad Id"), "must be lower-case"),
])
def test_bad_sources_say_why(tmp_path: Path, text, reason):
    p = tmp_path / "bad.md"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=reason):
        load_document(p)


def test_not_utf8(tmp_path: Path):
    p = tmp_path / "bin.md"
    p.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SourceError, match="not UTF-8"):
        load_document(p)


def test_duplicate_ids_rejected(tmp_path: Path):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text(GOOD, encoding="utf-8")
    with pytest.raises(SourceError, match="used by a.md"):
        load_sources(tmp_path)
