from django import forms
from django.utils.translation import gettext_lazy as _

from fairspot.credit.models import HazardLevel


class HazardForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Hazard level"), choices=HazardLevel.choices, coerce=int)
    note = forms.CharField(label=_("Why"), max_length=255, required=False)
