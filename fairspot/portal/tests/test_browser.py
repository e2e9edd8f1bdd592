"""The in-browser verifier (portal/static/portal/verify.js) in Debian's chromium: it re-computes revealed
draws (srs, πps of fairspot-draw/2 with a floor, Pareto πps of fairspot-draw/1, and the protocol's worked
examples), reports a tampered file, and gives a visitor the same key as the Python engine."""

import os
import shutil
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from fairspot.directory.models import Target
from fairspot.draw import parse_canonical_json, target_key
from fairspot.draws import services as draw_services
from fairspot.draws.models import Draw, DrawStatus
from fairspot.testing.draws import CEREMONY, confirm, make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
CHROMIUM = shutil.which("chromium")
EXAMPLE = Path(django_settings.BASE_DIR) / "examples" / "draw" / "expected"
EXAMPLE_V2 = Path(django_settings.BASE_DIR) / "examples" / "draw" / "pps-v2" / "expected"


@pytest.fixture
def page(live_server):
    if CHROMIUM is None:
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        tab.base = live_server.url
        yield tab
        browser.close()


def revealed(admin, second, item, **kw) -> Draw:
    task = make_task(admin, item, **kw)
    draw = draw_services.draw_commit(actor=admin, task=task, sources=[CEREMONY])
    confirm(draw, admin, second)
    return draw_services.draw_reveal(actor=admin, draw=draw)


def verify(page, draw_id: str) -> str:
    page.goto(f"{page.base}/public/draws/{draw_id}/")
    page.click("#verify-run")
    page.wait_for_selector("#verify-result.ok, #verify-result.bad")
    return page.inner_text("#verify-result")


def lookup(page, ident: str) -> dict:
    page.fill("#lookup-id", ident)
    page.click("#lookup button")
    page.wait_for_selector("#lookup-result[data-key]")
    return {
        "key": page.get_attribute("#lookup-result", "data-key"),
        "status": page.get_attribute("#lookup-result", "data-status"),
        "text": page.inner_text("#lookup-result"),
    }


def test_srs_draw_verifies_explains_a_target_and_detects_tampering(page, market_admin, colleague, district):
    draw = revealed(market_admin, colleague, district)
    assert verify(page, draw.draw_id) == "全部复核一致"
    steps = page.inner_text("#verify-steps")
    assert draw.manifest_digest in steps and draw.seed in steps

    seed = bytes.fromhex(draw.seed)
    chosen = draw.drawn.filter(alternate=False).select_related("target").first().target
    found = lookup(page, chosen.identifier)
    assert found["key"] == f"{target_key(seed, chosen.identifier):064x}" and found["status"] == "selected"
    assert "门槛" in found["text"]
    out = Target.objects.filter(status="cancelled").first()
    found = lookup(page, out.identifier)
    assert found["status"] == "excluded" and "deregistered" in found["text"]
    assert found["key"] == f"{target_key(seed, out.identifier):064x}"
    drawn_ids = set(draw.drawn.values_list("target__identifier", flat=True))
    other = Target.objects.filter(status="active").exclude(identifier__in=drawn_ids).first()
    assert lookup(page, other.identifier)["status"] == "not_selected"
    assert lookup(page, "91410700MA44U8XX4K")["status"] == "absent"

    result = draw_services.draw_dir(draw.draw_id) / "targets" / "result.json"
    data = bytearray(result.read_bytes())
    at = data.index(b'"seed":"') + 8
    data[at] = ord("0") if data[at] != ord("0") else ord("1")
    result.write_bytes(bytes(data))
    verdict = verify(page, draw.draw_id)
    assert verdict.startswith("发现不一致") and "result.json" in verdict


def test_tampered_result_with_a_matching_index_names_the_field(page, market_admin, colleague, district):
    draw = revealed(market_admin, colleague, district)
    root = draw_services.draw_dir(draw.draw_id) / "targets"
    result = parse_canonical_json((root / "result.json").read_bytes())
    result["strata"][0]["n"] += 1
    rewrite_result(root, result)
    verdict = verify(page, draw.draw_id)
    assert "发现不一致" in verdict and ".strata[0]" in verdict


def test_pps_draw_verifies_in_the_browser(page, market_admin, colleague, district, settings):
    settings.FAIRSPOT_PORTAL_PUBLISH_RISK_DATA = True
    for n, target in enumerate(Target.objects.order_by("identifier")):
        target.risk_class = "ABCD"[n % 4]
        target.save(update_fields=["risk_class"])
    draw = revealed(market_admin, colleague, district, code="T-PPS", design="pps", ratio=Decimal("0.3"))
    assert verify(page, draw.draw_id) == "全部复核一致"
    chosen = draw.drawn.filter(alternate=False).select_related("target").first().target
    found = lookup(page, chosen.identifier)
    assert found["status"] == "selected" and "πps" in found["text"]
    assert found["key"] == f"{target_key(bytes.fromhex(draw.seed), chosen.identifier):064x}"


def test_pps_draw_without_risk_data_checks_the_seed_only(page, market_admin, colleague, district):
    draw = revealed(market_admin, colleague, district, code="T-PPS", design="pps")
    assert verify(page, draw.draw_id).startswith("种子复核一致")


