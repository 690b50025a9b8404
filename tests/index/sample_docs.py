"""Small real documents of each format, made with the formats' own libraries."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path


def make_pdf(path: Path, extra: str = "") -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    cell = pdf.multi_cell
    pdf.multi_cell = lambda w, h, text: cell(w, h, text, new_x="LMARGIN", new_y="NEXT")  # each block on its own line
    pdf.set_title("Nota AI in de bibliotheek")
    pdf.set_author("Gemeente Zwolle")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 10, "Nota AI in de bibliotheek")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "Kamerstuk 36 123, nr. 4")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, "1. Aanleiding")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "De bibliotheek in Zwolle gebruikt sinds maart een taalmodel om vragen van bezoekers te "
                         "beantwoorden. Medewerkers controleren elk antwoord voordat het wordt verstuurd." + extra)
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Het college vraagt de raad om 40.000 euro per jaar voor de proef met het taalmodel.")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, "2. Besluit")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "De raad besluit de proef twee jaar te laten lopen en in 2026 te evalueren.")
    pdf.output(str(path))
    return path


def make_docx(path: Path, footnote: str = "Zie de museumnorm 2024.") -> Path:
    """Headings, a list under its lead-in, a table with a caption, and a real
    footnote (python-docx writes no footnotes, so the part is added to the zip)."""
    import docx

    d = docx.Document()
    d.core_properties.title = "Beleidsnotitie AI in het museum"
    d.core_properties.author = "Museum Zwolle"
    d.add_heading("Beleidsnotitie AI in het museum", 0)
    d.add_heading("Aanleiding", 1)
    d.add_paragraph("Het museum wil AI gebruiken voor collectiebeschrijvingen FOOTNOTE. Dat vraagt om afspraken.")
    d.add_paragraph("De afspraken zijn:")
    d.add_paragraph("transparantie over AI-gebruik", style="List Bullet")
    d.add_paragraph("menselijke controle op elke beschrijving", style="List Bullet")
    d.add_heading("Kosten", 1)
    d.add_paragraph("Tabel 1. Kosten per jaar", style="Caption")
    t = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Post", "Bedrag"), ("Licenties", "12.000 euro"), ("Training", "8.000 euro")]):
        t.cell(r, 0).text, t.cell(r, 1).text = a, b
    d.save(str(path))
    _add_footnote(path, footnote)
    return path


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _add_footnote(path: Path, text: str) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    doc = parts["word/document.xml"].decode()
    doc = doc.replace("FOOTNOTE", "</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r><w:r><w:t xml:space=\"preserve\">")
    parts["word/document.xml"] = doc.encode()
    parts["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>').encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/'
                        'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    parts["word/_rels/document.xml.rels"] = rels.encode()
    ct = parts["[Content_Types].xml"].decode()
    ct = re.sub("</Types>", '<Override PartName="/word/footnotes.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>', ct)
    parts["[Content_Types].xml"] = ct.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


HTML = """<!doctype html><html lang="nl"><head><title>AI in de bibliotheek</title>
<meta name="dcterms.publisher" content="KB, nationale bibliotheek"><meta name="dcterms.issued" content="2024-05-01">
<script>alert(1)</script></head><body><nav>menu</nav><h1>AI in de bibliotheek</h1>
<h2>Doelen</h2><p>De bibliotheek zet AI in voor zoekhulp<a href="#fn1" class="footnote-ref"><sup>1</sup></a>.</p>
<p>Twee doelen:</p><ul><li>betere vindbaarheid</li><li>toegankelijkheid</li></ul>
<h2>Planning</h2><table><caption>Stappen</caption><tr><th>Jaar</th><th>Stap</th></tr><tr><td>2025</td><td>proef</td></tr>
<tr><td>2026</td><td>evaluatie</td></tr></table>
<section class="footnotes"><ol><li id="fn1">Zie het jaarplan 2024. <a href="#fnref1">↩</a></li></ol></section>
</body></html>"""


def make_html(path: Path, text: str = HTML) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def make_text(path: Path, text: str = "Notitie over AI in archieven: de gemeente wil weten of een taalmodel helpt "
              "bij het beschrijven en ontsluiten van oude raadsstukken en bouwdossiers.\n\nDe gemeente onderzoekt het "
              "gebruik van AI in archieven.\nDit onderzoek loopt tot 2026.\n") -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def make_markdown(path: Path) -> Path:
    path.write_text("# Plan AI in het archief\n\n## Doel\n\nHet doel is beter archiveren met AI.\n\n"
                    "## Middelen\n\nEr is 15.000 euro beschikbaar.\n", encoding="utf-8")
    return path
