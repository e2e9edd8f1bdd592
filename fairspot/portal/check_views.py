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
from fairspot.inspections.models import Visit
from fairspot.portal import ratelimit
from fairspot.portal.forms import FeedbackForm, WithdrawalForm
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
    }


def _page(request, visit: Visit, *, feedback_form=None, withdrawal_form=None, status: int = 200):
    ctx = _context(visit)
    ctx["feedback_form"] = feedback_form or FeedbackForm()
    ctx["withdrawal_form"] = withdrawal_form or WithdrawalForm(team=ctx["team_choices"])
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
