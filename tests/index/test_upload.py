"""Uploads land in <data>/uploads under a safe name, whole, or are refused with the reason."""
from dataclasses import replace

import pytest

from settings import Settings
from index.upload import MAX_FILES, accept, safe_name


@pytest.mark.parametrize("name, safe", [
    ("nota.pdf", "nota.pdf"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("/abs/path/brief.docx", "brief.docx"),
    ("..\\..\\windows\\nota.html", "nota.html"),
    ("notitie museum (v2).docx", "notitie_museum_v2_.docx"),
    ("..", "document"),
])
def test_names_keep_only_their_last_part(name, safe):
    assert safe_name(name) == safe


def test_accept_stores_inside_uploads_and_refuses_with_reasons(tmp_path):
    settings = replace(Settings.from_env({}), data_dir=tmp_path / "data")
    good = tmp_path / "nota.txt"
    good.write_text("Een notitie over AI in het archief.", encoding="utf-8")
    empty = tmp_path / "leeg.txt"
    empty.write_text("", encoding="utf-8")
    image = tmp_path / "foto.png"
    image.write_bytes(b"\x89PNG")
    result = accept(settings, [("../../nota.txt", good), ("leeg.txt", empty), ("foto.png", image)])
    assert result.stored == [(tmp_path / "data" / "uploads" / "nota.txt").resolve()]
    assert result.stored[0].read_text(encoding="utf-8") == "Een notitie over AI in het archief."
    assert [(p.file, p.code) for p in result.refused] == [("leeg.txt", "empty"), ("foto.png", "unsupported_type")]
    assert not list((tmp_path / "data" / "uploads").glob("*.part"))
    many = accept(settings, [(f"n{i}.txt", good) for i in range(MAX_FILES + 2)])
    assert len(many.stored) == MAX_FILES and len(many.refused) == 2
