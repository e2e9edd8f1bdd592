"""The statistics report: figures equal hand counts, totals equal the sums of their rows, each figure's
rows are exactly the records counted, scoping, the empty state, the export and a bounded query count."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fairspot.draws.models import DrawnTarget
from fairspot.inspections import services
from fairspot.inspections.models import Disposition, VisitItem
from fairspot.plans.models import BatchTask
from fairspot.stats import measures, units
from fairspot.stats.filters import Filters
from fairspot.testing.draws import key_item
from fairspot.testing.inspections import code, publish, reveal
from fairspot.testing.plans import batch, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(visits, officer, reviewer, departments):
    """One result published (late: the fixture's inspection was in 2025), two follow-ups, one closed."""
    visit = visits[0]
    line = publish(officer, reviewer, visit.lines.get(), visit)
    services.followup_add(
        actor=reviewer,
        line=line,
        disposition=Disposition.CORRECT,
        correct_by=date(2025, 11, 1),
        recheck_on=date(2025, 11, 10),
    )
    second = services.followup_add(actor=reviewer, line=line, disposition=Disposition.CASE, note="线索移交")
    services.followup_close(actor=reviewer, followup=second, closed_on=timezone.localdate())
    return {"visits": visits, "line": line, "market": departments["market"]}


def test_figures_equal_hand_counts_and_totals_equal_rows(scene, draw):
    today = timezone.localdate()
    n = len(scene["visits"])
    data = measures.report(Filters(), today)
    [row] = data["rows"]
    assert row["department"] == scene["market"]
    v = row["values"]
    expected = {
        "population": draw.population_size,
        "drawn": DrawnTarget.objects.filter(draw=draw, alternate=False).count(),
        "abandoned": 0,
        "visits": n,
        "done": 1,
        "joint": 0,
        "results": n,
        "on_time": 0,
        "late": 1,
        "overdue": n - 1,
        "pending": 0,
        "items": 1,
        "followups": 2,
        "closed": 1,
        "disposition:correct": 1,
        "disposition:case": 1,
        "disposition:none": 0,
        f"code:{code('未发现问题').pk}": 1,
    }
    assert {k: v[k] for k in expected} == expected
    assert row["rates"]["closure_rate"] == 50
    assert [m.label for m in data["codes"]] == ["未发现问题"]
    for key, total in data["totals"].items():
        assert total == sum(r["values"][key] for r in data["rows"]), key
    # every figure's rows are exactly the records it counts
    for m in data["measures"] + data["dispositions"] + data["codes"]:
        qs = measures.rows(m.key, Filters(), today, scene["market"].pk)
        if m.key == "population":
            assert sum(qs.values_list("population_size", flat=True)) == v[m.key]
        else:
            assert qs.count() == v[m.key], m.key


def test_published_within_the_deadline_counts_on_time(scene):
    line = scene["line"]
    VisitItem.objects.filter(pk=line.pk).update(
        published_at=timezone.make_aware(
            timezone.datetime.combine(line.visit.deadline, timezone.datetime.min.time())
        )
    )
    v = measures.report(Filters(), timezone.localdate())["rows"][0]["values"]
    assert (v["on_time"], v["late"]) == (1, 0)


def test_filters_narrow_the_figures(scene, draw):
    today = timezone.localdate()
    assert measures.report(Filters(year=2025), today)["totals"]["visits"] == len(scene["visits"])
    assert measures.report(Filters(task=draw.task_id), today)["totals"]["results"] == len(scene["visits"])
    empty = measures.report(Filters(year=2024), today)
    assert empty["empty"] and empty["rows"] == []


def test_office_sees_every_department_and_links_each_figure(client, office, scene):
    client.force_login(office)
    body = client.get("/stats/").content.decode()
    assert scene["market"].name in body
    assert "/stats/rows/?figure=late&amp;department=" in body


def test_department_sees_only_its_own(client, fire_admin, scene):
    client.force_login(fire_admin)
    market = scene["market"].pk
    body = client.get(f"/stats/?department={market}").content.decode()
    assert scene["market"].name not in body.split("<main>")[1]
    assert 'id="empty"' in body
    rows = client.get(f"/stats/rows/?figure=visits&department={market}").content.decode()
    assert scene["visits"][0].target.name not in rows


def test_inspector_may_not_read_statistics(client, market_inspector):
    client.force_login(market_inspector)
    assert client.get("/stats/").status_code == 403


def test_empty_period_is_an_empty_state(client, office, departments):
    client.force_login(office)
    response = client.get("/stats/?year=1999&task=abc")
    assert response.status_code == 200
    assert 'id="empty"' in response.content.decode()


def test_xlsx_export_has_the_rows_and_the_total(client, office, scene):
    client.force_login(office)
    response = client.get("/stats/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = rows[0]
    assert (
        header[0] == "Department" and "Published late" in header and "Ordered to correct" in " ".join(header)
    )
    n = len(scene["visits"])
    market, total = rows[1], rows[2]
    assert market[0] == scene["market"].name and total[0] == "Total"
    assert market[header.index("Visits")] == n and total[header.index("Visits")] == n
    assert total[header.index("Published late")] == 1


def test_rows_page_lists_exactly_the_counted_records(client, office, scene):
    client.force_login(office)
    body = client.get("/stats/rows/?figure=late").content.decode()
    late_target = scene["line"].visit.target.name
    assert late_target in body
    others = [v.target.name for v in scene["visits"][1:]]
    assert not any(f">{name}<" in body for name in others)
    response = client.get("/stats/rows/?figure=overdue&export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 1 + len(scene["visits"]) - 1
    assert client.get("/stats/rows/?figure=nonsense").status_code == 404


def test_report_runs_a_bounded_number_of_queries(client, office, scene, django_assert_max_num_queries):
    client.force_login(office)
    client.get("/stats/")  # warm the session and content types
    with django_assert_max_num_queries(20):
        assert client.get("/stats/").status_code == 200


def test_today_moves_pending_to_overdue(scene):
    deadline = scene["visits"][1].deadline
    before = measures.report(Filters(), deadline - timedelta(days=1))["totals"]
    assert before["overdue"] == 0 and before["pending"] == len(scene["visits"]) - 1


def test_joint_visits_and_plan_batches_on_schedule(visits, market_admin, colleague, item, departments):
    visits[1].departments.add(departments["fire"])  # a second department joins one visit
    plan = make_plan(
        market_admin,
        {"general": item},
        batches=[batch(1, (3, 1), (4, 30)), batch(2, (5, 1), (5, 31)), batch(3, (9, 1), (9, 30))],
    )
    first = plan.batches.get(number=1)
    on_time = reveal(market_admin, colleague, item, code="T-2", inspection_date=date(2026, 3, 16))
    BatchTask.objects.create(batch=first, task=on_time.task)
    today = date(2026, 6, 1)  # batches 1 and 2 have ended, batch 3 has not
    data = measures.report(Filters(), today)
    totals = data["totals"]
    assert (totals["joint"], totals["batches_due"], totals["on_schedule"]) == (1, 2, 1)
    assert data["total_rates"]["schedule_rate"] == 50
    assert [v.pk for v in measures.rows("joint", Filters(), today)] == [visits[1].pk]
    assert [b.pk for b in measures.rows("on_schedule", Filters(), today)] == [first.pk]
    assert (
        measures.report(Filters(plan=plan.pk), today)["totals"]["drawn"]
        == on_time.drawn.filter(alternate=False).count()
    )


def test_a_units_rows_never_repeat(scene, market_admin, colleague, item, departments):
    """The figures are plain counts (no DISTINCT): under no filter may a unit yield a record twice, even
    where the relations it filters across hold several rows (a joint visit of two departments, a task
    with two items, a plan with two items and batches, a result with two follow-ups)."""
    scene["visits"][1].departments.add(departments["fire"])
    second_item = key_item(departments)
    plan = make_plan(
        market_admin,
        {"general": item, "key": second_item},
        batches=[batch(1, (3, 1), (4, 30)), batch(2, (5, 1), (5, 31))],
    )
    drawn = reveal(market_admin, colleague, item, code="T-2", inspection_date=date(2026, 3, 16))
    drawn.task.items.add(second_item)
    scene["line"].draw.task.items.add(second_item)  # the task of the results, too
    BatchTask.objects.create(batch=plan.batches.get(number=1), task=drawn.task)
    every = {
        "year": [2025, 2026],
        "department": [scene["market"].pk],
        "plan": [plan.pk],
        "task": [drawn.task_id, scene["line"].draw.task_id],
        "item": [item.pk, second_item.pk],
    }
    combinations = [Filters()]
    combinations += [Filters(**{name: value}) for name, values in every.items() for value in values]
    combinations.append(Filters(year=2026, department=scene["market"].pk, plan=plan.pk, item=item.pk))
    for unit in units.UNITS.values():
        seen = 0
        for filters in combinations:
            qs = unit.build(filters).order_by()
            count = qs.count()
            assert count == qs.values("pk").distinct().count(), (unit.key, filters)
            seen += count
        assert seen > 0, unit.key  # the unit has rows to repeat in this scene
