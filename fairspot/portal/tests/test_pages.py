"""Public pages: only what is published, no personal data, no login, only GET, bad input is a 404."""

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from fairspot.cases.models import Lead
from fairspot.directory.models import Target
from fairspot.draws import services as draw_services
from fairspot.draws.models import DrawStatus
from fairspot.inspections import services as inspection_services
from fairspot.inspectors.models import Inspector
from fairspot.items.models import CheckItem
from fairspot.testing.directory import uscc
from fairspot.testing.draws import CEREMONY, confirm, make_task
from fairspot.testing.inspections import END, enter, publish

pytestmark = pytest.mark.django_db


def get(client, name, *args, **params):
    return client.get(reverse(f"portal:{name}", args=args), params)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- check items -----------------------------------------------------------------------------------
def test_only_published_items_are_listed(client, district, departments):
    draft = CheckItem.objects.create(
        department=departments["fire"],
        code="F01",
        name="消防草稿事项",
        item_type="key",
        default_ratio="0.1",
        effective_from=date(2026, 1, 1),
    )
    district.published = True
    district.legal_basis = "《企业信息公示暂行条例》"
    district.save()
    page = text(get(client, "index"))
    assert departments["market"].name in page and departments["fire"].name not in page
    page = text(get(client, "department_items", "SCJG"))
    assert "A01" in page and "企业信息公示暂行条例" in page and draft.name not in page
    assert get(client, "department_items", "XFJY").status_code == 404


# --- tasks and draws -------------------------------------------------------------------------------
def test_task_without_a_draw_is_not_public(client, market_admin, district):
    task = make_task(market_admin, district, code="T-DRAFT")
    assert "T-DRAFT" not in text(get(client, "tasks"))
    assert get(client, "task", task.code).status_code == 404


def test_committed_draw_shows_digest_and_time_but_no_result(client, market_admin, district):
    task = make_task(market_admin, district)
    draw = draw_services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    page = text(get(client, "draw", draw.draw_id))
    assert draw.manifest_digest in page and 'id="committed-at"' in page and 'id="waiting"' in page
    assert 'id="verify"' not in page and 'id="seed"' not in page
    assert get(client, "draw_file", draw.draw_id, "manifest.json").status_code == 200
    assert get(client, "draw_file", draw.draw_id, "result.json").status_code == 404
    task_page = text(get(client, "task", task.code))
    assert draw.draw_id in task_page and "<table" not in task_page


def test_revealed_draw_page_lists_targets_keys_and_files(client, draw):
    page = text(get(client, "draw", draw.draw_id))
    first = draw.drawn.filter(alternate=False).select_related("target").first()
    assert draw.seed in page and first.target.identifier in page and first.key in page
    assert 'id="verify"' in page and "portal/verify.js" in page
    for name in ("manifest.json", "population.csv", "sources.json", "result.json", "SHA256SUMS"):
        response = get(client, "draw_file", draw.draw_id, name)
        assert response.status_code == 200 and response["Cache-Control"].startswith("public")
    assert get(client, "draw_file", draw.draw_id, "manifest.json")["Content-Type"].startswith(
        "application/json"
    )
    task_page = text(get(client, "task", draw.task.code))
    assert first.target.identifier in task_page and first.target.name in task_page


def test_the_type_of_inspection_reads_as_in_the_published_results(client, draw):
    """The portal once said 日常随机抽查 where the published results said 不定向抽查 for the same task."""
    from fairspot.draws.models import Task

    assert "不定向抽查" in text(get(client, "task", draw.task.code))
    Task.objects.filter(pk=draw.task_id).update(kind="special")
    assert "专项检查" in text(get(client, "task", draw.task.code))
    assert "专项检查" in text(get(client, "tasks"))


