"""The check-code page (亮码入企): ``/public/check/<code>/``, opened from the QR code the officers show.

Without login and without personal data it tells the firm whether the visit in front of it is real:
the department, the officers (names and certificate numbers masked), the items, the dates, the check
approval, and the draw the visit came from with a link to the draw's public verification page. The
firm confirms and rates the visit and may ask for an officer's withdrawal.

Unlike the rest of the portal these pages are never cached (they change with the visit, and they carry
forms) and the two forms write, through ``inspections.services`` — the firm's only voice here. Every
request counts against the client address (``ratelimit``); a code that does not exist gives the same
404 page as any missing page.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from fairspot.core import actions
from fairspot.inspections import services
from fairspot.inspections.models import ResultStatus, Visit
from fairspot.portal import ratelimit
from fairspot.portal.forms import FeedbackForm, ObjectionForm, RepairForm, WithdrawalForm
from fairspot.portal.privacy import mask_certificate, mask_person_name, mask_text
from fairspot.portal.selectors import public_draws

CODE_PATTERN = r"[0-9A-Za-z_-]{16,64}"


def _visit(code: str) -> Visit:
    visit = (
        Visit.objects.select_related("department", "leader", "replaced_by").filter(check_code=code).first()
    )
    if visit is None:
        raise Http404
    return visit


def _team(visit: Visit) -> list[dict]:
    members = sorted(
        visit.members.select_related("department"), key=lambda m: (m.pk != visit.leader_id, m.pk)
    )
    return [
        {
            "pk": m.pk,
            "name": mask_person_name(m.name),
            "certificate": mask_certificate(m.certificate_no),
            "department": m.department.short_name or m.department.name,
            "leader": m.pk == visit.leader_id,
        }
        for m in members
    ]


def _results(visit: Visit) -> list[dict]:
    """The visit's published results as the firm sees them, with its objections and repair applications."""
    lines = (
        visit.lines.filter(status=ResultStatus.PUBLISHED)
        .select_related("item", "result_code", "display_end")
        .prefetch_related("corrections__result_code", "objections", "repairs")
        .order_by("item__code")
    )
    out = []
    for li in lines:
        rule = services.rule_of(li)
        ended = li.display_end if hasattr(li, "display_end") else None
        out.append(
            {
                "pk": li.pk,
                "item": li.item,
                "result": li.current_code.label if li.current_code else "",
                "corrected": bool(li.corrections.all()),
                "published": li.published_at,
                "object_by": services.objection_deadline(li),
                "shown_until": None if ended else services.display_until(li, rule),
                "ended": ended,
                "may_repair": bool(rule and rule.negative and rule.repairable and not ended),
                "objections": [
                    {
                        "received": o.received_on,
                        "late": o.late,
                        "due": o.due,
                        "decision": o.get_decision_display(),
                        "pending": o.decision == "pending",
                        "answer": mask_text(o.answer),
                    }
                    for o in li.objections.all()
                ],
                "repairs": [
                    {
                        "applied": r.applied_on,
                        "decision": r.get_decision_display(),
                        "answer": mask_text(r.answer),
                    }
                    for r in li.repairs.all()
                ],
            }
        )
    return out


def _context(visit: Visit) -> dict:
    state = services.check_state(visit)
    team = _team(visit)
    public = set(public_draws().filter(visits=visit).values_list("pk", flat=True))
    draws = [d for d in visit.draws.select_related("task").order_by("draw_id") if d.pk in public]
    return {
        "visit": visit,
        "state": state,
        "states": services.CheckState,
        "departments": [d.short_name or d.name for d in visit.departments.all()] or [visit.department.name],
        "team": team,
        "lines": visit.lines.select_related("item", "department").order_by("item__code"),
        "draws": draws,
        "approvals": [d.check_approval for d in draws if hasattr(d, "check_approval")],
        "feedback": getattr(visit, "feedback", None),
        "may_rate": visit.inspection_date <= timezone.localdate(),
        "withdrawals": [
            {
                "officer": mask_person_name(w.inspector.name),
                "decision": w.get_decision_display(),
                "pending": w.decision == "pending",
                "due": w.due,
                "answer": mask_text(w.answer),
            }
            for w in visit.withdrawals.select_related("inspector")
        ],
        "team_choices": [(m["pk"], f"{m['name']} · {m['certificate']}") for m in team],
        "results": (results := _results(visit)),
        "objection_choices": [
            (r["pk"], f"{r['item'].name} · {r['result']}") for r in results if not r["ended"]
        ],
        "repair_choices": [
            (r["pk"], f"{r['item'].name} · {r['result']}") for r in results if r["may_repair"]
        ],
    }


