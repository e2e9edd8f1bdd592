"""Date pickers receive ISO dates in every language."""

from datetime import date

from django.utils import translation

from fairspot.core.widgets import DateInput


def test_date_input_is_iso_in_chinese():
    with translation.override("zh-hans"):
        html = DateInput().render("d", date(2025, 10, 1))
    assert 'type="date"' in html and 'value="2025-10-01"' in html
