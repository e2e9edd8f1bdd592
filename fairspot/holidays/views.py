"""Staff pages of the working-day calendar: everyone reads; the office and system administrators edit."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.audit.selectors import entries_about
from fairspot.core import actions
from fairspot.core.errors import DomainError
from fairspot.core.exporting import export_response
from fairspot.holidays import services
from fairspot.holidays.exporters import day_rows, export_header
from fairspot.holidays.forms import CalendarDayForm, CalendarYearForm, DeadlineForm
from fairspot.holidays.models import CalendarDay, CalendarYear, DayKind, Source
from fairspot.holidays.selectors import covered_years, days_for, known_years
from fairspot.holidays.workdays import add_working_days_marked

PAGE_SIZE = 100
ALL_YEARS = "all"


def _list_url(year) -> str:
    return f"{reverse('holidays:list')}?year={year}"


def _deadline(request) -> tuple[DeadlineForm, date | None, str, bool]:
    if "start" not in request.GET:
        return DeadlineForm(), None, "", False
    form = DeadlineForm(request.GET)
    if not form.is_valid():
        return form, None, "", False
    try:
        day, provisional = add_working_days_marked(form.cleaned_data["start"], form.cleaned_data["n"])
    except DomainError as exc:
        return form, None, str(exc.message), False
    return form, day, "", provisional


@login_required
def day_list(request):
    year = request.GET.get("year", str(date.today().year))[:10]
    chosen = {
        "kind": request.GET.get("kind", "")[:20],
        "source": request.GET.get("source", "")[:20],
    }
    filters = {"kind": chosen["kind"], "source": chosen["source"]}
    if year != ALL_YEARS:
        if not (year.isdigit() and 1 <= int(year) <= 9999):
            year = str(date.today().year)
        filters["date__year"] = int(year)
    q = request.GET.get("q", "")[:100]
    qs = days_for(request.user, q=q, filters=filters)
    fmt = request.GET.get("export")
    if fmt:
        return export_response("holidays", export_header(), day_rows(qs), fmt)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    for name in ("page", "export", "start", "n"):
        params.pop(name, None)
    params["year"] = year
    deadline_form, deadline, deadline_error, deadline_provisional = _deadline(request)
    return render(
        request,
        "holidays/day_list.html",
        {
            "page": page,
            "q": q,
            "year": year,
            "years": known_years(),
            "chosen": chosen,
            "kinds": DayKind.choices,
            "sources": Source.choices,
            "params": params.urlencode(),
            "covered": covered_years(),
            "may_edit": services.may_edit_calendar(request.user),
            "year_form": CalendarYearForm(),
            "deadline_form": deadline_form,
            "deadline": deadline,
            "deadline_error": deadline_error,
            "deadline_provisional": deadline_provisional,
        },
    )


@login_required
def day_edit(request, pk: int | None = None):
    if not services.may_edit_calendar(request.user):
        raise PermissionDenied(
            _("Only the joint-meeting office and the system administrator edit the working-day calendar.")
        )
    day = get_object_or_404(CalendarDay, pk=pk) if pk else None
    form = CalendarDayForm(request.POST or None, instance=day)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}

        def save():
            if day is None:
                return services.day_create(actor=request.user, values=values)
            return services.day_change(actor=request.user, day=day, values=values)

        done = actions.run_form(form, save, request=request, success=_("Saved."))
        if done:
            return redirect(_list_url(done.value.date.year))
    return render(
        request,
        "holidays/day_form.html",
        {"form": form, "day": day, "history": entries_about(day)[:50] if day else []},
    )


@login_required
@require_POST
def day_delete(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    services.day_delete(actor=request.user, day=day)
    messages.success(request, _("Deleted."))
    return redirect(_list_url(day.date.year))


@login_required
@require_POST
def year_add(request):
    form = CalendarYearForm(request.POST)
    if not services.may_edit_calendar(request.user):
        raise PermissionDenied(
            _("Only the joint-meeting office and the system administrator edit the working-day calendar.")
        )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("holidays:list")
    year = form.cleaned_data["year"]
    done = actions.run(
        request,
        lambda: services.year_declare(actor=request.user, year=year, note=form.cleaned_data["note"]),
        success=_("The year %(year)s is now covered.") % {"year": year},
    )
    if done:
        confirmation = done.value
        changed = [c for c in confirmation.recomputed if c["old"] != c["new"]]
        messages.info(
            request,
            _("%(n)s provisional deadlines were recomputed, %(m)s of them moved.")
            % {"n": len(confirmation.recomputed), "m": len(changed)},
        )
        for c in changed:
            messages.info(
                request,
                _("%(what)s: deadline %(old)s (provisional) → %(new)s")
                % {"what": c["what"], "old": c["old"], "new": c["new"]},
            )
    return redirect(_list_url(year))


@login_required
@require_POST
def year_remove(request, pk: int):
    calendar_year = get_object_or_404(CalendarYear, pk=pk)
    actions.run(
        request,
        lambda: services.year_withdraw(actor=request.user, calendar_year=calendar_year),
        success=_("The year %(year)s is no longer covered.") % {"year": calendar_year.year},
    )
    return redirect(_list_url(calendar_year.year))
