"""The "更换检查人员" action of the draw page: one officer out, the protocol's rule picks who comes in."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fairspot.core import actions
from fairspot.draws.models import ReplacementReason, Team
from fairspot.draws.replacements import replace_officer
from fairspot.draws.selectors import draws_for
from fairspot.inspectors.models import Inspector


class OfficerReplacementForm(forms.Form):
    officer = forms.IntegerField(label=gettext_lazy("Officer to replace"))
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=ReplacementReason.choices)
    note = forms.CharField(label=gettext_lazy("Explanation"), max_length=500, required=False)


@login_required
@require_POST
def team_replace_officer(request, draw_id: str, team_pk: int):
    if not request.user.can_manage:
        raise PermissionDenied(
            _("Only department administrators and the joint-meeting office replace an inspector in a team.")
        )
    draw = get_object_or_404(draws_for(request.user), draw_id=draw_id)
    team = get_object_or_404(Team.objects.select_related("draw__task"), pk=team_pk, draw=draw)
    form = OfficerReplacementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect("draws:draw", draw_id=draw_id)
    officer = Inspector.objects.filter(pk=form.cleaned_data["officer"]).first()
    if officer is None:
        messages.error(request, _("No such officer."))
        return redirect("draws:draw", draw_id=draw_id)
    actions.run(
        request,
        lambda: replace_officer(
            actor=request.user,
            team=team,
            officer=officer,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        ),
        success=lambda row: (
            _("%(out)s was replaced by %(in)s, the next eligible officer in the draw's order.")
            % {"out": row.officer_out.name, "in": row.officer_in.name}
        ),
    )
    return redirect("draws:draw", draw_id=draw_id)
