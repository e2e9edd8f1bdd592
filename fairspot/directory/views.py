"""Staff pages of the target directory. Thin: forms validate, services write, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.audit.selectors import entries_about
from fairspot.core.errors import DomainError
from fairspot.core.listing import list_page
from fairspot.directory import services
from fairspot.directory.forms import TargetForm
from fairspot.directory.models import EntityType, RegistrationStatus, RiskClass, SpecialLibrary
from fairspot.directory.selectors import targets_for
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
            "may_edit": request.user.can_manage
            and (request.user.sees_all_departments or target.department_id == request.user.department_id),
        },
    )


def _edit(request, target=None):
    form = TargetForm(request.POST or None, instance=target, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            libraries = list(form.cleaned_data["libraries"])
            if target is None:
                target = services.target_create(actor=request.user, values=form.values(), libraries=libraries)
            else:
                target = services.target_update(
                    actor=request.user, target=target, values=form.values(), libraries=libraries
                )
        except DomainError as exc:
            form.add_error(exc.field, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("directory:detail", pk=target.pk)
    return render(request, "directory/target_form.html", {"form": form, "target": target})


@login_required
def target_create(request):
    if not request.user.can_manage:
        raise PermissionDenied
    return _edit(request)


@login_required
def target_edit(request, pk: int):
    target = get_object_or_404(targets_for(request.user), pk=pk)
    if not (
        request.user.can_manage
        and (request.user.sees_all_departments or target.department_id == request.user.department_id)
    ):
        raise PermissionDenied
    return _edit(request, target)


@login_required
@require_POST
def target_delete(request, pk: int):
    target = get_object_or_404(targets_for(request.user), pk=pk)
    try:
        services.target_delete(actor=request.user, target=target)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("directory:detail", pk=pk)
    messages.success(request, _("Deleted."))
    return redirect("directory:list")
