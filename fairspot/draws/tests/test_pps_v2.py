"""πps tasks are committed under fairspot-draw/2 (exact inclusion probabilities), with an optional floor,
the class table and the class snapshot's digest; the staff verification checks the snapshot."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from fairspot.core.errors import DomainError
from fairspot.directory.models import Target
from fairspot.draw import parse_canonical_json, verify_bundle
from fairspot.draws import services
from fairspot.draws.models import Draw, Task
from fairspot.draws.pps import SNAPSHOT_FILE
from fairspot.testing.draws import CEREMONY, confirm, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def classified(district):
    for n, target in enumerate(Target.objects.order_by("identifier")):
        target.risk_class = "ABCD-"[n % 5].replace("-", "")
        target.save(update_fields=["risk_class"])
    return district


def revealed(admin, second, item, **kw) -> Draw:
    task = make_task(admin, item, code="T-PPS", design="pps", ratio=Decimal("0.3"), **kw)
    draw = services.draw_commit(actor=admin, task=task, sources=[CEREMONY])
    confirm(draw, admin, second)
    return services.draw_reveal(actor=admin, draw=draw)


def test_pps_task_commits_a_v2_manifest_with_floor_and_class_table(
    client, market_admin, colleague, classified
):
    draw = revealed(market_admin, colleague, classified, min_inclusion=Decimal("0.05"))
    root = services.draw_dir(draw.draw_id)
    manifest = parse_canonical_json((root / "targets" / "manifest.json").read_bytes())
    spec = manifest["spec"]
    assert manifest["protocol"] == "fairspot-draw/2" and spec["design"] == "pps"
    assert spec["min_inclusion"] == "1/20"
    assert {c["class"]: c["weight"] for c in spec["class_table"]} == {
        "-": "2",
        "A": "1",
        "B": "2",
        "C": "4",
        "D": "8",
    }
    assert all(s["min_inclusion"] == "1/20" for s in manifest["strata"])
    # the public population file carries weights, never a class column
    header = (root / "targets" / "population.csv").read_text().splitlines()[0]
    assert "risk_class" not in header and "class" not in header.split(",")

    result = parse_canonical_json((root / "targets" / "result.json").read_bytes())
    assert result["protocol"] == "fairspot-draw/2"
    published = {e["id"]: e["inclusion_probability"] for s in result["strata"] for e in s["selected"]}
    stored = dict(
        draw.drawn.filter(alternate=False).values_list("target__identifier", "inclusion_probability")
    )
    assert stored == published and all(Fraction(p) >= Fraction(1, 20) for p in stored.values())
    for stratum in result["strata"]:  # exact πps: the probabilities of the frame sum to n
        if stratum["N"]:
            assert stratum["n"] == len(stratum["selected"])

    snapshot = (root / SNAPSHOT_FILE).read_bytes()
    report = verify_bundle(root / "targets", manifest_digest=draw.manifest_digest, classes=snapshot)
    assert report.ok, report.mismatch
    client.force_login(market_admin)
    page = client.get(reverse("draws:verify", args=[draw.draw_id])).content.decode()
    assert "Mismatch" not in page and page.count("Everything reproduces.") == 3  # targets, classes, teams
    page = client.get(reverse("draws:draw", args=[draw.draw_id])).content.decode()
    assert spec["class_snapshot_sha256"] in page and "D 8" in page
    for probability in published.values():
        assert probability in page


def test_a_changed_class_snapshot_is_named_by_the_staff_verification(
    client, market_admin, colleague, classified
):
    draw = revealed(market_admin, colleague, classified)
    path = services.draw_dir(draw.draw_id) / SNAPSHOT_FILE
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].rsplit(",", 1)[0] + (",A\n" if not lines[1].endswith(",A\n") else ",D\n")
    path.write_text("".join(lines))
    client.force_login(market_admin)
    page = client.get(reverse("draws:verify", args=[draw.draw_id])).content.decode()
    assert "the class snapshot was changed after the commit" in page


def test_pps_without_a_floor_has_no_floor_in_the_manifest(market_admin, colleague, district):
    draw = revealed(market_admin, colleague, district)
    manifest = parse_canonical_json(
        (services.draw_dir(draw.draw_id) / "targets" / "manifest.json").read_bytes()
    )
    assert manifest["protocol"] == "fairspot-draw/2" and "min_inclusion" not in manifest["spec"]
    assert verify_bundle(services.draw_dir(draw.draw_id) / "targets", draw.manifest_digest).ok


def test_srs_tasks_stay_v1(market_admin, district):
    task = make_task(market_admin, district)
    draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    manifest = parse_canonical_json(
        (services.draw_dir(draw.draw_id) / "targets" / "manifest.json").read_bytes()
    )
    assert manifest["protocol"] == "fairspot-draw/1"
    assert not (services.draw_dir(draw.draw_id) / SNAPSHOT_FILE).exists()


@pytest.mark.parametrize(
    ("floor", "design", "words"),
    [
        (Decimal("0"), "pps", "greater than 0"),
        (Decimal("-0.01"), "pps", "greater than 0"),
        (Decimal("0.5"), "pps", "cannot exceed the sampling ratio"),
        (Decimal("0.01"), "srs", "risk-weighted design only"),
    ],
)
def test_a_floor_of_zero_or_above_the_ratio_is_refused(market_admin, district, floor, design, words):
    with pytest.raises(DomainError, match=words) as caught:
        make_task(market_admin, district, design=design, ratio=Decimal("0.3"), min_inclusion=floor)
    assert caught.value.field == "min_inclusion"
    assert not Task.objects.exists()


def test_the_task_form_shows_the_floor_and_its_error(client, market_admin, district):
    client.force_login(market_admin)
    page = client.get(reverse("draws:task_create")).content.decode()
    assert 'name="min_inclusion"' in page
    data = {
        "code": "T-F",
        "title": "πps",
        "items": [district.pk],
        "inspection_date": "2026-12-15",
        "ratio": "0.2",
        "design": "pps",
        "min_inclusion": "0.3",
        "stratify_by_township": "on",
        "risk_weights": "A:1,B:2,C:4,D:8",
        "alternates": 1,
        "team_size": 2,
        "recent_window_days": 365,
        "annual_cap": 2,
        "experts_per_team": 0,
        "kind": "routine",
    }
    page = client.post(reverse("draws:task_create"), data).content.decode()
    assert "cannot exceed the sampling ratio" in page and not Task.objects.exists()
    data["min_inclusion"] = "0.05"
    response = client.post(reverse("draws:task_create"), data)
    task = Task.objects.get()
    assert response.status_code == 302 and task.min_inclusion == Decimal("0.05")
    page = client.get(reverse("draws:task", args=[task.pk])).content.decode()
    assert "minimum chance of being drawn 0.05<" in page


def test_public_draw_page_shows_the_floor_and_the_exact_probabilities(
    client, market_admin, colleague, classified, settings
):
    draw = revealed(market_admin, colleague, classified, min_inclusion=Decimal("0.05"))
    url = reverse("portal:draw", args=[draw.draw_id])
    page = client.get(url).content.decode()
    first = draw.drawn.filter(alternate=False).first()
    assert 'id="floor">0.05<' in page, page
    assert 'id="restricted"' in page
    assert first.inclusion_probability not in page  # classes are internal unless published by setting
    settings.FAIRSPOT_PORTAL_PUBLISH_RISK_DATA = True
    page = client.get(url).content.decode()
    for probability in draw.drawn.filter(alternate=False).values_list("inclusion_probability", flat=True):
        assert f"<td>{probability}</td>" in page
