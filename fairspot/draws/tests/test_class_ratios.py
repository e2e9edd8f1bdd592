"""Class-driven draws: a ratio per credit-risk class as strata, within the items' caps, the class
snapshot committed in the manifest and checked by verification, nothing of it in the public bundle."""

import io
import zipfile
from decimal import Decimal

import pytest

from fairspot.core.errors import DomainError
from fairspot.directory.models import Target
from fairspot.draw import parse_canonical_json, verify_bundle
from fairspot.draws import services
from fairspot.draws.classes import SNAPSHOT_FILE, parse_class_ratios
from fairspot.draws.selectors import bundle_zip, verify
from fairspot.testing.draws import CEREMONY, confirm, make_task

pytestmark = pytest.mark.django_db
RATIOS = "A:10%,B:20%,C:50%,D:100%"


def _classify():
    """Of the 59 active targets (and the deregistered one): classes A, B, C, D in turn."""
    for n, target in enumerate(Target.objects.order_by("pk")):
        target.risk_class = "ABCD"[n % 4]
        target.save(update_fields=["risk_class"])


def test_parse_class_ratios_reads_percentages_and_refuses_the_rest():
    assert parse_class_ratios("A:1%，b：0.02; C类:10％") == {
        "A": Decimal("0.01"),
        "B": Decimal("0.02"),
        "C": Decimal("0.1"),
    }
    for bad in ("E:1%", "A=1%", "A:1%,A:2%", "D:130%", "D:x"):
        with pytest.raises(DomainError):
            parse_class_ratios(bad)


def test_class_ratios_stratify_by_class_and_commit_the_snapshot(market_admin, colleague, district):
    _classify()
    task = make_task(market_admin, district, ratio=Decimal("0.1"), class_ratios=RATIOS)
    assert task.class_ratios == "A:0.1,B:0.2,C:0.5,D:1"
    draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    root = services.draw_dir(draw.draw_id)
    manifest = parse_canonical_json((root / "targets" / "manifest.json").read_bytes())
    assert manifest["population"]["columns"][-1] == "risk_class"
    ratios = {tuple(s["stratum"]): s["ratio"] for s in manifest["strata"]}
    assert all(ratios[key] == {"A": "0.1", "B": "0.2", "C": "0.5", "D": "1"}[key[-1]] for key in ratios)
    annex = manifest["spec"]["annex"]
    assert annex["class_ratios"] == "A:0.1,B:0.2,C:0.5,D:1"
    assert len(annex["class_snapshot_sha256"]) == 64
    assert (root / SNAPSHOT_FILE).read_text().startswith("id,risk_class\n")
    confirm(draw, market_admin, colleague)
    draw = services.draw_reveal(actor=market_admin, draw=draw)
    drawn = draw.drawn.filter(alternate=False).select_related("target")
    d_targets = Target.objects.filter(risk_class="D", status="active").count()
    assert sum(1 for d in drawn if d.target.risk_class == "D") == d_targets  # D at 100 %
    assert all(report.ok for _name, report in verify(draw))
    staff = zipfile.ZipFile(io.BytesIO(bundle_zip(draw)))
    assert f"{draw.draw_id}/{SNAPSHOT_FILE}" in staff.namelist()  # the staff bundle carries the classes


def test_staff_draw_page_shows_the_class_table_and_digest(client, market_admin, district):
    _classify()
    draw = services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district, class_ratios=RATIOS), sources=[CEREMONY]
    )
    client.force_login(market_admin)
    page = client.get(f"/draws/{draw.draw_id}/").content.decode()
    annex = parse_canonical_json((services.draw_dir(draw.draw_id) / "targets" / "manifest.json").read_bytes())
    assert "A 10% · B 20% · C 50% · D 100%" in page
    assert annex["spec"]["annex"]["class_snapshot_sha256"] in page


def test_class_snapshot_changed_after_commit_fails_verification_naming_it(market_admin, district):
    _classify()
    task = make_task(market_admin, district, class_ratios=RATIOS)
    draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    path = services.draw_dir(draw.draw_id) / SNAPSHOT_FILE
    assert dict(verify(draw))["classes"].ok
    lines = path.read_text().splitlines()
    ident, cls = lines[1].split(",")
    lines[1] = f"{ident},{'A' if cls != 'A' else 'D'}"
    path.write_text("\n".join(lines) + "\n")
    report = dict(verify(draw))["classes"]
    assert not report.ok
    assert SNAPSHOT_FILE in report.mismatch and "changed after commit" in report.mismatch
    # the engine's own bundle is untouched and still verifies: the app names the snapshot
    assert verify_bundle(services.draw_dir(draw.draw_id) / "targets", manifest_digest=draw.manifest_digest).ok


def test_class_ratios_beyond_a_general_items_cap_are_refused(market_admin, district):
    _classify()  # cap of the item: 50 %; A 10 %, B 20 %, C 50 %, D 100 % → 45 % on average: allowed
    make_task(market_admin, district, code="T-OK", class_ratios=RATIOS)
    with pytest.raises(DomainError) as exc:  # C and D at 100 %: 57.5 % of the population
        make_task(market_admin, district, code="T-BAD", class_ratios="A:10%,B:20%,C:100%,D:100%")
    message = str(exc.value)
    assert "above the cap of 50%" in message and district.name in message and "57.5%" in message
    assert exc.value.field == "class_ratios"


def test_class_ratios_need_the_stratified_design(market_admin, district):
    with pytest.raises(DomainError) as exc:
        make_task(market_admin, district, design="pps", class_ratios=RATIOS)
    assert "stratified design" in str(exc.value)


def test_cap_checked_again_on_the_frozen_frame_at_commit(market_admin, district):
    task = make_task(market_admin, district, class_ratios="D:100%")  # nobody is D yet: allowed
    Target.objects.update(risk_class="D")
    with pytest.raises(DomainError) as exc:
        services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    assert "above the cap" in str(exc.value)
    assert not services.draw_dir(f"{task.code}-1").exists()
