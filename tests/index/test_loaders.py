"""Each format → paragraphs with their structure: sections, lists, tables,
footnotes, PDF pages, metadata, official references; bad files are refused
with the reason."""
import pytest

from index.loaders import load_file
from index.paragraphs import split_paragraphs
from index.sources import SourceError
from sample_docs import make_docx, make_html, make_markdown, make_pdf, make_text


def _paras(path):
    doc = load_file(path)
    return doc, {p.id: p for p in split_paragraphs(doc)}


def test_pdf_keeps_pages_headings_and_reference(tmp_path):
    doc, paras = _paras(make_pdf(tmp_path / "nota.pdf"))
    assert (doc.id, doc.title, doc.publisher, doc.language) == ("nota", "Nota AI in de bibliotheek", "Gemeente Zwolle", "nl")
    assert doc.reference == "Kamerstuk 36 123, nr. 4"
    first = paras["nota#1-aanleiding/p1"]
    assert first.section == ("1. Aanleiding",) and first.page == 1 and first.text.startswith("De bibliotheek in Zwolle")
    assert "Medewerkers controleren" in first.text  # lines of one paragraph joined
    assert paras["nota#1-aanleiding/p2"].text.startswith("Het college vraagt")
    assert paras["nota#2-besluit/p1"].page == 2


def test_docx_keeps_headings_lists_tables_and_footnotes(tmp_path):
    doc, paras = _paras(make_docx(tmp_path / "notitie.docx"))
    assert doc.title == "Beleidsnotitie AI in het museum" and doc.publisher == "Museum Zwolle"
    lead = paras["notitie#aanleiding/p2"]
    assert lead.kind == "list" and lead.text == ("De afspraken zijn:\n- transparantie over AI-gebruik\n"
                                                 "- menselijke controle op elke beschrijving")
    table = paras["notitie#kosten/p1"]
    assert table.section == ("Kosten",)
    assert "Tabel 1. Kosten per jaar" in table.text and "Post: Licenties; Bedrag: 12.000 euro" in table.text
    note = paras["notitie#fn1"]
    assert note.kind == "footnote" and note.text == "Zie de museumnorm 2024."
    assert paras["notitie#aanleiding/p1"].footnotes == ("notitie#fn1",)


def test_html_drops_scripts_and_navigation_keeps_structure(tmp_path):
    doc, paras = _paras(make_html(tmp_path / "pagina.html"))
    assert (doc.title, doc.publisher, doc.date, doc.language) == ("AI in de bibliotheek", "KB, nationale bibliotheek",
                                                                   "2024-05-01", "nl")
    texts = " ".join(p.text for p in paras.values())
    assert "alert" not in texts and "menu" not in texts
    assert paras["pagina#doelen/p1"].text == "De bibliotheek zet AI in voor zoekhulp."
    assert paras["pagina#doelen/p1"].footnotes == ("pagina#fn1",)
    assert paras["pagina#doelen/p2"].text == "Twee doelen:\n- betere vindbaarheid\n- toegankelijkheid"
    assert "Jaar: 2026; Stap: evaluatie" in paras["pagina#planning/p1"].text
    assert paras["pagina#fn1"].text == "Zie het jaarplan 2024."


def test_text_and_markdown_without_front_matter(tmp_path):
    doc, paras = _paras(make_text(tmp_path / "notitie.txt"))
    assert doc.title == "notitie" and len(paras) == 2
    assert paras["notitie#p2"].text == "De gemeente onderzoekt het gebruik van AI in archieven. Dit onderzoek loopt tot 2026."
    doc, paras = _paras(make_markdown(tmp_path / "plan.md"))
    assert doc.title == "Plan AI in het archief" and set(paras) == {"plan#doel/p1", "plan#middelen/p1"}


def test_sidecar_metadata_overrides_what_the_file_says(tmp_path):
    path = make_text(tmp_path / "notitie.txt")
    (tmp_path / "notitie.txt.meta.yaml").write_text(
        "id: gemeente-notitie\ntitle: Notitie archieven\npublisher: Gemeente Zwolle\ndate: 2024-06-01\n"
        "reference: Kamerstuk 36 000, nr. 9\n", encoding="utf-8")
    doc = load_file(path)
    assert (doc.id, doc.title, doc.publisher, doc.date, doc.reference) == (
        "gemeente-notitie", "Notitie archieven", "Gemeente Zwolle", "2024-06-01", "Kamerstuk 36 000, nr. 9")


@pytest.mark.parametrize("name, content, reason", [
    ("kapot.pdf", b"%PDF-1.4 this is not really a pdf", "cannot be read as PDF"),
    ("kapot.docx", b"PK\x03\x04 not a zip", "cannot be read as DOCX"),
    ("leeg.txt", b"  \n\n ", "contains no text"),
    ("binair.txt", b"\xff\xfe\x00\x81", "not UTF-8"),
    ("plaatje.png", b"\x89PNG", "unsupported file type"),
])
def test_unreadable_files_are_refused_with_the_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError, match=reason):
        load_file(path)
