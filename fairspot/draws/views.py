"""Staff pages of tasks and draws: preview, commit, enter sources, reveal, results, teams, bundle."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.audit.selectors import entries_about
from fairspot.core import actions
from fairspot.core.exporting import export_response
from fairspot.core.listing import paged
from fairspot.draws import commit_jobs, reveal_jobs, services
from fairspot.draws.classes import committed_table, ratio_words
from fairspot.draws.forms import RematchForm, ReplaceForm, SourcesForm, SourceValueForm, TaskForm
from fairspot.draws.models import DrawStatus
from fairspot.draws.preview import preview_for
from fairspot.draws.selectors import bundle_zip, draws_for, rematch_rows, tasks_for, team_shortage
from fairspot.draws.verification import bundle_title, verification_for
from fairspot.inspectors.models import Inspector
from fairspot.reference.selectors import stratum_label, stratum_names


def _manager(user):
    if not user.can_manage:
        raise PermissionDenied(_("Only department administrators and the joint-meeting office run draws."))


@login_required
def task_list(request):
    tasks = tasks_for(request.user).prefetch_related("draws")
    fmt = request.GET.get("export")
    if fmt:
        header = [
            _("Task number"),
            _("Task name"),
            _("Department"),
            _("Inspection date"),
            _("Ratio"),
            _("Draws"),
        ]
        rows = (
            [
                t.code,
                t.title,
                t.department.name,
                t.inspection_date.isoformat(),
                format(t.ratio.normalize(), "f"),
                "；".join(f"{d.draw_id} {d.get_status_display()}" for d in t.draws.all()),
            ]
            for t in tasks
        )
        return export_response("tasks", [str(h) for h in header], rows, fmt)
    page, params = paged(request, tasks)
    return render(request, "draws/task_list.html", {"tasks": page, "params": params})


@login_required
def task_create(request):
    _manager(request.user)
    form = TaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        items = data.pop("items")
        participating = data.pop("participating_departments")
        done = actions.run_form(
            form,
            lambda: services.task_create(
                actor=request.user, values=data, items=items, participating=participating
            ),
        )
        if done:
            return redirect("draws:task", pk=done.value.pk)
    return render(request, "draws/task_form.html", {"form": form})


@login_required
def task_detail(request, pk: int):
    task = get_object_or_404(tasks_for(request.user), pk=pk)
    draws = list(task.draws.all())
    live = next((d for d in draws if d.status != DrawStatus.ABANDONED), None)
    form = SourcesForm(request.POST or None)
    if request.method == "POST":
        _manager(request.user)
        if live is not None:
            raise PermissionDenied(
                _("This task already has a draw; abandon it first if it must be drawn again.")
            )
        if form.is_valid() and commit_jobs.runs_in_background(task):
            done = actions.run_form(
                form,
                lambda: commit_jobs.commit_queue(actor=request.user, task=task, sources=form.declarations()),
                request=request,
                success=_(
                    "The commit runs in the background (a large population); this page shows it when done."
                ),
            )
            if done:
                return redirect("draws:task", pk=task.pk)
        elif form.is_valid():
            done = actions.run_form(
                form,
                lambda: services.draw_commit(actor=request.user, task=task, sources=form.declarations()),
                request=request,
                success=_("Committed. Publish the manifest digest before the sources exist."),
            )
            if done:
                return redirect("draws:draw", draw_id=done.value.draw_id)
    pending = live is None and commit_jobs.commit_pending(task)
    preview = preview_for(task) if live is None and not pending else None
    summary = preview.summary if preview else None
    strata, strata_params = paged(request, _labelled_strata(summary), param="strata_page")
    return render(
        request,
        "draws/task_detail.html",
        {
            "task": task,
            "draws": draws,
            "live": live,
            "form": form,
            "preview": preview,
            "preview_strata": strata,
            "strata_params": strata_params,
            "class_ratios": ratio_words(task.class_ratios),
            "commit_pending": pending,
            "history": entries_about(task)[:30],
        },
    )


def _labelled_strata(summary) -> list[tuple[str, dict]]:
    """The preview's strata in words (industry and township names), in code order."""
    if summary is None:
        return []
    names = stratum_names()
    return [(stratum_label(key, names), counts) for key, counts in sorted(summary.strata.items())]


def _current_teams(draw):
    return (
        draw.teams.filter(current=True)
        .select_related("target", "leader")
        .prefetch_related(
            Prefetch("members", queryset=Inspector.objects.select_related("department")),
            "experts",
            "replacements__officer_out",
            "replacements__officer_in",
        )
        .order_by("pk")
    )


