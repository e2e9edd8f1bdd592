"""Staff pages of the target directory. Thin: forms validate, services write, selectors read."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.accounts.scoping import in_department
from fairspot.audit.selectors import entries_about
from fairspot.core import actions
from fairspot.core.listing import list_page
from fairspot.directory import services
from fairspot.directory.forms import TargetForm
from fairspot.directory.models import EntityType, RegistrationStatus, RiskClass, SpecialLibrary
from fairspot.directory.panels import panels_for
from fairspot.directory.selectors import targets_for
from fairspot.lib.uscc import normalize_uscc
from fairspot.reference.models import Division, Industry

FILTERS = {
    "status": "status",
    "type": "entity_type",
    "township": "township_id",
    "section": "industry_section",
    "risk": "risk_class",
    "library": "libraries__code",
}


@login_required
def target_list(request):
    found = _exact_code(request)
    if found is not None:  # a full 统一社会信用代码 goes straight to the target's page
        return redirect("directory:detail", pk=found)
    return list_page(
        request,
        kind="targets",
        template="directory/target_list.html",
        filters=FILTERS,
        extra={
            "statuses": RegistrationStatus.choices,
            "types": EntityType.choices,
            "risks": RiskClass.choices,
            "townships": Division.objects.filter(parent_id="410771"),
            "sections": Industry.objects.filter(level="section"),
            "libraries": SpecialLibrary.objects.all(),
        },
    )


@login_required
def target_detail(request, pk: int):
    target = get_object_or_404(targets_for(request.user), pk=pk)
    return render(
        request,
        "directory/target_detail.html",
        {
            "target": target,
            "history": entries_about(target, request.user)[:50],
            "may_edit": request.user.can_manage and in_department(request.user, target.department_id),
            "panels": panels_for(request, target),
        },
    )


def _exact_code(request) -> int | None:
    """The id of the visible target whose identifier is exactly the search text (a full code), if any."""
    q = normalize_uscc(request.GET.get("q", "")[:40])
    if len(q) != 18 or request.GET.get("export") or request.GET.get("page"):
        return None
    return targets_for(request.user).filter(identifier=q).values_list("pk", flat=True).first()


def _edit(request, target=None):
    form = TargetForm(request.POST or None, instance=target, user=request.user)
    if request.method == "POST" and form.is_valid():
        libraries = list(form.cleaned_data["libraries"])

        def save():
            if target is None:
                return services.target_create(actor=request.user, values=form.values(), libraries=libraries)
            return services.target_update(
                actor=request.user, target=target, values=form.values(), libraries=libraries
            )

        done = actions.run_form(form, save, request=request, success=_("Saved."))
        if done:
            return redirect("directory:detail", pk=done.value.pk)
    return render(request, "directory/target_form.html", {"form": form, "target": target})


@login_required
def target_create(request):
    if not request.user.can_manage:
        raise PermissionDenied(
            _("Only department administrators and the joint-meeting office add targets to the directory.")
        )
    return _edit(request)


@login_required
def target_edit(request, pk: int):
    target = get_object_or_404(targets_for(request.user), pk=pk)
    if not (request.user.can_manage and in_department(request.user, target.department_id)):
        raise PermissionDenied(
            _("Only the target's department administrator or the office edits this target.")
        )
    return _edit(request, target)


@login_required
@require_POST
def target_delete(request, pk: int):
    target = get_object_or_404(targets_for(request.user), pk=pk)
    if actions.run(
        request, lambda: services.target_delete(actor=request.user, target=target), success=_("Deleted.")
    ):
        return redirect("directory:list")
    return redirect("directory:detail", pk=pk)
