"""The forms of the check-code page (the firm's only writes on the public site): feedback, withdrawal,
objection (异议) and credit repair (信用修复)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

RATINGS = [(n, str(n)) for n in range(5, 0, -1)]


class FeedbackForm(forms.Form):
    took_place = forms.TypedChoiceField(
        label=_("Did the visit take place?"),
        choices=[("yes", _("Yes, the officers came")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    rating = forms.TypedChoiceField(
        label=_("Your rating (5 = very good)"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawalForm(forms.Form):
    inspector = forms.TypedChoiceField(label=_("Officer"), coerce=int)
    reason = forms.CharField(
        label=_("Reason for the withdrawal request"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a relative of the firm's owner, or a former employee."),
    )

    def __init__(self, *args, team: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].choices = [("", "—"), *team]


class _ResultForm(forms.Form):
    line = forms.TypedChoiceField(label=_("Which result"), coerce=int)
    applicant = forms.CharField(label=_("Firm or contact person"), max_length=100)
    phone = forms.CharField(
        label=_("Telephone"),
        max_length=30,
        required=False,
        help_text=_("So the department can reach you; never shown on the public pages."),
    )

    def __init__(self, *args, lines: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", "—"), *lines]


class ObjectionForm(_ResultForm):
    content = forms.CharField(
        label=_("What is wrong in the result, and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RepairForm(_ResultForm):
    statement = forms.CharField(
        label=_("What the firm corrected, and its commitment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
