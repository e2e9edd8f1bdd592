"""Forms of the visit page: one set per visit item, prefixed with the item's id."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fairspot.accounts.models import Department
from fairspot.core.widgets import DateInput
from fairspot.inspections.models import RESULT_SCHEME, AttachmentKind, Disposition, Question
from fairspot.inspectors.models import Inspector
from fairspot.reference.models import CheckMethod, ResultCode

ANSWER_CHOICES = [("", "—"), ("yes", _("Yes")), ("no", _("No")), ("na", _("Not applicable"))]


class RecordForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ModelChoiceField(CheckMethod.objects.all(), label=_("Method used"), required=False)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    confirmed_by = forms.ModelMultipleChoiceField(
        Inspector.objects.none(),
        label=_("Confirmed by the officers"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, line, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["confirmed_by"].queryset = line.visit.members.all()
        codes = line.item.method_codes
        if codes:
            self.fields["method"].queryset = CheckMethod.objects.filter(code__in=codes)
        saved = {a.get("point"): a for a in line.answers or []}
        for n, point in enumerate(line.item.checklist_points):
            self.fields[f"answer_{n}"] = forms.ChoiceField(
                label=point,
                choices=ANSWER_CHOICES,
                required=False,
                initial=saved.get(point, {}).get("answer"),
            )
            self.fields[f"note_{n}"] = forms.CharField(
                label=_("Note"), required=False, initial=saved.get(point, {}).get("note")
            )

    def answers(self) -> list[dict]:
        return [
            {
                "answer": self.cleaned_data.get(f"answer_{n}", ""),
                "note": self.cleaned_data.get(f"note_{n}", ""),
            }
            for n in range(len(self.line.item.checklist_points))
        ]

    def point_fields(self):
        return [(self[f"answer_{n}"], self[f"note_{n}"]) for n in range(len(self.line.item.checklist_points))]


def result_code_choices():
    return ResultCode.objects.filter(scheme=RESULT_SCHEME).exclude(
        code__in=ResultCode.objects.filter(scheme=RESULT_SCHEME).exclude(parent_code="").values("parent_code")
    )


class ResultForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    result_code = forms.ModelChoiceField(result_code_choices(), label=_("Result"))
    remarks = forms.CharField(label=_("Remarks"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result_code"].queryset = result_code_choices()
        self.fields["result_code"].label_from_instance = lambda c: f"{c.group} · {c.label}"


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CorrectionForm(forms.Form):
    result_code = forms.ModelChoiceField(result_code_choices(), label=_("Corrected result"))
    remarks = forms.CharField(label=_("Remarks"), required=False)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result_code"].queryset = result_code_choices()


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices)
    source = forms.CharField(label=_("Issued by"), required=False, max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=255)
    file = forms.FileField(label=_("File (JPEG, PNG or PDF)"))


class QuizForm(forms.Form):
    person = forms.CharField(label=_("Person examined"), max_length=100)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    correct = forms.IntegerField(label=_("Correct answers"), min_value=0)


class FollowUpForm(forms.Form):
    disposition = forms.ChoiceField(label=_("Disposition"), choices=Disposition.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    correct_by = forms.DateField(label=_("Correct by"), required=False, widget=DateInput)
    recheck_on = forms.DateField(label=_("Re-check on"), required=False, widget=DateInput)
    copied_to = forms.ModelChoiceField(Department.objects.all(), label=_("Copied to"), required=False)


class CloseFollowUpForm(forms.Form):
    closed_on = forms.DateField(label=_("Closing date"), widget=DateInput)
    note = forms.CharField(label=_("Closing note"), required=False)


class FinishForm(forms.Form):
    end_date = forms.DateField(label=_("End of the inspection"), widget=DateInput)


class ReplaceForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the drawn target cannot be inspected"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["item", "code", "text", "answer", "active"]
