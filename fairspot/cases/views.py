"""Staff pages of the cases room: lead list and export, intake, detail, assign, note, close, reopen,
transfer, and special inspections made from a group of leads."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fairspot.accounts.models import Department
from fairspot.accounts.scoping import in_department
from fairspot.audit.selectors import entries_about
from fairspot.cases import services
from fairspot.cases.exporters import HEADER, lead_rows
from fairspot.cases.forms import (
    ApproveCheckForm,
    AssignForm,
    CloseForm,
    LeadForm,
    NoteForm,
    ReasonForm,
    SpecialInspectionForm,
    TransferForm,
)
from fairspot.cases.models import LeadStatus, SourceKind
from fairspot.cases.privacy import personal_data, sees_personal_data
from fairspot.cases.selectors import categories_for, leads_for
from fairspot.core import actions
from fairspot.core.exporting import export_response

PAGE_SIZE = 50
FILTERS = {"status": "status", "kind": "kind", "department": "department_id", "unlicensed": "unlicensed"}


def _manager(user):
    if not user.can_manage:
        raise PermissionDenied(
            _("Only department administrators and the joint-meeting office manage leads and cases.")
        )


@login_required
def lead_list(request):
    q = request.GET.get("q", "")[:100]
    chosen = {param: request.GET.get(param, "")[:40] for param in FILTERS}
    filters = {lookup: chosen[param] for param, lookup in FILTERS.items()}
    filters["unlicensed"] = {"1": True, "0": False}.get(chosen["unlicensed"], "")
    department = filters["department_id"]
    if department and not (department.isdigit() and len(department) < 10):
        filters["department_id"] = ""
    qs = leads_for(request.user, q=q, filters=filters)
    fmt = request.GET.get("export")
    if fmt:
        rows = lead_rows(request.user, qs.prefetch_related("special_tasks").iterator(chunk_size=2000))
        return export_response("leads", HEADER, rows, fmt)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    rows = [(lead, personal_data(request.user, lead)) for lead in page]
    return render(
        request,
        "cases/lead_list.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "chosen": chosen,
            "params": params.urlencode(),
            "statuses": LeadStatus.choices,
            "kinds": SourceKind.choices,
            "departments": Department.objects.all() if request.user.sees_all_departments else None,
        },
    )


@login_required
def lead_intake(request):
    _manager(request.user)
    form = LeadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = actions.run_form(
            form,
            lambda: services.lead_intake(actor=request.user, values=form.values()),
            request=request,
            success=lambda lead: _("Lead %(number)s received.") % {"number": lead.number},
        )
        if done:
            return redirect("cases:detail", pk=done.value.pk)
    return render(request, "cases/lead_form.html", {"form": form, "title": _("New lead")})


@login_required
def lead_detail(request, pk: int):
    lead = get_object_or_404(leads_for(request.user), pk=pk)
    user = request.user
    inspector = getattr(user, "inspector", None)
    assigned = inspector is not None and any(i.pk == inspector.pk for i in lead.assignees.all())
    manages = user.can_manage and in_department(user, lead.department_id)
    return render(
        request,
        "cases/lead_detail.html",
        {
            "lead": lead,
            "personal": personal_data(user, lead),
            "sees_personal": sees_personal_data(user, lead),
            "notes": lead.notes.select_related("author"),
            "tasks": lead.special_tasks.all(),
            "manages": manages,
            "handles": manages or assigned,
            "history": entries_about(lead)[:50],
        },
    )


def _lead_action(
    request, pk, form_class, title, action, *, form_kwargs=None, template="cases/lead_form.html"
):
    """GET shows the form; a valid POST runs ``action(lead, cleaned_data)`` and returns to the lead."""
    lead = get_object_or_404(leads_for(request.user), pk=pk)
    form = form_class(request.POST or None, **(form_kwargs(lead) if form_kwargs else {}))
    if (
        request.method == "POST"
        and form.is_valid()
        and actions.run_form(
            form, lambda: action(lead, form.cleaned_data), request=request, success=_("Saved.")
        )
    ):
        return redirect("cases:detail", pk=lead.pk)
    return render(request, template, {"form": form, "lead": lead, "title": title})


@login_required
def lead_assign(request, pk: int):
    _manager(request.user)
    return _lead_action(
        request,
        pk,
        AssignForm,
        _("Assign inspectors"),
        lambda lead, data: services.lead_assign(actor=request.user, lead=lead, inspectors=data["inspectors"]),
        form_kwargs=lambda lead: {"lead": lead},
    )


@login_required
def lead_approve_check(request, pk: int):
    _manager(request.user)

    def initial(lead):
        basis = lead.item.legal_basis if lead.item_id else ""
        return {"initial": {"legal_basis": basis}}

    return _lead_action(
        request,
        pk,
        ApproveCheckForm,
        _("Approve the check (检查审批)"),
        lambda lead, data: services.lead_approve_check(
            actor=request.user,
            lead=lead,
            legal_basis=data["legal_basis"],
            note=data["note"],
            over_cap_reason=data["over_cap_reason"],
        ),
        form_kwargs=initial,
    )


@login_required
def lead_note(request, pk: int):
    return _lead_action(
        request,
        pk,
        NoteForm,
        _("Add a handling note"),
        lambda lead, data: services.lead_add_note(actor=request.user, lead=lead, text=data["text"]),
    )


@login_required
def lead_close(request, pk: int):
    return _lead_action(
        request,
        pk,
        CloseForm,
        _("Close with a result"),
        lambda lead, data: services.lead_close(
            actor=request.user, lead=lead, result=data["result"], outcome=data["outcome"]
        ),
    )


@login_required
def lead_reopen(request, pk: int):
    _manager(request.user)
    return _lead_action(
        request,
        pk,
        ReasonForm,
        _("Reopen the lead"),
        lambda lead, data: services.lead_reopen(actor=request.user, lead=lead, reason=data["reason"]),
    )


@login_required
def lead_transfer(request, pk: int):
    if not request.user.sees_all_departments:
        raise PermissionDenied(_("Only the joint-meeting office transfers a lead to another department."))
    return _lead_action(
        request,
        pk,
        TransferForm,
        _("Transfer to another department"),
        lambda lead, data: services.lead_transfer(
            actor=request.user, lead=lead, department=data["department"], reason=data["reason"]
        ),
        form_kwargs=lambda lead: {"lead": lead},
    )


@login_required
def special_create(request):
    """Choose a category, tick its leads, set items, ratio and date: a special task with its own draw."""
    _manager(request.user)
    categories = categories_for(request.user)
    category = (request.POST.get("category") or request.GET.get("category") or "").strip()
    leads = leads_for(request.user).filter(category=category) if category else leads_for(request.user).none()
    form = SpecialInspectionForm(request.POST or None, user=request.user, leads=leads)
    if request.method == "POST" and form.is_valid():
        done = actions.run_form(
            form,
            lambda: services.special_inspection_create(
                actor=request.user,
                leads=form.cleaned_data["leads"],
                items=form.cleaned_data["items"],
                values=form.values(),
            ),
            request=request,
            success=lambda task: _("Special inspection %(code)s created.") % {"code": task.code},
        )
        if done:
            return redirect("draws:task", pk=done.value.pk)
    return render(
        request,
        "cases/special_form.html",
        {"form": form, "categories": categories, "category": category, "has_leads": leads.exists()},
    )
