"""The task ledger: the list (and its export), an item with its timetable, notes and evidence, and the
unit's and the office's actions on it."""

from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.accounts.models import Department
from fairspot.core import actions
from fairspot.core.exporting import export_response
from fairspot.council import selectors, services
from fairspot.council.exporters import HEADER, ledger_rows
from fairspot.council.forms import EvidenceForm, ItemForm, ProgressForm, SuperviseForm
from fairspot.council.models import Decision, Evidence, LedgerStatus, Milestone
from fairspot.council.rules import is_office, is_unit_admin, require_council_office, sees_whole_council
from fairspot.council.views.common import council_page, form_page

PAGE_SIZE = 50


@council_page
def ledger(request):
    today = timezone.localdate()
    chosen = {p: request.GET.get(p, "")[:20] for p in ("status", "department", "overdue")}
    if chosen["status"] not in {"", *LedgerStatus.values}:
        chosen["status"] = ""
    if not chosen["department"].isdigit():
        chosen["department"] = ""
    q = request.GET.get("q", "")[:100]
    items = selectors.ledger_for(request.user, q=q, filters=chosen, today=today)
    fmt = request.GET.get("export")
    if fmt:
        rows = ledger_rows(items.prefetch_related("milestones", "notes").iterator(chunk_size=500), today)
        return export_response("council-ledger", HEADER, rows, fmt)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "council/ledger.html",
        {
            "page": page,
            "q": q,
            "chosen": chosen,
            "params": params.urlencode(),
            "statuses": LedgerStatus.choices,
            "departments": Department.objects.all() if sees_whole_council(request.user) else None,
            "summary": selectors.ledger_summary(request.user, today)
            if sees_whole_council(request.user)
            else None,
            "today": today,
        },
    )


def _item(request, pk):
    return get_object_or_404(selectors.ledger_for(request.user), pk=pk)


def _to_item(item) -> str:
    return reverse("council:item", kwargs={"pk": item.pk})


@council_page
def item_create(request, pk: int):
    require_council_office(request.user)
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    form = ItemForm(request.POST or None, initial={"department": decision.lead_id, "task": decision.text})
    return form_page(
        request,
        form,
        lambda data: services.item_create(actor=request.user, decision=decision, **data),
        title=_("New ledger item"),
        back=_to_item,
        context={"subject": decision},
    )


@council_page
def item(request, pk: int):
    item = _item(request, pk)
    user = request.user
    keeps = is_unit_admin(user, item.department_id)
    return render(
        request,
        "council/item.html",
        {
            "item": item,
            "milestones": item.milestones.all(),
            "notes": item.notes.select_related("author"),
            "evidence": item.evidence.select_related("uploaded_by"),
            "keeps": keeps and item.status != LedgerStatus.CLOSED,
            "supervises": is_office(user),
            "progress_form": ProgressForm(),
            "supervise_form": SuperviseForm(),
            "evidence_form": EvidenceForm(),
            "overdue": item.is_overdue(timezone.localdate()),
        },
    )


@council_page
def item_progress(request, pk: int):
    item = _item(request, pk)
    form = ProgressForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.item_progress(actor=request.user, item=item, **data),
        title=_("Report progress"),
        back=_to_item,
        context={"subject": item},
    )


@council_page
def item_supervise(request, pk: int):
    require_council_office(request.user)
    item = _item(request, pk)
    form = SuperviseForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.item_supervise(actor=request.user, item=item, **data),
        title=_("Supervise the item"),
        back=_to_item,
        context={"subject": item},
    )


@council_page
@require_POST
def milestone_done(request, pk: int):
    milestone = get_object_or_404(
        Milestone.objects.filter(item__in=selectors.ledger_for(request.user)).select_related("item"), pk=pk
    )
    actions.run(
        request, lambda: services.milestone_done(actor=request.user, milestone=milestone), success=_("Saved.")
    )
    return redirect("council:item", pk=milestone.item_id)


@council_page
def evidence_add(request, pk: int):
    item = _item(request, pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda data: services.evidence_add(
            actor=request.user, item=item, upload=data["file"], description=data["description"]
        ),
        title=_("Attach evidence"),
        back=lambda value: _to_item(item),
        context={"subject": item, "multipart": True},
    )


@council_page
def evidence(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.filter(item__in=selectors.ledger_for(request.user)), pk=pk)
    path = Path(settings.MEDIA_ROOT) / evidence.path
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type=evidence.content_type, filename=evidence.original_name)
