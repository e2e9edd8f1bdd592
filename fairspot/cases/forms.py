from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from fairspot.accounts.models import Department
from fairspot.cases.models import Lead, Outcome
from fairspot.core.widgets import DateInput
from fairspot.directory.models import Target
from fairspot.inspectors.models import Inspector, PersonStatus
from fairspot.items.models import CheckItem


def _items_for(user):
    items = CheckItem.objects.select_related("department")
    if user is not None and not user.sees_all_departments:
        items = items.filter(department_id=user.department_id)
    return items


class LeadForm(forms.ModelForm):
    target_identifier = forms.CharField(
        label=_("target (统一社会信用代码)"),
        max_length=40,
        required=False,
        help_text=_("If the business is in the directory; otherwise name the party below."),
    )

    class Meta:
        model = Lead
        fields = [
            "kind",
            "received_on",
            "department",
            "description",
            "unlicensed",
            "target_identifier",
            "party_name",
            "party_address",
            "party_contact",
            "complainant_name",
            "complainant_phone",
            "item",
            "category",
        ]
        widgets = {"received_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = date.today()
        self.fields["item"].queryset = _items_for(user)
        self.fields["category"].required = False
        self.fields["category"].help_text = _("Empty = the check item's category")
        if user is not None and not user.sees_all_departments:
            self.fields.pop("department")

    def clean_target_identifier(self):
        code = self.cleaned_data["target_identifier"].strip().upper()
        if not code:
            return None
        target = Target.objects.filter(identifier=code).first()
        if target is None:
            raise forms.ValidationError(_("No target with this identifier in the directory."))
        return target

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["target"] = data.pop("target_identifier")
        return data


class AssignForm(forms.Form):
    inspectors = forms.ModelMultipleChoiceField(
        label=_("inspectors"), queryset=Inspector.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, lead, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = Inspector.objects.filter(
            department_id=lead.department_id, status=PersonStatus.ACTIVE
        )
        if lead.pk:
            self.fields["inspectors"].initial = list(lead.assignees.values_list("pk", flat=True))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("handling note"), widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=[("", "—"), *Outcome.choices])
    result = forms.CharField(label=_("result"), widget=forms.Textarea(attrs={"rows": 4}))


class ApproveCheckForm(forms.Form):
    legal_basis = forms.CharField(
        label=_("legal basis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The law and article that allow this check (检查依据)."),
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)
    over_cap_reason = forms.CharField(
        label=_("why the check goes past the annual cap"),
        max_length=500,
        required=False,
        help_text=_("Only when the firm has reached the district's annual cap of checks."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class TransferForm(ReasonForm):
    department = forms.ModelChoiceField(label=_("to department"), queryset=Department.objects.all())

    field_order = ["department", "reason"]

    def __init__(self, *args, lead, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.exclude(pk=lead.department_id)


class SpecialInspectionForm(forms.Form):
    leads = forms.ModelMultipleChoiceField(
        label=_("leads"), queryset=Lead.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.all())
    code = forms.CharField(label=_("task number"), max_length=40)
    title = forms.CharField(
        label=_("task name"), max_length=200, required=False, help_text=_("Empty = from the category")
    )
    items = forms.ModelMultipleChoiceField(label=_("check items"), queryset=CheckItem.objects.none())
    inspection_date = forms.DateField(label=_("inspection date"), widget=DateInput())
    ratio = forms.DecimalField(
        label=_("sampling ratio"),
        max_digits=6,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        max_value=Decimal("1"),
        help_text=_("A special inspection sets its own ratio; item caps do not apply."),
    )
    alternates = forms.IntegerField(label=_("alternates per stratum"), min_value=0, initial=2)
    team_size = forms.IntegerField(label=_("officers per team"), min_value=2, initial=2)

    def __init__(self, *args, user, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leads"].queryset = leads
        self.fields["leads"].label_from_instance = lambda lead: (
            f"{lead.number} · {lead.target.name if lead.target_id else _('party not in the directory')}"
            f" · {lead.received_on:%Y-%m-%d} · {lead.get_status_display()}"
        )
        self.fields["items"].queryset = _items_for(user)
        self.fields["inspection_date"].initial = date.today() + timedelta(days=14)
        if not user.sees_all_departments:
            self.fields.pop("department")

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("leads", "items"):
            data.pop(key)
        return data
