"""Staff pages of the credit room: class list, class changes, the rules, the hazard table, recomputing.

Classes are internal: every page here needs a role that manages records; the hazard table and the
recomputation are the joint-meeting office's.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.accounts.scoping import require_manager
from fairspot.core import actions
from fairspot.core.exporting import export_response
from fairspot.core.listing import PAGE_SIZE, list_page
from fairspot.credit import services
from fairspot.credit.exporters import HISTORY_HEADER, history_rows
from fairspot.credit.forms import HazardForm
from fairspot.credit.models import Recompute, RunStatus
from fairspot.credit.selectors import changes_for, hazard_table, rule_words, rules_table
from fairspot.directory.models import RiskClass
from fairspot.reference.models import Industry


@login_required
def classes(request):
    require_manager(request.user)
    return list_page(
        request,
        kind="credit_classes",
        template="credit/class_list.html",
        filters={"class": "effective_class"},
        extra={
            "classes": RiskClass.choices,
            "may_edit": services.may_edit_credit(request.user),
            "last_run": Recompute.objects.first(),
        },
    )


@login_required
def changes(request):
    require_manager(request.user)
    q = request.GET.get("q", "")[:100]
    qs = changes_for(request.user, q=q)
    fmt = request.GET.get("export")
    if fmt:
        return export_response("credit-class-changes", HISTORY_HEADER, history_rows(qs), fmt)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    rows = [{"change": c, "rules": rule_words(c.rule)} for c in page]
    return render(
        request,
        "credit/change_list.html",
        {"page": page, "rows": rows, "q": q, "params": params.urlencode()},
    )


@login_required
def rules(request):
    require_manager(request.user)
    return render(request, "credit/rules.html", rules_table())


@login_required
def hazards(request):
    require_manager(request.user)
    fmt = request.GET.get("export")
    if fmt:
        rows = ([r["division"].code, r["division"].name, str(r["label"]), r["note"]] for r in hazard_table())
        return export_response("industry-hazards", ["行业代码", "行业大类", "风险等级", "理由"], rows, fmt)
    return render(
        request,
        "credit/hazards.html",
        {"rows": hazard_table(), "may_edit": services.may_edit_credit(request.user)},
    )


@login_required
def hazard_edit(request, code: str):
    services.require_credit_editor(request.user)
    division = get_object_or_404(Industry, code=code, level="division")
    row = next(r for r in hazard_table() if r["division"].code == code)
    form = HazardForm(request.POST or None, initial={"level": row["level"], "note": row["note"]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if actions.run_form(
            form,
            lambda: services.hazard_set(
                actor=request.user, division=division, level=data["level"], note=data["note"]
            ),
            request=request,
            success=_("Hazard level saved. It counts from the next recomputation."),
        ):
            return redirect("credit:hazards")
    return render(request, "credit/hazard_form.html", {"form": form, "division": division})


@login_required
@require_POST
def recompute(request):
    outcome = actions.run(
        request,
        lambda: services.recompute_request(actor=request.user),
        success=_("The classes are being recomputed."),
    )
    if outcome:
        return redirect("credit:run", pk=outcome.value.pk)
    return redirect("credit:classes")


@login_required
def run(request, pk: int):
    require_manager(request.user)
    job = get_object_or_404(Recompute, pk=pk)
    running = job.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    return render(request, "credit/run.html", {"job": job, "running": running})


@login_required
def run_progress(request, pk: int):
    require_manager(request.user)
    job = get_object_or_404(Recompute, pk=pk)
    return JsonResponse({"status": job.status, "rows": job.done, "percent": job.percent})
