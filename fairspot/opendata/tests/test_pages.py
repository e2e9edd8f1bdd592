"""The public results page, the downloads, the Atom feed, and the build_opendata command."""

import io
import json
import os
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from fairspot.audit.services import record
from fairspot.core import pagecache
from fairspot.inspections import services
from fairspot.opendata import bulk, views
from fairspot.opendata.models import PublishedResult, SyncState
from fairspot.opendata.refresh import refresh_published_results
from fairspot.testing.inspections import code
from fairspot.testing.opendata import publish

pytestmark = pytest.mark.django_db
PAGE = "/public/results/"


def test_page_is_public_chinese_data_and_phone_friendly(client, world):
    response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200 and 'name="viewport"' in html
    assert "高新区张**便利店" in html and "更正后的备注" in html and "原备注" not in html
    assert 'href="/public/results/feed/"' in html and response["ETag"]


def test_page_search_and_paging(client, world, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    target = world["corrected"].visit.target
    html = client.get(PAGE, {"q": target.identifier}).content.decode()
    assert target.name in html and html.count("<article") == 1
    first = client.get(PAGE).content.decode()
    assert first.count("<article") == 2 and "?before=" in first and "?after=" not in first
    next_url = re.search(r'href="(\?before=\d+)" rel="next"', first).group(1)
    second = client.get(PAGE + next_url).content.decode()
    assert second.count("<article") == 1 and 'rel="next"' not in second
    ids = re.findall(r'<article id="r(\d+)"', first) + re.findall(r'<article id="r(\d+)"', second)
    assert len(set(ids)) == 3  # every result once, newest first across the pages
    back_url = re.search(r'href="(\?after=\d+)" rel="prev"', second).group(1)
    assert client.get(PAGE + back_url).content.decode().count("<article") == 2
    assert "便利店" in client.get(PAGE, {"q": "  张**便利 "}).content.decode()
    assert client.get(PAGE, {"page": 2}).content.decode().count("<article") == 1  # old numbered links
    with django_assert_max_num_queries(1):  # the page is one query (the sync check is throttled)
        from fairspot.opendata.keyset import search

        search("", before=int(ids[1]), size=2)


def test_page_bad_input(client, world):
    assert client.get(PAGE, {"q": "x" * 101}).status_code == 400
    assert client.get(PAGE, {"page": "x"}).status_code == 400
    assert client.get(PAGE, {"before": "x"}).status_code == 400
    assert client.get(PAGE, {"after": "-3"}).status_code == 400
    assert client.get(PAGE, {"page": "5"}).status_code == 404
    assert client.get(PAGE, {"page": "10000000000000000000000"}).status_code == 400
    response = client.get(PAGE, {"q": "<b>x</b>"})
    assert response.status_code == 200 and b"<b>x</b>" not in response.content
    assert client.get(PAGE, {"utm_source": "weibo"}).status_code == 200  # unknown parameters are ignored


def test_new_publication_and_correction_reach_the_read_model_on_read(
    client, world, market_admin, reviewer, settings
):
    settings.FAIRSPOT_OPENDATA_PAGE_CACHE_SECONDS = 60
    pagecache.clear()
    assert client.get(PAGE).content.decode().count("<article") == 3
    line = publish(market_admin, reviewer, world["visits"][5], remarks="新公示")
    html = client.get(PAGE).content.decode()  # the page cache was emptied by the sync
    assert "新公示" in html and html.count("<article") == 4
    services.result_correct(
        actor=reviewer, line=line, result_code=code("未发现问题"), remarks="再次更正", reason="复核"
    )
    assert "再次更正" in client.get(PAGE).content.decode()
    assert SyncState.objects.get().audit_cursor > 0
    pagecache.clear()


def test_target_change_is_taken_in_and_unchanged_rows_keep_their_time(client, world):
    client.get(PAGE)
    before = dict(PublishedResult.objects.values_list("source_id", "updated_at"))
    target = world["enterprise"].visit.target
    target.name = "新乡改名科技有限公司"
    target.save()
    with transaction.atomic():
        record(None, "directory.target.changed", target, changes={"name": ["x", target.name]})
    assert "新乡改名科技有限公司" in client.get(PAGE, {"q": "改名科技"}).content.decode()
    after = dict(PublishedResult.objects.values_list("source_id", "updated_at"))
    assert after[world["enterprise"].pk] > before[world["enterprise"].pk]
    assert after[world["individual"].pk] == before[world["individual"].pk]


def test_full_refresh_is_idempotent_and_drops_withdrawn_rows(world):
    report = refresh_published_results()
    assert report.seen == 3 and report.written == 3
    again = refresh_published_results()
    assert again.seen == 3 and again.written == 0 and again.deleted == 0
    PublishedResult.objects.create(
        **{
            **PublishedResult.objects.values().first(),
            "id": None,
            "source_id": 999999,
        }
    )
    assert refresh_published_results().deleted == 1
    since = refresh_published_results(since=timezone.now())
    assert since.seen == 0


def test_build_opendata_writes_files_atomically_and_serves_them(client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert b"not been generated" in client.get("/public/results/downloads/").content
    folder = bulk.opendata_dir()
    folder.mkdir(parents=True)
    (folder / "published-results-2.xlsx").write_bytes(b"stale part")
    out = io.StringIO()
    call_command("build_opendata", "--full", stdout=out)
    assert "published-results.csv: 3 rows" in out.getvalue()
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "gsxt-results.csv",
        "gsxt-results.xlsx",
        "manifest.json",
        "published-plans.csv",
        "published-plans.xlsx",
        "published-results.csv",
        "published-results.xlsx",
    ]  # no temporary files left, the stale part removed
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["rows"] == 3 and all(len(f["sha256"]) == 64 for f in manifest["files"])
    national = (folder / "gsxt-results.csv").read_text(encoding="utf-8-sig").splitlines()
    assert national[0].split(",")[:8] == [
        "统一社会信用代码",
        "企业名称",
        "抽查计划编号",
        "抽查计划名称",
        "抽查任务编号",
        "抽查任务名称",
        "检查实施机关",
        "抽查类型",
    ]
    assert "检查结果" in national[0] and "完成日期" in national[0] and len(national) == 4
    page = client.get("/public/results/downloads/").content.decode()
    assert "gsxt-results.xlsx" in page and "published-results.csv" in page
    response = client.get("/public/results/downloads/published-results.csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).decode("utf-8-sig").startswith("id,target_identifier")
    assert client.get("/public/results/downloads/manifest.json").status_code == 200
    assert client.get("/public/results/downloads/other.csv").status_code == 404
    assert client.get("/public/results/downloads/..%2Fsettings.csv").status_code == 404


def test_a_failed_build_leaves_the_previous_files(world, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("build_opendata", stdout=io.StringIO())
    before = (bulk.opendata_dir() / "published-results.csv").read_bytes()

    def broken(path, header, rows):
        with open(path, "wb") as handle:
            handle.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(bulk, "write_csv", broken)
    with pytest.raises(OSError):
        bulk.build()
    assert (bulk.opendata_dir() / "published-results.csv").read_bytes() == before
    assert not [p for p in os.listdir(bulk.opendata_dir()) if p.startswith(".")]


def test_atom_feed_of_new_publications(client, world):
    response = client.get("/public/results/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert xml.count("<entry>") == 3 and f"urn:fairspot:result:{world['individual'].pk}" in xml
    assert "高新区张**便利店" in xml


def test_a_result_whose_display_ended_leaves_the_open_data_on_read(client, world, reviewer, settings):
    """The daily task ends a negative result's display: the audit entry syncs it out of the read model
    (page, API, bulk files) while the record itself stays."""
    from datetime import timedelta

    from fairspot.inspections.models import DisplayRule, VisitItem

    settings.FAIRSPOT_OPENDATA_PAGE_CACHE_SECONDS = 60
    pagecache.clear()
    line = world["corrected"]  # corrected to 发现问题经责令已改正, like world["individual"]
    DisplayRule.objects.filter(result_code=line.current_code).update(negative=True, display_months=1)
    assert client.get(PAGE).content.decode().count("<article") == 3
    until = services.display_until(line)
    with transaction.atomic():
        assert services.end_expired_displays(today=until + timedelta(days=1)) == 2
    html = client.get(PAGE).content.decode()
    assert html.count("<article") == 1 and not PublishedResult.objects.filter(source_id=line.pk).exists()
    assert not PublishedResult.objects.filter(source_id=world["individual"].pk).exists()
    assert VisitItem.objects.filter(pk=line.pk, status="published").exists()
    pagecache.clear()


def test_rows_show_the_local_day_whatever_the_database_returns():
    """The page's rows are plain database rows: a date-time comes back aware (PostgreSQL) or naive in
    UTC (SQLite), a date as a date; each shows as the day in the district (Asia/Shanghai)."""
    from datetime import UTC, date, datetime

    from django.utils import timezone

    from fairspot.opendata.templatetags.opendata import _day

    zone = timezone.get_current_timezone()
    late_utc = datetime(2026, 1, 1, 17, 30)  # 01:30 on 2 January in Shanghai
    assert _day(late_utc, zone) == "2026-01-02"
    assert _day(late_utc.replace(tzinfo=UTC), zone) == "2026-01-02"
    assert _day("2026-01-01 17:30:00", zone) == "2026-01-02"
    assert _day(date(2026, 1, 1), zone) == "2026-01-01" and _day("2026-01-01", zone) == "2026-01-01"
    assert _day(None, zone) == "" and _day("", zone) == ""


def test_the_page_shows_the_district_day_of_a_late_evening_publication(client, world):
    """Published at 17:30 UTC is 01:30 the next day in the district: the page shows the next day, on
    both databases (PostgreSQL converts in its query, SQLite in Python)."""
    from datetime import UTC, datetime

    client.get(PAGE)  # the read model is brought up to date
    row = PublishedResult.objects.order_by("-id").first()
    PublishedResult.objects.filter(pk=row.pk).update(published_at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
    html = client.get(PAGE, {"q": row.target_identifier}).content.decode()
    assert "2026-03-02" in html and "2026-03-01" not in html
    assert f"{row.inspection_date.isoformat()}" in html
