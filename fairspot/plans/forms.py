from datetime import date

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from fairspot.core.widgets import DateInput
from fairspot.directory.forms import ScopeChoicesMixin
from fairspot.directory.models import Target
from fairspot.items.models import CheckItem
from fairspot.plans.models import Plan, ReviewDecision
from fairspot.reference.models import Division


class PlanForm(ScopeChoicesMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "year",
            "code",
            "title",
            "kind",
            "participating_departments",
            "scope_kind",
            "target_scope",
            "entity_types",
            "industry_sections",
            "township",
            "library",
            "description",
        ]

    def __init__(self, *args, lead=None, adjusting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if lead is not None:
            participating = self.fields["participating_departments"]
            participating.queryset = participating.queryset.exclude(pk=lead.pk)
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Empty = numbered automatically (year-department-nn)")
        self.fields["participating_departments"].required = False
        self.pick_scope_from_lists()
        # the townships of the district's own directory (as on the task form), not all of the city's
        in_directory = Exists(Target.objects.filter(township=OuterRef("pk")))
        self.fields["township"].queryset = Division.objects.filter(in_directory, level="乡级")
        if not self.instance.pk:
            self.fields["year"].initial = date.today().year
        if adjusting or (self.instance.pk and self.instance.version > 1):
            # an adjustment keeps the plan's year and number
            self.fields.pop("year")
            self.fields.pop("code")

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("participating_departments", None)
        return data


def _item_label(item: CheckItem) -> str:
    cap = "" if item.ratio_cap is None else f" ≤{item.ratio_cap.normalize():f}"
    department = item.department.short_name or item.department.name
    return f"{department} · {item.code} {item.name} ({item.get_item_type_display()}{cap})"


class ItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _item_label(obj)


class PlanItemRowForm(forms.Form):
    item = ItemField(label=_("check item"), queryset=CheckItem.objects.none())
    ratio = forms.DecimalField(
        label=_("sampling ratio"),
        max_digits=6,
        decimal_places=4,
        required=False,
        help_text=_("A fraction, e.g. 0.05; empty = the item's default ratio"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = CheckItem.objects.select_related("department").order_by(
            "department__sort_order", "department__code", "code"
        )


class BatchRowForm(forms.Form):
    number = forms.IntegerField(label=_("batch number"), min_value=1, max_value=99, required=False)
    name = forms.CharField(label=_("batch name"), max_length=100)
    start_date = forms.DateField(label=_("start date"), widget=DateInput())
    end_date = forms.DateField(label=_("end date"), widget=DateInput())


ItemFormSet = forms.formset_factory(PlanItemRowForm, extra=3, can_delete=True)
BatchFormSet = forms.formset_factory(BatchRowForm, extra=2, can_delete=True)


def _kept(formset) -> list[dict]:
    """Rows filled in and not marked for deletion (untouched extra rows have no cleaned data)."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def item_rows(formset) -> list[tuple]:
    return [(row["item"], row.get("ratio")) for row in _kept(formset)]


def batch_rows(formset) -> list[dict]:
    return [{k: row.get(k) for k in ("number", "name", "start_date", "end_date")} for row in _kept(formset)]


def item_initial(plan: Plan | None) -> list[dict]:
    if plan is None:
        return []
    return [{"item": pi.item_id, "ratio": pi.ratio} for pi in plan.items.all()]


def batch_initial(plan: Plan | None) -> list[dict]:
    if plan is None:
        return []
    return [
        {"number": b.number, "name": b.name, "start_date": b.start_date, "end_date": b.end_date}
        for b in plan.batches.all()
    ]


class AdjustForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the adjustment"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=[("", "---------"), *ReviewDecision.choices])
    opinion = forms.CharField(
        label=_("review opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the plan is returned; kept with the plan"),
    )
