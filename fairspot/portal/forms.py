"""The two forms of the check-code page (the firm's only writes on the public site)."""

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
