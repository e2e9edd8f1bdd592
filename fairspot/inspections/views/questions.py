"""The question banks of the check items (逢查必考): list and add."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import scope_to_department
from fairspot.core import actions
from fairspot.inspections import services
from fairspot.inspections.forms import QuestionForm
from fairspot.inspections.models import Question
from fairspot.items.models import CheckItem


@login_required
def questions(request):
    items = scope_to_department(request.user, CheckItem.objects.all())
    form = QuestionForm(request.POST or None)
    form.fields["item"].queryset = items
    if request.method == "POST":
        if not request.user.can_manage:
            raise PermissionDenied(
                _("Only department administrators and the office add to the question bank.")
            )
        if form.is_valid() and actions.run_form(
            form,
            lambda: services.question_add(actor=request.user, **form.cleaned_data),
            request=request,
            success=_("Question added."),
        ):
            return redirect("inspections:questions")
    qs = Question.objects.filter(item__in=items).select_related("item")
    return render(request, "inspections/questions.html", {"form": form, "questions": qs[:500]})