def serve_example(example: Path, admin, item, code: str) -> tuple[dict, dict]:
    """An example bundle of examples/draw/ as a revealed draw of the portal."""
    manifest = parse_canonical_json((example / "manifest.json").read_bytes())
    result = parse_canonical_json((example / "result.json").read_bytes())
    task = make_task(admin, item, code=code)
    now = timezone.now()
    Draw.objects.create(
        task=task,
        number=1,
        draw_id=manifest["spec"]["draw_id"],
        status=DrawStatus.REVEALED,
        manifest_digest=result["manifest_sha256"],
        pool_digest="0" * 64,
        population_size=manifest["population"]["rows"],
        excluded=len(manifest["spec"]["exclusions"]),
        sources=manifest["spec"]["sources"],
        committed_at=now - timedelta(days=1),
        committed_by=admin,
        seed=result["seed"],
        revealed_at=now,
    )
    shutil.copytree(example, draw_services.draw_dir(manifest["spec"]["draw_id"]) / "targets")
    return manifest, result


def rewrite_result(root: Path, result: dict) -> None:
    """Write a changed result.json and a matching SHA256SUMS (a forger's best effort)."""
    from fairspot.draw import canonical_json
    from fairspot.draw.canonical import sha256_hex

    (root / "result.json").write_bytes(canonical_json(result))
    lines = [
        f"{sha256_hex((root / name).read_bytes())}  {name}\n"
        for name in ("manifest.json", "population.csv", "result.json", "sources.json")
    ]
    (root / "SHA256SUMS").write_text("".join(lines))


def test_worked_example_bundle_verifies(page, market_admin, district):
    manifest, result = serve_example(EXAMPLE, market_admin, district, "XX-GXQ-2026-SJ")
    assert verify(page, manifest["spec"]["draw_id"]) == "全部复核一致"
    alternate = result["strata"][0]["alternates"][0]
    found = lookup(page, alternate["id"])
    assert found["status"] == "alternate" and found["key"] == alternate["key"]
    excluded = manifest["spec"]["exclusions"][0]
    found = lookup(page, excluded["id"])
    assert found["status"] == "excluded" and excluded["reason"] in found["text"]


def test_v2_pps_example_verifies_and_a_tampered_probability_is_detected(page, market_admin, district):
    manifest, result = serve_example(EXAMPLE_V2, market_admin, district, "XX-GXQ-2026-SJ-V2")
    draw_id = manifest["spec"]["draw_id"]
    assert manifest["protocol"] == "fairspot-draw/2"
    assert verify(page, draw_id) == "全部复核一致"
    chosen = result["strata"][0]["selected"][0]
    found = lookup(page, chosen["id"])
    assert found["status"] == "selected" and found["key"] == chosen["key"]
    assert chosen["inclusion_probability"] in found["text"] and "有序系统抽样" in found["text"]

    root = draw_services.draw_dir(draw_id) / "targets"
    result["strata"][0]["selected"][0]["inclusion_probability"] = "1/2"
    rewrite_result(root, result)
    verdict = verify(page, draw_id)
    assert "发现不一致" in verdict and ".strata[0].selected[0].inclusion_probability" in verdict


def test_v2_pps_draw_of_the_platform_verifies(page, market_admin, colleague, district, settings):
    settings.FAIRSPOT_PORTAL_PUBLISH_RISK_DATA = True
    for n, target in enumerate(Target.objects.order_by("identifier")):
        target.risk_class = "ABCD"[n % 4]
        target.save(update_fields=["risk_class"])
    draw = revealed(
        market_admin,
        colleague,
        district,
        code="T-PPS2",
        design="pps",
        ratio=Decimal("0.3"),
        min_inclusion=Decimal("0.05"),
    )
    root = draw_services.draw_dir(draw.draw_id) / "targets"
    result = parse_canonical_json((root / "result.json").read_bytes())
    assert result["protocol"] == "fairspot-draw/2"
    assert verify(page, draw.draw_id) == "全部复核一致"
    first = draw.drawn.filter(alternate=False).first()
    assert first.inclusion_probability in page.content()  # the published π, on the public page

    stratum = next(s for s in result["strata"] if s["selected"])
    stratum["selected"] = stratum["selected"][1:] + stratum["alternates"][:1]  # swap a drawn firm
    rewrite_result(root, result)
    verdict = verify(page, draw.draw_id)
    assert verdict.startswith("发现不一致") and ".selected" in verdict


def test_v1_pareto_pps_bundle_still_verifies(page, market_admin, district, tmp_path):
    from fairspot.draw import commit_bundle, reveal_bundle

    rows = [
        {"id": f"914107000000{n:05d}X", "township": "关堤乡" if n % 3 else "新东街道", "w": "1248"[n % 4]}
        for n in range(40)
    ]
    spec = {
        "draw_id": "V1-PPS",
        "design": "pps",
        "stratify_by": ["township"],
        "weight_column": "w",
        "ratio": "0.3",
        "alternates": 1,
        "sources": [CEREMONY],
    }
    commit_bundle(tmp_path / "v1", spec, rows)
    reveal_bundle(tmp_path / "v1", {"ceremony": "00112233445566778899aabbccddeeff"})
    manifest, result = serve_example(tmp_path / "v1", market_admin, district, "V1-PPS-TASK")
    assert manifest["protocol"] == "fairspot-draw/1"
    assert verify(page, "V1-PPS") == "全部复核一致"
    chosen = result["strata"][0]["selected"][-1]
    assert "Q'" in lookup(page, chosen["id"])["text"]
