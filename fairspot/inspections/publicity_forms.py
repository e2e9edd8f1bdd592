"""Forms of publication governance: not publishing a result, objections and credit repair at the counter,
and the answers to them."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fairspot.core.widgets import DateInput
from fairspot.inspections.forms import result_code_choices

TEXTAREA = {"rows": 3}


class WithholdForm(forms.Form):
    legal_basis = forms.CharField(
        label=_("Legal basis (law or rule, and article)"), widget=forms.Textarea(attrs=TEXTAREA)
    )
    reason = forms.CharField(
        label=_("Why publishing is not appropriate"), widget=forms.Textarea(attrs=TEXTAREA)
    )


class CounterObjectionForm(forms.Form):
    applicant = forms.CharField(label=_("Who objects (firm or contact person)"), max_length=100)
    phone = forms.CharField(label=_("Telephone"), max_length=30, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput, initial=timezone.localdate)
    content = forms.CharField(
        label=_("The objection"), widget=forms.Textarea(attrs=TEXTAREA), max_length=2000
    )


class CounterRepairForm(forms.Form):
    applicant = forms.CharField(label=_("Applicant (firm or contact person)"), max_length=100)
    phone = forms.CharField(label=_("Telephone"), max_length=30, required=False)
    applied_on = forms.DateField(label=_("Applied on"), widget=DateInput, initial=timezone.localdate)
    statement = forms.CharField(
        label=_("What the firm corrected, and its commitment"),
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=2000,
    )


class ObjectionAnswerForm(forms.Form):
    result_code = forms.ModelChoiceField(
        result_code_choices(), label=_("Corrected result (when upheld)"), required=False
    )
    answer = forms.CharField(
        label=_("Answer to the firm"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result_code"].queryset = result_code_choices()
