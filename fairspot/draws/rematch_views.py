"""The "重新匹配检查组" actions of the draw page: commit a re-matching, enter its sources, reveal it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.core import actions
from fairspot.draws import rematch as service
from fairspot.draws.forms import RematchForm, SourceValueForm
from fairspot.draws.selectors import draws_for


def _draw(request, draw_id: str):
    if not request.user.can_manage:
        raise PermissionDenied(
            _("Only department administrators and the joint-meeting office re-match inspectors.")
        )
    return get_object_or_404(draws_for(request.user), draw_id=draw_id)


@login_required
@require_POST
def rematch_commit(request, draw_id: str):
    draw = _draw(request, draw_id)
    form = RematchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    else:
        actions.run(
            request,
            lambda: service.rematch_commit(
                actor=request.user, draw=draw, sources=form.declarations(), reason=form.cleaned_data["reason"]
            ),
            success=lambda rematch: (
                _("Re-matching %(id)s is committed; enter its sources' values when they are published.")
                % {"id": rematch.bundle_id}
            ),
        )
    return redirect(f"{draw.get_absolute_url()}#rematch")


@login_required
@require_POST
def rematch_source_enter(request, draw_id: str, number: int):
    draw = _draw(request, draw_id)
    rematch = get_object_or_404(draw.rematches, number=number)
    form = SourceValueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        actions.run(
            request,
            lambda: service.rematch_source_enter(
                actor=request.user, rematch=rematch, name=data["name"], value=data["value"]
            ),
            success=_("Value recorded."),
        )
    return redirect(f"{draw.get_absolute_url()}#rematch")


@login_required
@require_POST
def rematch_reveal(request, draw_id: str, number: int):
    draw = _draw(request, draw_id)
    rematch = get_object_or_404(draw.rematches, number=number)
    actions.run(
        request,
        lambda: service.rematch_reveal(actor=request.user, rematch=rematch),
        success=_("The new teams are in place; the earlier teams stay listed below."),
    )
    return redirect(f"{draw.get_absolute_url()}#rematch")
