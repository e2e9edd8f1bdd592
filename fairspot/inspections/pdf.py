"""PDF versions of the notice (随机抽查通知书) and the inspection record form (检查记录表), A4.

The Chinese font is embedded in the file (``fairspot.core.pdffont``: ``FAIRSPOT_PDF_FONT_FILE``), so an
official document looks the same on every reader and printer.
"""

from __future__ import annotations

import io
import math
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Circle, Drawing, Group, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from fairspot.core.pdffont import pdf_font


def _font() -> str:
    return pdf_font()


def _styles():
    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1, spaceAfter=6),
        "sub": ParagraphStyle("sub", fontName=font, fontSize=10, leading=14, alignment=1, spaceAfter=8),
        "h": ParagraphStyle("h", fontName=font, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4),
        "p": ParagraphStyle("p", fontName=font, fontSize=10.5, leading=16),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(rows, widths, style) -> Table:
    table = Table([[_p(c, style) for c in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    return table


def _build(story, title: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Fairspot",
        invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()


SEAL_RED = colors.Color(0.82, 0.07, 0.11)
BLANK = "＿＿＿＿"  # a line to write on by hand


def seal(issuer: str, size: float = 40 * mm) -> Drawing:
    """A seal-like block for the issuing department: a red ring, its name along the upper arc, a star,
    and the words 电子章样式 — a drawing of where the seal goes, never taken for a real seal."""
    font = _font()
    r = size / 2
    drawing = Drawing(size, size)
    drawing.add(Circle(r, r, r - 1.5, strokeColor=SEAL_RED, strokeWidth=2.2, fillColor=None))
    drawing.add(
        String(r, r - 7, "★", fontName=font, fontSize=size * 0.28, fillColor=SEAL_RED, textAnchor="middle")
    )
    drawing.add(
        String(
            r, r * 0.38, "电子章样式", fontName=font, fontSize=6.5, fillColor=SEAL_RED, textAnchor="middle"
        )
    )
    n = len(issuer)
    spread = min(250.0, 22.0 * n)  # degrees of arc the name covers, centred on the top
    font_size = min(10.5, size * 0.9 * math.pi * spread / 360 / max(n, 1))
    radius = r - 4 - font_size
    for i, char in enumerate(issuer):
        angle = 90 + spread / 2 - (spread * (i + 0.5) / n)  # from left to right over the top
        rad = math.radians(angle)
        glyph = Group(
            String(0, 0, char, fontName=font, fontSize=font_size, fillColor=SEAL_RED, textAnchor="middle")
        )
        glyph.rotate(angle - 90)
        placed = Group(glyph)
        placed.translate(r + radius * math.cos(rad), r + radius * math.sin(rad))
        drawing.add(placed)
    return drawing


def _signoff(ctx: dict, style) -> Table:
    """The department's name and date at the right, the seal block over them (where the seal goes)."""
    signature = _p(f"{ctx['departments']}\n{ctx['issued']:%Y年%m月%d日}", style)
    table = Table([["", seal(ctx["issuer"]), signature]], colWidths=[70 * mm, 45 * mm, 55 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def notice_pdf(ctx: dict) -> bytes:
    """``ctx`` is the context of the notice page (see ``views.notice_context``)."""
    s = _styles()
    visit = ctx["visit"]
    target = visit.target
    draw_number = ctx["number"].replace(" · ", "，")  # the CID font has no middle dot
    story = [
        _p("随机抽查通知书", s["title"]),
        _p(ctx["doc_number"], s["sub"]),
        _p(f"{target.name}（统一社会信用代码：{target.identifier}）：", s["p"]),
        Spacer(1, 4),
        _p(
            f"根据“双随机、一公开”监管工作安排，经随机抽取，{ctx['departments']}将于"
            f"{visit.inspection_date:%Y年%m月%d日}对你单位开展联合抽查，一次完成下列事项的检查。"
            "请做好准备，届时配合检查。",
            s["p"],
        ),
        _p("一、抽查事项", s["h"]),
        _table(
            [["事项编号", "事项名称", "检查依据"]]
            + [[li.item.code, li.item.name, li.item.legal_basis or "—"] for li in ctx["lines"]],
            [25 * mm, 60 * mm, 85 * mm],
            s["cell"],
        ),
        _p("二、检查人员", s["h"]),
        _table(
            [["姓名", "单位", "执法证号", "职责"]]
            + [
                [m.name, m.department.short_name or m.department.name, m.certificate_no, r]
                for m, r in ctx["team"]
            ],
            [30 * mm, 50 * mm, 50 * mm, 40 * mm],
            s["cell"],
        ),
        _p("三、请准备以下材料", s["h"]),
    ]
    for n, doc in enumerate(ctx["documents"], start=1):
        story.append(_p(f"{n}. {doc}", s["p"]))
    story += [
        Spacer(1, 8),
        _p(
            "检查人员应出示执法证件；检查结果将于检查结束之日起20个工作日内通过国家企业信用信息公示系统公示。"
            f"你单位可使用抽查公布的种子自行核验本次抽取是否公平（抽取编号：{draw_number}）。",
            s["p"],
        ),
        *_check_code(ctx, s),
        Spacer(1, 6),
        _p(f"联系人：{ctx['contact'] or BLANK}　　联系电话：{ctx['contact_phone'] or BLANK * 2}", s["p"]),
        Spacer(1, 12),
        _signoff(ctx, ParagraphStyle("r", parent=s["p"], alignment=2)),
        _p(
            f"（印章处：上图为电子章样式，不是实际印章；正式文书须加盖{ctx['issuer']}公章。）",
            ParagraphStyle("note", parent=s["cell"], alignment=2, textColor=colors.grey),
        ),
    ]
    return _build(story, f"随机抽查通知书 {target.name}")


CHECK_CODE_TEXT = (
    "请用手机扫描二维码（亮码入企），核验本次检查的部门、检查人员、检查事项和抽取过程；"
    "可确认检查并评价，也可对检查人员提出回避申请。"
)
NOT_APPROVED_TEXT = "本次检查尚未审批：审批前检查人员不得入企检查，本通知书不附检查码。"


def _check_code(ctx: dict, s) -> list:
    """四、检查码: the QR code of the public check page (approved visits only) and what it is for."""
    story = [_p("四、检查码", s["h"])]
    if not ctx.get("check_url"):
        return [*story, _p(NOT_APPROVED_TEXT, s["p"])]
    size = 32 * mm
    widget = QrCodeWidget(ctx["check_url"])
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    text = _p(f"{CHECK_CODE_TEXT}\n{ctx['check_url']}", s["cell"])
    table = Table([[drawing, text]], colWidths=[size + 4 * mm, 170 * mm - size - 4 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [*story, table]


def record_pdf(ctx: dict) -> bytes:
    s = _styles()
    visit = ctx["visit"]
    target = visit.target
    story = [
        _p("检查记录表", s["title"]),
        _p(ctx["number"], s["sub"]),
        _table(
            [
                ["检查对象", target.name, "统一社会信用代码", target.identifier],
                ["地址", target.address or "—", "检查日期", f"{visit.inspection_date:%Y-%m-%d}"],
                ["检查部门", ctx["departments"], "检查人员", "、".join(m.name for m, _r in ctx["team"])],
            ],
            [25 * mm, 60 * mm, 30 * mm, 55 * mm],
            s["cell"],
        ),
    ]
    methods = "　".join(f"□{m.code} {m.label}" for m in ctx["methods"])
    for li in ctx["lines"]:
        story.append(_p(f"{li.item.code} {li.item.name}", s["h"]))
        story.append(_p(f"检查方式：{methods}", s["cell"]))
        rows = [["序号", "检查要点", "是", "否", "不适用", "说明"]]
        points = li.item.checklist_points or ["（本事项未列检查要点）"]
        rows += [[str(n), p, "□", "□", "□", ""] for n, p in enumerate(points, start=1)]
        story.append(_table(rows, [12 * mm, 80 * mm, 10 * mm, 10 * mm, 14 * mm, 44 * mm], s["cell"]))
        story.append(_table([["检查发现"], ["\n\n\n"]], [170 * mm], s["cell"]))
    story += [
        Spacer(1, 12),
        _p("检查人员签名：________________　________________　　日期：__________", s["p"]),
        Spacer(1, 8),
        _p("被检查单位意见及负责人签名：______________________________　　日期：__________", s["p"]),
    ]
    return _build(story, f"检查记录表 {target.name}")