@login_required
def draw_detail(request, draw_id: str):
    draw = get_object_or_404(draws_for(request.user), draw_id=draw_id)
    entered = {}
    for value in draw.source_values.select_related("entered_by"):
        entered.setdefault(value.name, []).append(value)
    confirmed = services.confirmed_values(draw)
    drawn = draw.drawn.select_related("target", "target__township")
    fmt = request.GET.get("export")
    if fmt:
        rows = (
            [
                d.target.identifier,
                d.target.name,
                d.stratum,
                d.rank,
                "备选" if d.alternate else "抽中",
                d.key,
                d.inclusion_probability,
            ]
            for d in drawn
        )
        return export_response(
            f"draw-{draw.draw_id}",
            ["统一社会信用代码", "名称", "层", "层内序号", "结果", "号码(key)", "入样概率"],
            rows,
            fmt,
        )
    strata = list(draw.drawn.order_by("stratum").values_list("stratum", flat=True).distinct())
    stratum = request.GET.get("stratum", "")[:200]
    if stratum in strata:
        drawn = drawn.filter(stratum=stratum)
    drawn = drawn.order_by("stratum", "rank")
    selected, selected_params = paged(request, drawn.filter(alternate=False))
    alternates, alternates_params = paged(request, drawn.filter(alternate=True), param="alt_page")
    teams, teams_params = paged(request, _current_teams(draw), param="teams_page")
    return render(
        request,
        "draws/draw_detail.html",
        {
            "draw": draw,
            "task": draw.task,
            "entered": entered,
            "confirmed": confirmed,
            "drawn": selected,
            "drawn_params": selected_params,
            "alternates": alternates,
            "alternates_params": alternates_params,
            "strata": strata,
            "stratum": stratum if stratum in strata else "",
            "teams": teams,
            "teams_params": teams_params,
            "superseded": draw.teams.filter(current=False)
            .select_related("target", "leader", "rematch")
            .prefetch_related("members"),
            "rematches": rematch_rows(draw),
            "shortage": team_shortage(draw),
            "classes": committed_table(services.draw_dir(draw.draw_id)),
            "rematch_form": RematchForm(),
            "replace_form": ReplaceForm(),
            "history": entries_about(draw)[:50],
            "waiting": [d for d in draw.sources if d["name"] not in confirmed],
            "reveal_pending": reveal_jobs.reveal_pending(draw),
        },
    )


@login_required
@require_POST
def source_enter(request, draw_id: str):
    _manager(request.user)
    draw = get_object_or_404(draws_for(request.user), draw_id=draw_id)
    form = SourceValueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        actions.run(
            request,
            lambda: services.source_enter(
                actor=request.user, draw=draw, name=data["name"], value=data["value"]
            ),
            success=_("Value recorded."),
        )
    return redirect("draws:draw", draw_id=draw_id)


@login_required
@require_POST
def draw_reveal(request, draw_id: str):
    _manager(request.user)
    draw = get_object_or_404(draws_for(request.user), draw_id=draw_id)
    if reveal_jobs.runs_in_background(draw):
        actions.run(
            request,
            lambda: reveal_jobs.reveal_queue(actor=request.user, draw=draw),
            success=_(
                "The reveal runs in the background (a large population); this page shows it when done."
            ),
        )
    else:
        actions.run(
            request, lambda: services.draw_reveal(actor=request.user, draw=draw), success=_("Revealed.")
        )
    return redirect("draws:draw", draw_id=draw_id)


@login_required
@require_POST
def draw_replace(request, draw_id: str):
    _manager(request.user)
    draw = get_object_or_404(draws_for(request.user), draw_id=draw_id)
    form = ReplaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect("draws:draw", draw_id=draw_id)
    done = actions.run(
        request,
        lambda: services.draw_commit(
            actor=request.user,
            task=draw.task,
            sources=form.declarations(),
            replaces=draw,
            reason=form.cleaned_data["reason"],
        ),
    )
    return redirect("draws:draw", draw_id=done.value.draw_id if done else draw_id)


@login_required
def draw_bundle(request, draw_id: str):
    draw = get_object_or_404(draws_for(request.user), draw_id=draw_id)
    response = HttpResponse(bundle_zip(draw), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{draw.draw_id}.zip"'
    return response


@login_required
def draw_verify(request, draw_id: str):
    draw = get_object_or_404(draws_for(request.user), draw_id=draw_id)
    verification = verification_for(draw)
    sections = [(bundle_title(name), report) for name, report in verification.reports or []]
    return render(
        request, "draws/draw_verify.html", {"draw": draw, "verification": verification, "sections": sections}
    )
