from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from fairspot.core.widgets import DateInput
from fairspot.holidays.models import FIRST_YEAR, LAST_YEAR, CalendarDay


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "note"]
        widgets = {"date": DateInput()}


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    note = forms.CharField(label=_("note"), max_length=255, required=False)


class DeadlineForm(forms.Form):
    """The calculator on the list page: the n-th working day after a date."""

    start = forms.DateField(label=_("end date (not counted)"), widget=DateInput(), initial=date.today)
    n = forms.IntegerField(label=_("working days"), min_value=0, max_value=1000, initial=20)
