"""The estimates page: Hájek shares weighted by the draws' inclusion probabilities, 95 % intervals, the
number of inspections, "not enough data" for thin cells, department scoping and the Excel export."""

import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fairspot.credit.estimates import Filters, table
from fairspot.directory.models import Target
from fairspot.draws.models import DrawnTarget
from fairspot.inspections import services as inspection_services
from fairspot.inspections.models import ResultStatus, VisitItem
from fairspot.lib.estimates import MIN_INSPECTIONS
from fairspot.testing.inspections import code, reveal

pytestmark = pytest.mark.django_db


def inspected(admin, colleague, item, **kw):
    """A revealed draw, its visits, and reviewed results: every third firm (by identifier) broke the rules."""
    kw.setdefault("kind", "special")  # a special inspection sets its own ratio (above the item's cap)
    draw = reveal(admin, colleague, item, **kw)
    inspection_services.visits_create_for_draw(actor=admin, draw=draw)
    lines = (
        VisitItem.objects.filter(draw=draw)
        .select_related("visit__target")
        .order_by("visit__target__identifier")
    )
    problem, fine = code("未按规定公示应当公示的信息"), code("未发现问题")
    for n, line in enumerate(lines):
        line.result_code = problem if n % 3 == 0 else fine
        line.status = ResultStatus.APPROVED
        line.save(update_fields=["result_code", "status"])
    return draw


def hajek(draw) -> float:
    y, w = 0.0, 0.0
    for line in VisitItem.objects.filter(draw=draw).select_related("result_code", "visit"):
        pi = Fraction(
            DrawnTarget.objects.get(
                draw=draw, target=line.visit.target_id, alternate=False
            ).inclusion_probability
        )
        y += (line.result_code.group != "未发现问题") / float(pi)
        w += 1 / float(pi)
    return y / w


def test_share_interval_and_inspections_by_the_draws_probabilities(client, market_admin, colleague, district):
    draw = inspected(market_admin, colleague, district, ratio=Decimal("0.7"))
    n = VisitItem.objects.filter(draw=draw).count()
    assert n >= MIN_INSPECTIONS
    total, rows = table(market_admin, Filters())
    assert total.estimate.enough and total.estimate.inspections == n and not rows
    assert total.estimate.share == pytest.approx(hajek(draw))
    assert total.estimate.low < total.estimate.share < total.estimate.high

    client.force_login(market_admin)
    page = client.get(reverse("credit:estimates")).content.decode()
    assert f"{total.estimate.share * 100:.1f}%" in page and f"<td>{n}</td>" in page
    assert f"{total.estimate.low * 100:.1f}% – {total.estimate.high * 100:.1f}%" in page


def test_a_thin_cell_says_not_enough_data(client, market_admin, colleague, district):
    inspected(market_admin, colleague, district, ratio=Decimal("0.7"))
    client.force_login(market_admin)
    page = client.get(reverse("credit:estimates"), {"by": "township"}).content.decode()
    assert "Not enough data:" in page and f"at least {MIN_INSPECTIONS} are needed" in page
    _total, rows = table(market_admin, Filters(by="township"))
    assert len(rows) == 2 and all(not r.estimate.enough and r.estimate.share is None for r in rows)
    empty = client.get(reverse("credit:estimates"), {"industry_section": "S"})
    assert empty.status_code == 200 and "no inspection in this cell" in empty.content.decode()


def test_a_pps_draw_is_weighted_by_its_exact_probabilities(market_admin, colleague, district):
    for n, target in enumerate(Target.objects.order_by("identifier")):
        target.risk_class = "ABCD"[n % 4]
        target.save(update_fields=["risk_class"])
    draw = inspected(
        market_admin,
        colleague,
        district,
        code="T-PPS",
        design="pps",
        ratio=Decimal("0.7"),
        min_inclusion=Decimal("0.1"),
    )
    probabilities = set(draw.drawn.filter(alternate=False).values_list("inclusion_probability", flat=True))
    assert len(probabilities) > 1  # unequal π: the weights matter
    total, _rows = table(market_admin, Filters())
    assert total.estimate.enough and total.estimate.share == pytest.approx(hajek(draw))
    simple = sum(line.result_code.group != "未发现问题" for line in VisitItem.objects.filter(draw=draw)) / (
        VisitItem.objects.filter(draw=draw).count()
    )
    assert total.estimate.share != pytest.approx(simple)


def test_another_department_sees_only_its_own_inspections(
    client, market_admin, colleague, fire_admin, district
):
    inspected(market_admin, colleague, district, ratio=Decimal("0.7"))
    total, _rows = table(fire_admin, Filters())
    assert total.estimate.inspections == 0 and not total.estimate.enough
    client.force_login(fire_admin)
    page = client.get(reverse("credit:estimates")).content.decode()
    assert "no inspection in this cell" in page


def test_estimates_export_to_excel(client, market_admin, colleague, district):
    inspected(market_admin, colleague, district, ratio=Decimal("0.7"))
    client.force_login(market_admin)
    response = client.get(reverse("credit:estimates"), {"by": "township", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][:3] == ("Cell", "Inspections", "Estimated share breaking the rules")
    assert values[1][0] == "All" and values[1][2].endswith("%") and len(values) == 4
    assert values[2][5].startswith("Not enough data")


def test_a_period_that_ends_before_it_starts_is_refused(client, market_admin):
    client.force_login(market_admin)
    page = client.get(reverse("credit:estimates"), {"start": "2026-02-01", "end": "2026-01-01"})
    assert "The period ends before it starts." in page.content.decode()
