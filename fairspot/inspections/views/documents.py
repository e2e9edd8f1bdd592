"""The printed documents of a visit: the notice to the target and the record form, as pages and PDFs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from fairspot.inspections import checkcode, pdf, services
from fairspot.inspections.selectors import visits_for
from fairspot.reference.models import CheckMethod

DOCUMENTS = [
    "营业执照（副本）及法定代表人（负责人）身份证明",
    "与抽查事项相关的许可证件、资质证明",
    "本年度及上一年度的年度报告和即时公示信息的证明材料",
]


def official(visit, issued) -> dict:
    """What makes the notice an official document: its 文号, the issuing department (the seal), the
    contact person and phone. The 文号 is the lead department's short name, the year and the visit's
    number, so one visit's notice always carries the same number."""
    issuer = visit.department
    short = issuer.short_name or issuer.name
    leader = visit.leader
    return {
        "doc_number": f"{short}随抽通〔{issued.year}〕{visit.pk}号",
        "issuer": issuer.name,
        "contact": leader.name if leader else "",
        "contact_phone": leader.phone if leader else "",
    }


def _context(visit, request=None) -> dict:
    issued = timezone.localdate()
    lines = list(visit.lines.select_related("item").order_by("item__code"))
    members = list(visit.members.select_related("department"))
    team = [(visit.leader, "组长")] + [(m, "组员") for m in members if m.pk != visit.leader_id]
    departments = "、".join(d.name for d in visit.departments.all()) or visit.department.name
    documents = list(DOCUMENTS)
    for line in lines:
        for point in line.item.checklist_points:
            documents.append(f"{line.item.code}：{point}的相关记录")
    return {
        "visit": visit,
        "lines": lines,
        "team": team,
        "departments": departments,
        "documents": documents,
        "number": "、".join(d.draw_id for d in visit.draws.all()) + f" · {visit.target.identifier}",
        "issued": issued,
        **official(visit, issued),
        "methods": list(CheckMethod.objects.all()),
        "check_url": checkcode.check_url(request, visit)
        if request is not None and services.is_approved(visit)
        else "",
    }


def _pdf_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def notice(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    ctx = _context(visit, request)
    ctx["check_qr"] = checkcode.qr_svg(ctx["check_url"], size=120) if ctx["check_url"] else ""
    return render(request, "inspections/notice.html", ctx)


@login_required
def notice_pdf(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    return _pdf_response(pdf.notice_pdf(_context(visit, request)), f"notice-{visit.pk}.pdf")


@login_required
def record_form(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    return render(request, "inspections/record_form.html", _context(visit))


@login_required
def record_pdf(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    return _pdf_response(pdf.record_pdf(_context(visit)), f"record-{visit.pk}.pdf")
