"""The rows of the public results page, written in one pass.

Twenty results with a dozen fields each are most of the page's work; rendered node by node by the
template engine they cost several times the search itself. ``result_rows`` writes the same markup as
the template did, every value escaped, the labels translated once per page.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _day(value, zone: tzinfo) -> str:
    """The local day of a date or a date-time (aware, or naive in UTC as SQLite gives it back)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        if len(value) == 10:
            return value
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite: stored in UTC, read back without a zone
            value = value.replace(tzinfo=UTC)
        return value.astimezone(zone).date().isoformat()
    return value.isoformat()


@register.simple_tag
def result_rows(rows) -> SafeString:
    label = {
        "code": escape(_("Unified social credit code")),
        "item": escape(_("Check item")),
        "result": escape(_("Result")),
        "corrected": escape(_("corrected")),
        "remarks": escape(_("Remarks")),
        "authority": escape(_("Authority")),
        "inspection": escape(_("Inspection")),
        "task": escape(_("Task")),
        "published": escape(_("Published on")),
    }
    zone = timezone.get_current_timezone()
    out = []
    for r in rows:
        corrected = f' <span class="note">({label["corrected"]})</span>' if r.corrected else ""
        remarks = f"<dt>{label['remarks']}</dt><dd>{escape(r.remarks)}</dd>" if r.remarks else ""
        until = f" – {_day(r.completion_date, zone)}" if r.completion_date else ""
        when = f"{escape(r.inspection_type)} · {_day(r.inspection_date, zone)}{until}"
        task = (
            f"<dt>{label['task']}</dt><dd>{escape(r.task_code)} {escape(r.task_title)}</dd>"
            if r.task_code
            else ""
        )
        out.append(
            f'<article id="r{r.source_id}">\n<h2>{escape(r.target_name)}</h2>\n<dl>\n'
            f'<dt>{label["code"]}</dt><dd class="code">{escape(r.target_identifier)}</dd>\n'
            f"<dt>{label['item']}</dt><dd>{escape(r.item_name)}</dd>\n"
            f'<dt>{label["result"]}</dt><dd class="result">{escape(r.result_label)}{corrected}</dd>\n'
            f"{remarks}<dt>{label['authority']}</dt><dd>{escape(r.authority)}</dd>\n"
            f"<dt>{label['inspection']}</dt><dd>{when}</dd>\n"
            f"{task}<dt>{label['published']}</dt><dd>{_day(r.published_at, zone)}</dd>\n</dl>\n</article>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
