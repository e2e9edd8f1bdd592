"""Form widgets shared by the staff pages."""

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker: always ISO dates, whatever the UI language (zh-hans renders 2025/10/01)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
