"""Classes and scores are never published: not on the portal, not in the open data (page, API, feed,
bulk files), not in the public files of a draw stratified by class."""

import io
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from fairspot.core import pagecache
from fairspot.credit import services
from fairspot.credit.models import CreditStanding, Recompute
from fairspot.directory.models import Target
from fairspot.draws import services as draw_services
from fairspot.draws.classes import SNAPSHOT_FILE
from fairspot.opendata import bulk
from fairspot.testing.draws import CEREMONY, confirm, make_task
from fairspot.testing.opendata import publish

pytestmark = pytest.mark.django_db
SOURCE = "信用系统-内部来源"
# what would betray a class or a score: the class words, the field names, the rules' words, the source
FORBIDDEN = (
    "low risk",
    "general risk",
    "higher risk",
    "high risk",
    "risk_class",
    "effective_class",
    "internal_class",
    "imported_class",
    "score",
    "abnormal-operation list",
    "Published result: problems found",
    SOURCE,
    "低风险",
    "较高风险",
    "高风险",
    "风险分值",
)


@pytest.fixture(autouse=True)
def _no_cached_pages(settings):
    """Public pages rendered here must not be served from the per-process cache to later tests."""
    settings.FAIRSPOT_OPENDATA_PAGE_CACHE_SECONDS = 0
    pagecache.clear()
    yield
    pagecache.clear()


@pytest.fixture
def world(market_admin, colleague, reviewer, visits, settings, tmp_path):
    settings.FAIRSPOT_OPENDATA_SYNC_SECONDS = 0
    publish(market_admin, reviewer, visits[0], label="未按规定公示应当公示的信息")
    publish(market_admin, reviewer, visits[1])
    Target.objects.filter(pk=visits[1].target_id).update(abnormal=True)
    services.recompute_run(Recompute.objects.create())
    CreditStanding.objects.filter(target=visits[0].target).update(
        imported_class="D", imported_on=date(2026, 11, 1), imported_source=SOURCE
    )
    assert CreditStanding.objects.exclude(score=0).exists()
    task = make_task(
        market_admin, visits[0].lines.get().item, code="T-CLS", class_ratios="A:10%,B:20%,C:30%,D:40%"
    )
    draw = draw_services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    confirm(draw, market_admin, colleague)
    return {"visits": visits, "draw": draw_services.draw_reveal(actor=market_admin, draw=draw)}


def _portal(client, world) -> list[str]:
    draw = world["draw"]
    urls = ["/public/", "/public/targets/", "/public/tasks/", f"/public/tasks/{draw.task.code}/"]
    urls += [f"/public/targets/{v.target.identifier}/" for v in world["visits"][:2]]
    urls += [f"/public/draws/{draw.draw_id}/"]
    texts = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    for name in ("population.csv", "manifest.json", "result.json", SNAPSHOT_FILE):
        assert client.get(f"/public/draws/{draw.draw_id}/files/{name}").status_code == 404
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/public/draws/{draw.draw_id}/bundle.zip").content))
    assert all(n.endswith(("sources.json", "SHA256SUMS")) for n in archive.namelist())
    texts += [archive.read(n).decode() for n in archive.namelist()]
    return texts


def _opendata(client, settings, tmp_path) -> list[str]:
    call_command("build_opendata", stdout=io.StringIO())
    texts = [
        client.get("/public/results/").content.decode(),
        client.get("/api/v1/results/").content.decode(),
        client.get("/public/results/feed/").content.decode(),
    ]
    for path in bulk.opendata_dir().iterdir():
        if path.suffix in {".csv", ".json"}:
            texts.append(path.read_text(encoding="utf-8-sig"))
        elif path.suffix == ".xlsx":
            sheet = load_workbook(path, read_only=True).active
            texts.append("\n".join(" ".join(str(c) for c in row if c is not None) for row in sheet.values))
    return texts


def test_no_class_or_score_on_the_portal_or_in_the_open_data(client, world, settings, tmp_path):
    texts = _portal(client, world) + _opendata(client, settings, tmp_path)
    assert len(texts) > 10
    scores = {str(s) for s in CreditStanding.objects.exclude(score=0).values_list("score", flat=True)}
    for text in texts:
        for word in FORBIDDEN:
            assert word not in text, word
    draw_page = texts[6]
    assert 'id="class-digest"' in draw_page  # the digest is published, the classes are not
    assert world["draw"].drawn.exists()
    for drawn in world["draw"].drawn.all():
        assert drawn.stratum.split(" / ")[-1] not in {"A", "B", "C", "D"}
    assert scores  # the scores exist, only internally


def test_class_pages_are_not_public(client, world):
    for url in ("/credit/", "/credit/changes/", "/credit/rules/", "/credit/hazards/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
