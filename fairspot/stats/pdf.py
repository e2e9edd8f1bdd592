"""The annual assessment report as a PDF (A4 landscape, ReportLab's built-in Chinese CID font).

The report's sheet is turned on its side: a row per figure, a column per department and the total, so
that many figures fit on the page whatever the number of departments.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from fairspot.core.pdffont import pdf_font


def assessment_pdf(title: str, header: list[str], rows: list[list], footer: str) -> bytes:
    font = pdf_font()
    heading = ParagraphStyle("t", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=8)
    cell = ParagraphStyle("c", fontName=font, fontSize=8, leading=10)
    small = ParagraphStyle("s", fontName=font, fontSize=8, leading=10)
    # turned: the first column names the figures, then one column per department (the last: the total)
    turned = [
        [Paragraph(escape(str(h)), cell)] + [Paragraph(escape(str(r[i])), cell) for r in rows]
        for i, h in enumerate(header)
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
    )
    width = doc.width
    first = min(60 * mm, width / 3)
    others = (width - first) / max(len(rows), 1)
    table = Table(turned, colWidths=[first] + [others] * len(rows), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("BACKGROUND", (-1, 0), (-1, -1), colors.HexColor("#f4f4f4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    doc.build([Paragraph(escape(title), heading), table, Spacer(1, 6 * mm), Paragraph(escape(footer), small)])
    return buffer.getvalue()