def _page(request, visit: Visit, *, status: int = 200, **bound):
    ctx = _context(visit)
    ctx["feedback_form"] = bound.get("feedback_form") or FeedbackForm()
    ctx["withdrawal_form"] = bound.get("withdrawal_form") or WithdrawalForm(team=ctx["team_choices"])
    ctx["objection_form"] = bound.get("objection_form") or ObjectionForm(lines=ctx["objection_choices"])
    ctx["repair_form"] = bound.get("repair_form") or RepairForm(lines=ctx["repair_choices"])
    ctx["done"] = request.GET.get("done", "")
    response = render(request, "portal/check.html", ctx, status=status)
    add_never_cache_headers(response)
    response["Content-Language"] = "zh-hans"
    return response


def _back(visit: Visit, done: str):
    return redirect(reverse("portal:check", kwargs={"code": visit.check_code}) + f"?done={done}")


def _limited(request):
    response = render(request, "portal/check_limited.html", status=429)
    add_never_cache_headers(response)
    return response


def check_code_page(view):
    """Chinese, rate-limited per address, never cached; the code is looked up inside."""

    def wrapper(request, code: str):
        with translation.override("zh-hans"):
            if ratelimit.over_limit(request):
                return _limited(request)
            return view(request, _visit(code))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_http_methods(["GET", "HEAD"])
@check_code_page
def check(request, visit: Visit):
    return _page(request, visit)


@require_POST
@check_code_page
def check_feedback(request, visit: Visit):
    form = FeedbackForm(request.POST)
    if form.is_valid() and actions.run_form(
        form,
        lambda: services.feedback_give(
            visit=visit,
            took_place=form.cleaned_data["took_place"],
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        ),
    ):
        return _back(visit, "feedback")
    return _page(request, visit, feedback_form=form, status=400)


@require_POST
@check_code_page
def check_withdrawal(request, visit: Visit):
    form = WithdrawalForm(request.POST, team=_context(visit)["team_choices"])
    if form.is_valid() and actions.run_form(
        form,
        lambda: services.withdrawal_request(
            visit=visit, inspector_id=form.cleaned_data["inspector"], reason=form.cleaned_data["reason"]
        ),
    ):
        return _back(visit, "withdrawal")
    return _page(request, visit, withdrawal_form=form, status=400)


def _visit_line(visit: Visit, pk: int):
    return visit.lines.filter(pk=pk).first()


@require_POST
@check_code_page
def check_objection(request, visit: Visit):
    """The firm objects to a published result of this visit (异议)."""
    form = ObjectionForm(request.POST, lines=_context(visit)["objection_choices"])
    if form.is_valid() and actions.run_form(
        form,
        lambda: services.objection_file(
            line=_visit_line(visit, form.cleaned_data["line"]),
            applicant=form.cleaned_data["applicant"],
            phone=form.cleaned_data["phone"],
            content=form.cleaned_data["content"],
        ),
    ):
        return _back(visit, "objection")
    return _page(request, visit, objection_form=form, status=400)


@require_POST
@check_code_page
def check_repair(request, visit: Visit):
    """The firm applies for credit repair of a negative result of this visit (信用修复)."""
    form = RepairForm(request.POST, lines=_context(visit)["repair_choices"])
    if form.is_valid() and actions.run_form(
        form,
        lambda: services.repair_apply(
            line=_visit_line(visit, form.cleaned_data["line"]),
            applicant=form.cleaned_data["applicant"],
            phone=form.cleaned_data["phone"],
            statement=form.cleaned_data["statement"],
        ),
    ):
        return _back(visit, "repair")
    return _page(request, visit, repair_form=form, status=400)