def test_inspector_pool_and_teams_are_not_published(client, draw):
    for name in ("inspector-pool.json", "teams", "result.json.tmp", ".."):
        assert get(client, "draw_file", draw.draw_id, name).status_code == 404
    base = f"/public/draws/{draw.draw_id}/files/"
    for path in (
        "../inspector-pool.json",
        "..%2Finspector-pool.json",
        "teams/result.json",
        "../teams/manifest.json",
    ):
        assert client.get(base + path).status_code == 404
    archive = zipfile.ZipFile(io.BytesIO(get(client, "draw_zip", draw.draw_id).content))
    names = archive.namelist()
    assert f"{draw.draw_id}/targets/result.json" in names
    assert not any("inspector-pool" in n or "/teams/" in n for n in names)
    page = text(get(client, "draw", draw.draw_id))
    for inspector in Inspector.objects.all():
        assert inspector.name not in page and inspector.staff_no not in page


def test_abandoned_draw_stays_public_with_its_reason(client, market_admin, district):
    task = make_task(market_admin, district)
    first = draw_services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    second = draw_services.draw_commit(
        actor=market_admin, task=task, sources=[CEREMONY], replaces=first, reason="仪式视频丢失，重新公开抽取"
    )
    first.refresh_from_db()
    assert first.status == DrawStatus.ABANDONED
    page = text(get(client, "draw", first.draw_id))
    assert 'id="abandoned"' in page and "仪式视频丢失，重新公开抽取" in page and second.draw_id in page
    assert first.manifest_digest in page
    assert "仪式视频丢失" in text(get(client, "draw", second.draw_id))
    assert first.draw_id in text(get(client, "task", task.code))


def test_pps_draw_does_not_reveal_risk_classes(client, market_admin, colleague, district, settings):
    Target.objects.filter(pk__in=Target.objects.order_by("pk").values("pk")[:10]).update(risk_class="D")
    task = make_task(market_admin, district, code="T-PPS", design="pps")
    draw = draw_services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    confirm(draw, market_admin, colleague)
    draw = draw_services.draw_reveal(actor=market_admin, draw=draw)
    page = text(get(client, "draw", draw.draw_id))
    assert 'id="restricted"' in page and 'data-files="sources"' in page and draw.seed in page
    for name in ("manifest.json", "population.csv", "result.json"):
        assert get(client, "draw_file", draw.draw_id, name).status_code == 404
    assert get(client, "draw_file", draw.draw_id, "sources.json").status_code == 200
    first = draw.drawn.filter(alternate=False).first()
    assert first.inclusion_probability not in page  # λ = n·w/W would give the weight away
    settings.FAIRSPOT_PORTAL_PUBLISH_RISK_DATA = True
    assert get(client, "draw_file", draw.draw_id, "population.csv").status_code == 200


def test_class_a_exclusions_are_not_published(client, market_admin, colleague, district):
    Target.objects.filter(status="active").filter(
        pk__in=Target.objects.order_by("pk").values("pk")[1:4]
    ).update(risk_class="A")
    task = make_task(market_admin, district, code="T-A", exclude_class_a=True)
    draw = draw_services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    page = text(get(client, "draw", draw.draw_id))
    assert 'id="restricted"' in page
    assert get(client, "draw_file", draw.draw_id, "manifest.json").status_code == 404
    for target in Target.objects.filter(risk_class="A"):
        assert target.identifier not in page


# --- targets and results ---------------------------------------------------------------------------
def test_target_page_shows_published_results_only(client, officer, reviewer, market_admin, visits):
    published_visit, draft_visit = visits[0], visits[1]
    line = publish(officer, reviewer, published_visit.lines.get(), published_visit)
    draft = enter(market_admin, draft_visit.lines.get(), label="不配合检查情节严重", remarks="草稿备注")
    inspection_services.result_review(
        actor=reviewer, line=draft, version=draft.version, approve=False, opinion="复核意见：证据不足"
    )
    target = published_visit.target
    target.risk_class = "D"
    target.save()
    page = text(get(client, "target", target.identifier))
    assert line.result_code.label in page and "2025-09-22" in page and END.isoformat() in page
    other = text(get(client, "target", draft_visit.target.identifier))  # drawn, so public
    assert "草稿备注" not in other and "复核意见" not in other and "不配合检查情节严重" not in other
    for page_text in (page, other):
        assert "credit-risk" not in page_text.lower() and "风险" not in page_text
    for inspector in Inspector.objects.all():
        assert inspector.name not in page and inspector.staff_no not in page


