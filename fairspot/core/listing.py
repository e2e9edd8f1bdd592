"""What every list page shares: search box, filters, pagination and the export buttons."""

from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _

from fairspot.core import newest_first, versions
from fairspot.core.export_jobs import export_queue
from fairspot.core.exporting import export_response
from fairspot.core.registry import registry

PAGE_SIZE = 50


def list_page(request, *, kind: str, template: str, filters: dict[str, str], extra: dict | None = None):
    """Render a list (or export it when ?export=csv|xlsx): ``filters`` maps GET names to lookups."""
    spec = registry()[kind]
    q = request.GET.get("q", "")[:100]
    chosen = {lookup: request.GET.get(param, "")[:40] for param, lookup in filters.items()}
    base = spec.queryset(request.user)
    for param, lookup in filters.items():
        value = chosen[lookup]
        if value and not filter_value_ok(base.model, lookup, value):
            return bad_filter(param, _filter_label(base.model, lookup), value)
    qs = spec.queryset(request.user, q=q, filters=chosen)
    fmt = request.GET.get("export")
    if fmt:
        if fmt not in {"csv", "xlsx"}:
            raise Http404("unknown export format")
        total = qs.count()
        if total > settings.FAIRSPOT_EXPORT_INLINE_ROWS:
            job = export_queue(actor=request.user, kind=kind, fmt=fmt, q=q, filters=chosen, total=total)
            return redirect("hub:export_job", pk=job.pk)
        return export_response(kind, spec.header(), spec.rows(qs), fmt)
    page = _paginator(qs).get_page(request.GET.get("page"))
    if q.strip():  # a name search: read the page under a time budget (``core.newest_first``)
        page.object_list = newest_first.evaluate(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        template,
        {
            "page": page,
            "q": q,
            "chosen": {p: request.GET.get(p, "") for p in filters},
            "spec": spec,
            "params": params.urlencode(),
            **(extra or {}),
        },
    )


class _KnownCount(Paginator):
    def __init__(self, items, size: int, count: Callable[[], int]):
        super().__init__(items, size)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


def _paginator(qs) -> Paginator:
    """A list's pages; the count of a directory list (millions of rows in a province) is kept until the
    directory changes (``core.versions``: the ``directory`` stamp), so paging does not count again."""
    if not versions.watches("directory", qs.model._meta.app_label):
        return Paginator(qs, PAGE_SIZE)
    sql, params = qs.order_by().query.sql_with_params()
    return _KnownCount(
        qs, PAGE_SIZE, lambda: versions.cached("directory", f"count {sql} {params!r}", qs.count)
    )


def paged(request, items, *, param: str = "page", size: int | None = None) -> tuple:
    """One page of ``items`` (a queryset or a list) chosen by the GET parameter ``param``, and the
    query string of the other parameters, for ``includes/pager.html``::

        {% include "includes/pager.html" with page=teams param="teams_page" params=teams_params %}

    Several lists on one page page independently, each by its own parameter. Exports are never
    paged: a view exports the whole list before it calls this."""
    page = Paginator(items, size or PAGE_SIZE).get_page(request.GET.get(param))
    params = request.GET.copy()
    params.pop(param, None)
    return page, params.urlencode()


def _field_for(model, lookup: str):
    """The model field a filter lookup such as ``township_id`` or ``libraries__code`` ends on."""
    field = None
    for part in lookup.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return field


def filter_value_ok(model, lookup: str, value: str) -> bool:
    """Whether ``value`` is one the field can hold (its type, and one of its choices if it has them)."""
    try:
        field = _field_for(model, lookup)
    except FieldDoesNotExist:
        return False
    target = getattr(field, "target_field", None) if field.many_to_one or field.one_to_one else None
    field = target or field
    try:
        cleaned = field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    if field.choices:
        return cleaned in {choice for choice, _label in field.flatchoices}
    max_length = getattr(field, "max_length", None)
    return not (max_length and len(str(cleaned)) > max_length)


def _filter_label(model, lookup: str) -> str:
    try:
        return str(_field_for(model, lookup).verbose_name)
    except FieldDoesNotExist:
        return lookup


def bad_filter(param: str, label: str, value: str) -> HttpResponseBadRequest:
    message = _(
        "The filter “%(label)s” (%(name)s) cannot be “%(value)s”: choose one of the values the page offers."
    ) % {"label": label, "name": param, "value": value}
    return HttpResponseBadRequest(
        f"<!doctype html><meta charset=utf-8><title>400</title><p>{escape(message)}</p>",
        content_type="text/html; charset=utf-8",
    )
