from django import forms
from django.utils.translation import gettext_lazy as _

from fairspot.core.widgets import DateInput
from fairspot.credit.models import HazardLevel


class HazardForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Hazard level"), choices=HazardLevel.choices, coerce=int)
    note = forms.CharField(label=_("Why"), max_length=255, required=False)


class EstimateForm(forms.Form):
    """The cell of an estimate (every field optional) and what to break it down by."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    item = forms.ModelChoiceField(label=_("Check item"), queryset=None, required=False)
    township = forms.ModelChoiceField(label=_("Township"), queryset=None, required=False)
    industry_section = forms.ChoiceField(label=_("Industry section"), required=False)
    risk_class = forms.ChoiceField(label=_("Credit-risk class"), required=False)
    start = forms.DateField(label=_("Inspected from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Inspected until"), required=False, widget=DateInput())
    by = forms.ChoiceField(
        label=_("Break down by"),
        required=False,
        choices=[
            ("", _("nothing (one figure)")),
            ("township", _("township")),
            ("industry_section", _("industry section")),
            ("risk_class", _("credit-risk class")),
            ("item", _("check item")),
            ("department", _("department")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        from django.db.models import Exists, OuterRef

        from fairspot.accounts.models import Department
        from fairspot.directory.models import RiskClass, Target
        from fairspot.items.models import CheckItem
        from fairspot.reference.models import Division, Industry

        super().__init__(*args, **kwargs)
        departments = Department.objects.all()
        items = CheckItem.objects.select_related("department")
        if not user.sees_all_departments:
            departments = departments.filter(pk=user.department_id)
            items = items.filter(department_id=user.department_id)
        self.fields["department"].queryset = departments
        self.fields["item"].queryset = items
        in_directory = Exists(Target.objects.filter(township=OuterRef("pk")))
        self.fields["township"].queryset = Division.objects.filter(in_directory, level="乡级")
        sections = Industry.objects.filter(level="section").values_list("code", "name")
        self.fields["industry_section"].choices = [("", "—"), *((c, f"{c} {n}") for c, n in sections)]
        self.fields["risk_class"].choices = [("", "—"), *RiskClass.choices]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data