def test_remarks_and_correction_reasons_are_masked(client, officer, reviewer, visit):
    line = visit.lines.get()
    line = enter(officer, line, remarks="负责人电话13812345678")
    line = inspection_services.result_review(actor=reviewer, line=line, version=line.version, approve=True)
    inspection_services.visit_finish(actor=officer, visit=visit, end_date=END)
    inspection_services.result_publish(actor=reviewer, line=line, version=line.version)
    page = text(get(client, "target", visit.target.identifier))
    assert "13812345678" not in page and "138****5678" in page


def test_complainant_data_never_appears(client, draw, market_admin):
    target = draw.drawn.first().target
    Lead.objects.create(
        number="L-1",
        kind="complaint",
        received_on=date(2025, 9, 1),
        department=market_admin.department,
        description="投诉描述",
        target=target,
        complainant_name="李四",
        complainant_phone="13900001111",
        category="价格",
        created_by=market_admin,
    )
    page = text(get(client, "target", target.identifier))
    assert "李四" not in page and "13900001111" not in page and "投诉描述" not in page


def test_individual_business_owner_is_masked(client, draw, departments):
    drawn = draw.drawn.select_related("target").first()
    Target.objects.filter(pk=drawn.target_id).update(
        entity_type="individual", legal_representative="张三丰", name="新乡高新区张三丰便利店"
    )
    page = text(get(client, "target", drawn.target.identifier))
    assert "张三丰" not in page and "张**" in page and "新乡高新区张**便利店" in page
    assert "张三丰" not in text(get(client, "draw", draw.draw_id))
    assert "张三丰" not in text(get(client, "task", draw.task.code))


def test_enterprise_legal_representative_is_masked_as_in_the_open_data(client, draw):
    drawn = draw.drawn.select_related("target").first()
    Target.objects.filter(pk=drawn.target_id).update(legal_representative="王五")
    page = text(get(client, "target", drawn.target.identifier))
    assert "王五" not in page and "王*" in page


def test_target_that_was_never_published_has_no_page(client, draw, departments):
    hidden = Target.objects.create(
        identifier=uscc(), name="未公开企业", entity_type="enterprise", department=departments["market"]
    )
    assert get(client, "target", hidden.identifier).status_code == 404
    assert hidden.identifier not in text(get(client, "targets", q="未公开企业"))


def test_search_finds_public_targets(client, draw):
    target = draw.drawn.select_related("target").first().target
    assert target.identifier in text(get(client, "targets", q=target.identifier.lower()))
    assert target.identifier in text(get(client, "targets", q=target.name))


# --- bad input and HTTP behaviour ------------------------------------------------------------------
@pytest.mark.parametrize(
    "q", ["' OR 1=1 --", "<script>alert(1)</script>", "%", "_", "\x00", "企" * 5000, "'; DROP TABLE x; --"]
)
def test_search_with_hostile_strings(client, draw, q):
    page = text(get(client, "targets", q=q))
    assert "<script>alert(1)</script>" not in page
    if q == "<script>alert(1)</script>":
        assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "path",
    [
        "/public/draws/NOPE-1/",
        "/public/draws/NOPE-1/files/manifest.json",
        "/public/draws/NOPE-1/bundle.zip",
        "/public/draws/" + "x" * 5000 + "/",
        "/public/draws/<script>/",
        "/public/draws/%00/",
        "/public/tasks/" + "T" * 500 + "/",
        "/public/tasks/NOPE/",
        "/public/tasks/%00/",
        "/public/targets/91410700MA44U8XX4K/",
        "/public/targets/" + "9" * 3000 + "/",
        "/public/items/NOPE/",
        "/public/" + "a/" * 2000,
    ],
)
def test_unknown_or_absurd_paths_are_404(client, draw, path):
    assert client.get(path).status_code == 404


def test_pages_need_no_login_only_allow_get_and_are_cacheable(client, draw):
    for url in (
        reverse("portal:index"),
        reverse("portal:tasks"),
        reverse("portal:draw", args=[draw.draw_id]),
        reverse("portal:target", args=[draw.drawn.first().target.identifier]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
        assert "Set-Cookie" not in response.headers and not response.cookies
        assert '<meta name="viewport"' in response.content.decode()
        assert client.post(url).status_code == 405
        assert client.head(url).status_code == 200
