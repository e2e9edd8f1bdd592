from django import forms
from django.utils.translation import gettext_lazy as _

from fairspot.core.widgets import DateInput
from fairspot.directory.models import EntityType, SpecialLibrary, Target
from fairspot.lib.cells import formula_error
from fairspot.reference.models import Division, Industry


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.replace(";", "；").split("；") if v.strip()]


class ScopeChoicesMixin:
    """A plan's or task's entity types and industry sections picked from lists (searchable, several at
    once) instead of typed as codes; stored as before, the codes joined by “；”."""

    def pick_scope_from_lists(self) -> None:
        sections = [
            (code, f"{code} {name}")
            for code, name in Industry.objects.filter(level="section").values_list("code", "name")
        ]
        for name, choices in (("entity_types", EntityType.choices), ("industry_sections", sections)):
            old = self.fields[name]
            self.fields[name] = forms.MultipleChoiceField(
                label=old.label, choices=choices, required=False, help_text=_("Empty = all")
            )
            value = self.initial.get(name)
            if isinstance(value, str):
                self.initial[name] = _codes(value)

    def clean_entity_types(self) -> str:
        return "；".join(self.cleaned_data["entity_types"])

    def clean_industry_sections(self) -> str:
        return "；".join(self.cleaned_data["industry_sections"])


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "identifier",
            "name",
            "entity_type",
            "industry_code",
            "township",
            "community",
            "registration_authority",
            "address",
            "legal_representative",
            "status",
            "established_on",
            "risk_class",
            "abnormal",
            "tags",
            "libraries",
            "department",
        ]
        widgets = {"established_on": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Division.objects.filter(level="乡级")
        self.fields["community"].queryset = Division.objects.filter(level="村级")
        self.fields["libraries"].queryset = SpecialLibrary.objects.all()
        self.fields["libraries"].required = False
        self.fields["industry_code"].help_text = _(
            "GB/T 4754-2017: a section letter, a division or a finer code"
        )
        if user is not None and not user.sees_all_departments:
            del self.fields["department"]
        else:
            self.fields["department"].required = False

    def clean(self):
        """Refuse text a spreadsheet would run as a formula (``=HYPERLINK(...)``), as the importer does."""
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and value and (problem := formula_error(value)):
                self.add_error(name, str(problem))
        return cleaned

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("libraries", None)
        return data
