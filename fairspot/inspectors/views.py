"""Staff pages of the inspector directory, the expert pool and the conflict register."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fairspot.audit.selectors import entries_about
from fairspot.core import actions
from fairspot.core.exporting import export_response
from fairspot.core.listing import list_page
from fairspot.inspectors import services
from fairspot.inspectors.forms import ConflictForm, ExpertForm, InspectorForm
from fairspot.inspectors.models import PersonStatus
from fairspot.inspectors.selectors import conflicts_for, experts_for, inspectors_for


def _save_form(request, form, save, success, context):
    """Validate, call the service, then redirect to ``success(obj)``; service errors become form errors."""
    if request.method == "POST" and form.is_valid():
        done = actions.run_form(form, lambda: save(form), request=request, success=_("Saved."))
        if done:
            return success(done.value)
    return render(request, "inspectors/form.html", {"form": form, **context})


def _require_manager(user):
    if not user.can_manage:
        raise PermissionDenied(
            _("Only department administrators and the joint-meeting office manage inspectors.")
        )


@login_required
def inspector_list(request):
    return list_page(
        request,
        kind="inspectors",
        template="inspectors/inspector_list.html",
        filters={"status": "status"},
        extra={"statuses": PersonStatus.choices},
    )


@login_required
def inspector_detail(request, pk: int):
    inspector = get_object_or_404(inspectors_for(request.user), pk=pk)
    return render(
        request,
        "inspectors/inspector_detail.html",
        {
            "inspector": inspector,
            "history": entries_about(inspector)[:50],
            "conflicts": inspector.conflicts.select_related("target"),
        },
    )


@login_required
def inspector_edit(request, pk: int | None = None):
    _require_manager(request.user)
    inspector = get_object_or_404(inspectors_for(request.user), pk=pk) if pk else None
    form = InspectorForm(request.POST or None, instance=inspector, user=request.user)

    def save(f):
        items = list(f.cleaned_data["items"])
        if inspector is None:
            return services.inspector_create(actor=request.user, values=f.values(), items=items)
        return services.inspector_update(
            actor=request.user, inspector=inspector, values=f.values(), items=items
        )

    return _save_form(
        request, form, save, lambda obj: redirect("inspectors:detail", pk=obj.pk), {"obj": inspector}
    )


@login_required
def expert_list(request):
    return list_page(request, kind="experts", template="inspectors/expert_list.html", filters={})


@login_required
def expert_edit(request, pk: int | None = None):
    _require_manager(request.user)
    expert = get_object_or_404(experts_for(request.user), pk=pk) if pk else None
    form = ExpertForm(request.POST or None, instance=expert, user=request.user)

    def save(f):
        if expert is None:
            return services.expert_create(actor=request.user, values=f.cleaned_data)
        return services.expert_update(actor=request.user, expert=expert, values=f.cleaned_data)

    return _save_form(request, form, save, lambda obj: redirect("inspectors:experts"), {"obj": expert})


CONFLICT_HEADER = ["人员", "类别", "检查对象", "统一社会信用代码", "关系", "生效日期", "失效日期", "说明"]


@login_required
def conflict_list(request):
    qs = conflicts_for(request.user)
    fmt = request.GET.get("export")
    if fmt:
        rows = (
            [
                str(c.person),
                "检查人员" if c.inspector_id else "专家",
                c.target.name,
                c.target.identifier,
                c.get_kind_display(),
                c.valid_from.isoformat(),
                c.valid_to.isoformat() if c.valid_to else "",
                c.note,
            ]
            for c in qs
        )
        return export_response("conflicts", CONFLICT_HEADER, rows, fmt)
    return render(request, "inspectors/conflict_list.html", {"conflicts": qs[:500], "params": ""})


@login_required
def conflict_edit(request, pk: int | None = None):
    _require_manager(request.user)
    conflict = get_object_or_404(conflicts_for(request.user), pk=pk) if pk else None
    form = ConflictForm(request.POST or None, instance=conflict, user=request.user)

    def save(f):
        if conflict is None:
            return services.conflict_create(actor=request.user, values=f.values())
        return services.conflict_update(actor=request.user, conflict=conflict, values=f.values())

    return _save_form(request, form, save, lambda obj: redirect("inspectors:conflicts"), {"obj": conflict})
