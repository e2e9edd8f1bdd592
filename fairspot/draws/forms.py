from datetime import date, timedelta

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from fairspot.core.widgets import DateInput
from fairspot.directory.forms import ScopeChoicesMixin
from fairspot.directory.models import Target
from fairspot.draws.models import Task
from fairspot.draws.source_kinds import CEREMONY_FORMAT, PUBLIC_NUMBER_FORMATS
from fairspot.items.models import CheckItem
from fairspot.reference.models import Division


class TaskForm(ScopeChoicesMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "code",
            "title",
            "items",
            "participating_departments",
            "inspection_date",
            "ratio",
            "class_ratios",
            "design",
            "min_inclusion",
            "stratify_by_industry",
            "stratify_by_township",
            "entity_types",
            "industry_sections",
            "township",
            "library",
            "risk_weights",
            "exclude_class_a",
            "alternates",
            "team_size",
            "same_township_rule",
            "recent_window_days",
            "annual_cap",
            "experts_per_team",
            "expert_fields",
        ]
        widgets = {"inspection_date": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = CheckItem.objects.select_related("department")
        if user is not None and not user.sees_all_departments:
            items = items.filter(department_id=user.department_id)
        self.fields["items"].queryset = items
        self.fields["participating_departments"].required = False
        self.pick_scope_from_lists()
        # the townships of the district's own directory, not every township of the city
        # (an EXISTS per township uses the township index: no scan of a large directory)
        in_directory = Exists(Target.objects.filter(township=OuterRef("pk")))
        self.fields["township"].queryset = Division.objects.filter(in_directory, level="乡级")
        self.fields["inspection_date"].initial = date.today() + timedelta(days=14)


class SourcesForm(forms.Form):
    """Which randomness sources the draw will use, named before they exist."""

    drand_round = forms.IntegerField(
        label=_("drand round (quicknet)"),
        min_value=1,
        required=False,
        help_text=_("A future round number; its randomness is published every 3 seconds."),
    )
    public_number = forms.CharField(
        label=_("public number"),
        max_length=200,
        required=False,
        help_text=_("e.g. the Shenzhen Component Index close on a stated future date"),
    )
    public_number_kind = forms.ChoiceField(
        label=_("kind of number"),
        choices=[
            ("close", _("a closing index, two decimals (e.g. 10523.47)")),
            ("integer", _("a whole number (e.g. a lottery's winning number)")),
            ("digits", _("several numbers separated by spaces (e.g. 03 15 22 27 31 08)")),
        ],
        initial="close",
        required=False,
        help_text=_("Fixes what the officers may enter; nobody types a rule."),
    )
    ceremony = forms.CharField(
        label=_("witnessed ceremony"),
        max_length=200,
        required=False,
        help_text=_("e.g. 32 hexadecimal digits from dice thrown before witnesses at the draw"),
    )
    deadline = forms.CharField(label=_("sources due by"), max_length=100, required=False)

    def declarations(self) -> list[dict]:
        data = self.cleaned_data
        fallback = str(
            _(
                "If a source has not appeared by the deadline, the draw is abandoned publicly and "
                "committed again with new sources."
            )
        )
        out = []
        if data.get("drand_round"):
            out.append(
                {
                    "name": "drand",
                    "kind": "drand",
                    "round": data["drand_round"],
                    "chain": "quicknet",
                    "fallback": fallback,
                    "deadline": data.get("deadline", ""),
                }
            )
        if data.get("public_number"):
            out.append(
                {
                    "name": "public_number",
                    "kind": "public_number",
                    "description": data["public_number"],
                    "format": PUBLIC_NUMBER_FORMATS[data.get("public_number_kind") or "close"],
                    "fallback": fallback,
                    "deadline": data.get("deadline", ""),
                }
            )
        if data.get("ceremony"):
            out.append(
                {
                    "name": "ceremony",
                    "kind": "ceremony",
                    "description": data["ceremony"],
                    "format": CEREMONY_FORMAT,
                    "fallback": fallback,
                    "deadline": data.get("deadline", ""),
                }
            )
        return out

    def clean(self):
        data = super().clean()
        if not (data.get("drand_round") or data.get("public_number") or data.get("ceremony")):
            raise forms.ValidationError(_("Name at least one randomness source."))
        return data


class ReplaceForm(SourcesForm):
    reason = forms.CharField(label=_("why the earlier draw is abandoned"), max_length=500)


class RematchForm(SourcesForm):
    reason = forms.CharField(label=_("why the teams are matched again"), max_length=500)


class SourceValueForm(forms.Form):
    name = forms.CharField(widget=forms.HiddenInput)
    value = forms.CharField(label=_("value"), max_length=4096)
