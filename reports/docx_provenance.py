"""The Word document's "Källor och härkomst": the same appendix as the PDF's (reports/provenance.py,
templates/reports/includes/provenance.html), in the same words, with Word headings and a Word table."""


def _plural(count, one, many):
    return f"{count} {one if count == 1 else many}"


def write(writer, report):
    """Add the appendix of `report` through `writer` (reports.docx's document writer)."""
    p = report.provenance
    writer.heading("Källor och härkomst", 1)
    text = f"Rapporten visar {p.values} värden och {p.judgements} bedömningar."
    if p.sources:
        text += (
            " Värdenas källor: " + ", ".join(f"{label.lower()} {count}" for label, count in p.sources) + "."
        )
    text += (
        " Varje värde, bedömning och målvärde har en egen härkomstsida i Noramål: vem som matade in eller"
        " importerade det, när, från vilken källa, mot vilket beslutat målvärde och vem som godkände det."
    )
    writer.paragraph(text)
    if p.files:
        writer.heading("Importerade filer", 2)
        rows = [
            [
                f.name,
                _plural(f.rows, "värde", "värden")
                if f.what == "värden"
                else _plural(f.rows, "bedömning", "bedömningar"),
                f.imported_on.isoformat() if f.imported_on else "",
                f.sha256,
            ]
            for f in p.files
        ]
        writer.table(["Fil", "Innehåll", "Importerad", "SHA-256"], rows)
    if p.kolada_days:
        writer.heading("Hämtat från Kolada", 2)
        days = " · ".join(
            f"{day.isoformat()}: {_plural(count, 'värde', 'värden')}" for day, count in p.kolada_days
        )
        writer.paragraph(days + ".")
    writer.heading("Ändrade målvärden", 2)
    if not p.targets:
        writer.paragraph("Inga målvärden har ändrats efter beslut.")
    for t in p.targets:
        changed = t.changed_on.isoformat()
        text = f"{t.indicator}, {t.years}: {t.target}. Ändrat {changed} genom beslut {t.decision}: {t.reason}"
        writer.paragraph(text, "List Bullet")
