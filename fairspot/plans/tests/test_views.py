"""The plan pages: forms with item and batch rows, review, adjustment, versions, exports, district plan."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from fairspot.draws.models import Task
from fairspot.plans.models import Plan, PlanStatus
from fairspot.testing.plans import YEAR, approve, make_joint_plan, make_plan, publish

pytestmark = pytest.mark.django_db


def _rows(prefix: str, rows: list[dict], extra: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{k}": v for k, v in row.items()})
    return data


def _form(items, **overrides) -> dict:
    data = {
        "year": str(YEAR),
        "code": "",
        "title": "2026年度市场监管随机抽查计划",
        "kind": "department",
        "scope_kind": "undirected",
        "target_scope": "辖区内企业",
        **_rows(
            "items", [{"item": items["general"].pk, "ratio": "0.04"}, {"item": items["key"].pk}], extra=1
        ),
        **_rows(
            "batches",
            [{"number": "", "name": "第一批", "start_date": "2026-03-01", "end_date": "2026-04-30"}],
            extra=1,
        ),
    }
    data.update(overrides)
    return data


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _xlsx(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_create_edit_and_submit_through_the_pages(client, items, market_admin):
    client.force_login(market_admin)
    assert client.get(reverse("plans:create")).status_code == 200
    response = client.post(reverse("plans:create"), _form(items))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert dict(plan.items.values_list("item__code", "ratio")) == {
        "A01": Decimal("0.04"),
        "K01": Decimal("0.3"),
    }
    assert plan.batches.get().number == 1

    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Submit for review" in page and "plans.plan.created" in page

    edit = client.get(reverse("plans:edit", args=[plan.pk]))
    assert edit.status_code == 200 and "第一批" in edit.content.decode()
    data = _form(items, title="改名后的计划")
    data.update(_rows("items", [{"item": items["general"].pk, "ratio": "0.09"}]))
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response.status_code == 200 and "exceeds its cap" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title != "改名后的计划"

    data.update(_rows("items", [{"item": items["general"].pk, "ratio": "0.05"}]))
    assert client.post(reverse("plans:edit", args=[plan.pk]), data).status_code == 302
    plan.refresh_from_db()
    assert plan.title == "改名后的计划" and plan.items.get().ratio == Decimal("0.05")

    client.post(reverse("plans:submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert client.get(reverse("plans:edit", args=[plan.pk])).status_code == 403


def test_submit_without_items_shows_the_error(client, items, market_admin):
    plan = make_plan(market_admin, items, ratios={})
    client.force_login(market_admin)
    response = client.post(reverse("plans:submit", args=[plan.pk]), follow=True)
    assert "at least one check item" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_review_return_and_approve_then_publish(client, items, market_admin, office):
    plan = make_plan(market_admin, items)
    client.force_login(market_admin)
    client.post(reverse("plans:submit", args=[plan.pk]))
    assert client.get(reverse("plans:review", args=[plan.pk])).status_code == 403

    client.force_login(office)
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("plans:review", args=[plan.pk]) in detail and "Submit for review" not in detail
    response = client.post(reverse("plans:review", args=[plan.pk]), {"decision": "returned", "opinion": ""})
    assert response.status_code == 200 and "Say why the plan is returned" in response.content.decode()
    client.post(
        reverse("plans:review", args=[plan.pk]), {"decision": "returned", "opinion": "请补充检查对象范围"}
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT

    client.force_login(market_admin)
    client.post(reverse("plans:submit", args=[plan.pk]))
    client.force_login(office)
    client.post(reverse("plans:review", args=[plan.pk]), {"decision": "approved", "opinion": "同意"})
    client.post(reverse("plans:publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and plan.published_version == 1
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "请补充检查对象范围" in page and "同意" in page


def test_adjust_page_and_versions(client, items, market_admin, office):
    plan = publish(make_plan(market_admin, items), market_admin, office)
    client.force_login(office)
    assert client.get(reverse("plans:adjust", args=[plan.pk])).status_code == 403
    client.force_login(market_admin)
    page = client.get(reverse("plans:adjust", args=[plan.pk])).content.decode()
    assert "version 2" in page and 'name="year"' not in page
    data = _form(items)
    data.pop("year")
    data.pop("code")
    assert client.post(reverse("plans:adjust", args=[plan.pk]), data).status_code == 200  # no reason
    data["reason"] = "增加重点事项"
    response = client.post(reverse("plans:adjust", args=[plan.pk]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2 and plan.status == PlanStatus.DRAFT and plan.adjustment_reason == "增加重点事项"
    client.post(reverse("plans:submit", args=[plan.pk]))
    client.force_login(office)
    review = client.get(reverse("plans:review", args=[plan.pk])).content.decode()
    assert (
        "Changes against version 1, in force" in review
        and "A01 0.03" in review
        and "A01 0.04；K01 0.3" in review
    )
    client.post(reverse("plans:review", args=[plan.pk]), {"decision": "approved", "opinion": ""})
    client.force_login(market_admin)

    v1 = client.get(reverse("plans:version", args=[plan.pk, 1])).content.decode()
    assert "A01" in v1 and "K01" not in v1 and "First version" in v1
    v2 = client.get(reverse("plans:version", args=[plan.pk, 2])).content.decode()
    assert "K01" in v2 and "增加重点事项" in v2
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("plans:version", args=[plan.pk, 1]) in detail
    assert client.get(reverse("plans:version", args=[plan.pk, 3])).status_code == 404


def test_department_scope_on_the_pages(
    client, departments, items, market_admin, fire_admin, market_inspector
):
    own = make_plan(market_admin, items)
    joint = make_joint_plan(market_admin, items, departments)
    client.force_login(fire_admin)
    assert client.get(reverse("plans:detail", args=[own.pk])).status_code == 404
    page = client.get(reverse("plans:detail", args=[joint.pk])).content.decode()
    assert "Submit for review" not in page  # a participant reads, the lead edits
    assert client.get(reverse("plans:edit", args=[joint.pk])).status_code == 403
    assert client.post(reverse("plans:submit", args=[joint.pk])).status_code == 403
    listing = client.get(reverse("plans:list")).content.decode()
    assert joint.title in listing and own.title not in listing
    client.force_login(market_inspector)
    assert client.get(reverse("plans:create")).status_code == 403
    assert client.get(reverse("plans:detail", args=[own.pk])).status_code == 200


def test_list_filters_and_exports(client, departments, items, market_admin, office):
    published = publish(make_plan(market_admin, items), market_admin, office)
    make_plan(market_admin, items, title="明年计划", year=YEAR + 1, batches=[])
    client.force_login(office)
    page = client.get(reverse("plans:list"), {"year": YEAR}).content.decode()
    assert published.title in page and "明年计划" not in page
    page = client.get(reverse("plans:list"), {"status": "draft"}).content.decode()
    assert published.title not in page and "明年计划" in page

    rows = _csv(client.get(reverse("plans:list"), {"year": YEAR, "export": "csv"}))
    assert rows[0][:3] == ["年度", "计划编号", "计划名称"]
    assert rows[1][1:3] == [published.code, published.title] and rows[1][7] == "已公布"
    assert "A01 事项A01 0.03" in rows[1][9] and "第1批 2026-03-01至2026-04-30" in rows[1][10]
    assert len(rows) == 2
    sheet = _xlsx(client.get(reverse("plans:list"), {"export": "xlsx"}))
    assert sheet[0][1] == "计划编号" and len(sheet) == 3


def test_district_plan_page_and_export(client, departments, items, market_admin, fire_admin, office):
    joint = publish(make_joint_plan(market_admin, items, departments), market_admin, office)
    fire = approve(
        make_plan(fire_admin, items, ratios={"fire": Decimal("0.02")}, title="消防计划"), fire_admin, office
    )
    make_plan(market_admin, items, title="草稿计划")
    client.force_login(office)
    page = client.get(reverse("plans:district"), {"year": YEAR}).content.decode()
    assert joint.code in page and fire.code in page and "草稿计划" not in page
    assert "Approved, not yet published" in page

    rows = _csv(client.get(reverse("plans:district"), {"year": YEAR, "export": "csv"}))
    assert rows[0][:3] == ["年度", "牵头部门", "计划编号"]
    body = [(r[2], r[10], r[13]) for r in rows[1:]]
    assert body == [(joint.code, "A01", "0.03"), (joint.code, "F01", "0.03"), (fire.code, "F01", "0.02")]
    sheet = _xlsx(client.get(reverse("plans:district"), {"year": YEAR, "export": "xlsx"}))
    assert len(sheet) == 4 and float(sheet[1][13]) == 0.03

    client.force_login(market_admin)  # sees its joint plan, not fire's unpublished plan
    page = client.get(reverse("plans:district"), {"year": YEAR}).content.decode()
    assert joint.code in page and fire.code not in page
    # a published version of another department's plan is readable from the district page
    client.force_login(fire_admin)
    assert client.get(reverse("plans:version", args=[joint.pk, 1])).status_code == 200


def test_create_the_task_of_a_batch_from_the_page(client, items, market_admin, office):
    plan = publish(make_plan(market_admin, items), market_admin, office)
    batch = plan.batches.get()
    client.force_login(market_admin)
    assert "Create the task" in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    response = client.post(reverse("plans:batch_tasks", args=[batch.pk]))
    task = Task.objects.get()
    assert response["Location"] == reverse("draws:task", args=[task.pk]) and task.batch_link.batch == batch
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert task.code in page and "Create the task" not in page
    response = client.post(reverse("plans:batch_tasks", args=[batch.pk]), follow=True)
    assert "already has its tasks" in response.content.decode() and Task.objects.count() == 1
