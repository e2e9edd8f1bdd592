from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from fairspot.core.widgets import DateInput
from fairspot.items.models import CheckItem
from fairspot.reference.models import CheckMethod


class CheckItemForm(forms.ModelForm):
    method_choices = forms.MultipleChoiceField(
        label=_("permitted methods"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("reason for the change"), max_length=255, required=False)

    class Meta:
        model = CheckItem
        fields = [
            "department",
            "code",
            "name",
            "category",
            "item_type",
            "default_ratio",
            "ratio_cap",
            "legal_basis",
            "implementing_body",
            "target_scope",
            "target_entity_types",
            "target_industries",
            "target_regions",
            "target_library",
            "content",
            "checklist",
            "participating_departments",
            "frequency",
            "repeat_window_days",
            "firm_annual_cap",
            "team_size",
            "required_qualification",
            "published",
            "effective_from",
        ]
        widgets = {"effective_from": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method_choices"].choices = list(CheckMethod.objects.values_list("code", "label"))
        self.fields["participating_departments"].required = False
        if self.instance.pk:
            self.fields["method_choices"].initial = self.instance.method_codes
            self.fields["reason"].required = True
            self.fields["effective_from"].initial = date.today()
            self.fields.pop("department")
        else:
            self.fields["effective_from"].initial = date.today()
            if user is not None and not user.sees_all_departments:
                self.fields.pop("department")

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["methods"] = ",".join(sorted(data.pop("method_choices", [])))
        for key in ("reason", "participating_departments"):
            data.pop(key, None)
        return data
