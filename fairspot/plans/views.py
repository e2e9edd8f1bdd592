"""Staff pages of annual plans: list, detail, forms, review, adjustment, versions, district plan."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.audit.selectors import entries_about
from fairspot.audit.services import diff
from fairspot.core import actions
from fairspot.core.errors import DomainError
from fairspot.core.exporting import export_response
from fairspot.items.models import ItemType
from fairspot.plans import exporters, rules, services
from fairspot.plans.class_ratios import plan_item_class_ratios
from fairspot.plans.forms import (
    AdjustForm,
    BatchFormSet,
    ItemFormSet,
    PlanForm,
    ReviewForm,
    batch_initial,
    batch_rows,
    item_initial,
    item_rows,
)
from fairspot.plans.models import Batch, Plan, PlanItem, PlanKind, PlanStatus, ScopeKind
from fairspot.plans.selectors import district_plan, district_years, plan_years, plans_for
from fairspot.plans.versioning import flat_content, flatten

PAGE_SIZE = 50
LIST_FILTERS = {"year": "year", "status": "status", "kind": "kind"}


@login_required
def plan_list(request):
    q = request.GET.get("q", "")[:100]
    chosen = {param: request.GET.get(param, "")[:20] for param in LIST_FILTERS}
    if not (chosen["year"].isdigit() and len(chosen["year"]) == 4):
        chosen["year"] = ""
    qs = plans_for(request.user, q=q, filters={LIST_FILTERS[p]: v for p, v in chosen.items()})
    fmt = request.GET.get("export")
    if fmt:
        return export_response("plans", exporters.PLAN_HEADER, exporters.plan_rows(qs), fmt)
    page = Paginator(qs.prefetch_related("participating_departments"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return render(
        request,
        "plans/plan_list.html",
        {
            "page": page,
            "q": q,
            "chosen": chosen,
            "params": params.urlencode(),
            "years": plan_years(request.user),
            "statuses": PlanStatus.choices,
            "kinds": PlanKind.choices,
            "may_create": rules.may_create(request.user),
        },
    )


def _plan(request, pk: int):
    return get_object_or_404(plans_for(request.user), pk=pk)


@login_required
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "items": plan.items.select_related("item", "item__department"),
            "batches": plan.batches.prefetch_related("tasks"),
            "versions": plan.versions.select_related("prepared_by", "approved_by"),
            "reviews": plan.reviews.select_related("reviewer").order_by("-reviewed_at", "-pk"),
            "actions": rules.actions_for(request.user, plan),
            "history": entries_about(plan)[:50],
        },
    )


def _form_page(request, plan, *, adjusting: bool):
    """The plan form with its item and batch rows; used to create, change and adjust a plan."""
    data = request.POST if request.method == "POST" else None
    lead = plan.department if plan is not None else request.user.department
    form = PlanForm(data, instance=plan, lead=lead, adjusting=adjusting)
    items = ItemFormSet(data, initial=item_initial(plan), prefix="items")
    batches = BatchFormSet(data, initial=batch_initial(plan), prefix="batches")
    reason = AdjustForm(data) if adjusting else None
    section_errors: dict[str, str] = {}
    if data is not None and all(f.is_valid() for f in (form, items, batches, reason) if f is not None):
        kwargs = {
            "actor": request.user,
            "values": form.values(),
            "participating": list(form.cleaned_data.get("participating_departments") or []),
            "items": item_rows(items),
            "batches": batch_rows(batches),
        }
        try:
            if plan is None:
                plan = services.plan_create(**kwargs)
            elif adjusting:
                plan = services.plan_adjust(plan=plan, reason=reason.cleaned_data["reason"], **kwargs)
            else:
                plan = services.plan_change(plan=plan, **kwargs)
        except DomainError as exc:
            if exc.field in ("items", "batches"):
                section_errors[exc.field] = str(exc.message)
            elif reason is not None and exc.field == "reason":
                reason.add_error("reason", str(exc.message))
            else:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("plans:detail", pk=plan.pk)
    return render(
        request,
        "plans/plan_form.html",
        {
            "form": form,
            "items": items,
            "batches": batches,
            "reason_form": reason,
            "plan": plan,
            "adjusting": adjusting,
            "section_errors": section_errors,
        },
    )


@login_required
def plan_create(request):
    if not rules.may_create(request.user):
        raise PermissionDenied(_("Only an administrator of a department creates annual plans."))
    return _form_page(request, None, adjusting=False)


@login_required
def plan_edit(request, pk: int):
    plan = _plan(request, pk)
    if "edit" not in rules.actions_for(request.user, plan):
        raise PermissionDenied(_("Only the lead department's administrator edits a draft plan."))
    return _form_page(request, plan, adjusting=False)


@login_required
def plan_adjust(request, pk: int):
    plan = _plan(request, pk)
    if "adjust" not in rules.actions_for(request.user, plan):
        raise PermissionDenied(_("Only the lead department's administrator adjusts a published plan."))
    return _form_page(request, plan, adjusting=True)


@login_required
@require_POST
def plan_submit(request, pk: int):
    plan = _plan(request, pk)
    actions.run(
        request,
        lambda: services.plan_submit(actor=request.user, plan=plan),
        success=_("Submitted to the joint-meeting office."),
    )
    return redirect("plans:detail", pk=plan.pk)


@login_required
def plan_review(request, pk: int):
    plan = _plan(request, pk)
    if "review" not in rules.actions_for(request.user, plan):
        raise PermissionDenied(_("Only the joint-meeting office reviews a plan submitted for review."))
    form = ReviewForm(request.POST or None)
    in_force = plan.versions.order_by("-version").first()
    if (
        request.method == "POST"
        and form.is_valid()
        and actions.run_form(
            form,
            lambda: services.plan_review(
                actor=request.user,
                plan=plan,
                decision=form.cleaned_data["decision"],
                opinion=form.cleaned_data["opinion"],
            ),
            request=request,
            success=_("Review recorded."),
        )
    ):
        return redirect("plans:detail", pk=plan.pk)
    return render(
        request,
        "plans/plan_review.html",
        {
            "plan": plan,
            "form": form,
            "items": plan.items.select_related("item", "item__department"),
            "batches": plan.batches.all(),
            "reviews": plan.reviews.select_related("reviewer").order_by("-reviewed_at", "-pk"),
            "in_force": in_force,
            "changes": diff(flatten(in_force.content), flat_content(plan)) if in_force else {},
        },
    )


@login_required
@require_POST
def plan_publish(request, pk: int):
    plan = _plan(request, pk)
    actions.run(
        request, lambda: services.plan_publish(actor=request.user, plan=plan), success=_("Published.")
    )
    return redirect("plans:detail", pk=plan.pk)


@login_required
def plan_version(request, pk: int, version: int):
    """An approved version as it was approved. Other departments may read the published version."""
    plan = get_object_or_404(Plan, pk=pk)
    readable = plans_for(request.user).filter(pk=pk).exists()
    if not readable and version != plan.published_version:
        raise Http404
    shown = plan.versions.select_related("prepared_by", "approved_by").filter(version=version).first()
    if shown is None:
        raise Http404
    content = shown.content
    labels = {
        "kind": dict(PlanKind.choices).get(content["kind"], content["kind"]),
        "scope_kind": dict(ScopeKind.choices).get(content["scope_kind"], content["scope_kind"]),
        "item_types": dict(ItemType.choices),
    }
    items = [
        {**i, "type_label": labels["item_types"].get(i["item_type"], i["item_type"])}
        for i in content["items"]
    ]
    return render(
        request,
        "plans/plan_version.html",
        {"plan": plan, "shown": shown, "c": content, "labels": labels, "items": items},
    )


@login_required
@require_POST
def batch_tasks(request, pk: int):
    batch = get_object_or_404(Batch.objects.filter(plan__in=plans_for(request.user)), pk=pk)
    done = actions.run(request, lambda: services.batch_create_tasks(actor=request.user, batch=batch))
    if not done:
        return redirect("plans:detail", pk=batch.plan_id)
    tasks = done.value
    if len(tasks) == 1:
        messages.success(request, _("Task created."))
        return redirect("draws:task", pk=tasks[0].pk)
    messages.success(
        request,
        _("%(n)s tasks created, one per sampling ratio: %(codes)s")
        % {"n": len(tasks), "codes": "、".join(t.code for t in tasks)},
    )
    return redirect("plans:detail", pk=batch.plan_id)


@login_required
def district(request):
    years = district_years()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and len(raw) == 4 else (years[0] if years else date.today().year)
    entries = district_plan(request.user, year)
    fmt = request.GET.get("export")
    if fmt:
        return export_response(
            f"district-plan-{year}", exporters.DISTRICT_HEADER, exporters.district_rows(entries), fmt
        )
    departments = {e.plan.department_id for e in entries}
    return render(
        request,
        "plans/district.html",
        {
            "year": year,
            "years": sorted({*years, year}, reverse=True),
            "entries": entries,
            "params": f"year={year}",
            "totals": {
                "plans": len(entries),
                "joint": sum(e.content["kind"] == PlanKind.JOINT for e in entries),
                "departments": len(departments),
                "items": sum(len(e.content["items"]) for e in entries),
                "batches": sum(len(e.content["batches"]) for e in entries),
            },
        },
    )


@login_required
@require_POST
def item_class_ratios(request, pk: int):
    """A draft plan's item: set (or clear) its ratios per credit-risk class."""
    plan_item = get_object_or_404(PlanItem.objects.filter(plan__in=plans_for(request.user)), pk=pk)
    actions.run(
        request,
        lambda: plan_item_class_ratios(
            actor=request.user, plan_item=plan_item, text=request.POST.get("class_ratios", "")[:80]
        ),
        success=_("Ratios per credit-risk class saved."),
    )
    return redirect("plans:detail", pk=plan_item.plan_id)
