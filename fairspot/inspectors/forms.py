from django import forms

from fairspot.core.widgets import DateInput
from fairspot.inspectors.models import Conflict, Expert, Inspector
from fairspot.items.models import CheckItem
from fairspot.reference.models import Division


def _scope_department(form, user):
    if user is not None and not user.sees_all_departments:
        form.fields.pop("department", None)


class InspectorForm(forms.ModelForm):
    class Meta:
        model = Inspector
        fields = [
            "staff_no",
            "name",
            "department",
            "certificate_no",
            "certificate_expiry",
            "qualifications",
            "expertise",
            "items",
            "posted_township",
            "residence_township",
            "phone",
            "status",
        ]
        widgets = {"certificate_expiry": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        towns = Division.objects.filter(level="乡级")
        self.fields["posted_township"].queryset = towns
        self.fields["residence_township"].queryset = towns
        items = CheckItem.objects.select_related("department")
        if user is not None and not user.sees_all_departments:
            items = items.filter(department_id=user.department_id)
        self.fields["items"].queryset = items
        self.fields["items"].required = False
        _scope_department(self, user)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("items", None)
        return data


class ExpertForm(forms.ModelForm):
    class Meta:
        model = Expert
        fields = [
            "name",
            "organisation",
            "organisation_type",
            "expertise",
            "title",
            "phone",
            "email",
            "department",
            "status",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_department(self, user)


class ConflictForm(forms.ModelForm):
    target_identifier = forms.CharField(label=Conflict._meta.get_field("target").verbose_name, max_length=40)

    class Meta:
        model = Conflict
        fields = ["inspector", "expert", "kind", "valid_from", "valid_to", "note"]
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.sees_all_departments:
            self.fields["inspector"].queryset = Inspector.objects.filter(department_id=user.department_id)
            self.fields["expert"].queryset = Expert.objects.filter(department_id=user.department_id)
        if self.instance.pk:
            self.fields["target_identifier"].initial = self.instance.target.identifier

    def clean(self):
        from django.utils.translation import gettext as _

        from fairspot.directory.models import Target

        data = super().clean()
        if bool(data.get("inspector")) == bool(data.get("expert")):
            raise forms.ValidationError(_("Choose either an inspector or an expert."))
        target = Target.objects.filter(
            identifier=(data.get("target_identifier") or "").strip().upper()
        ).first()
        if target is None:
            self.add_error("target_identifier", _("No target with this code."))
        data["target"] = target
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("target_identifier", None)
        return data
