"""Through its check code the firm objects to a published result (异议) and applies for credit repair
(信用修复); the public pages show an objection under examination, count withheld results, and drop a
result whose display ended."""

import pytest
from django.urls import reverse
from django.utils import translation

from fairspot.inspections import services
from fairspot.inspections.models import CreditRepair, Objection, VisitItem
from fairspot.testing.inspections import END, code, enter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """These tests make many requests from one address; the limit has its own tests."""
    settings.FAIRSPOT_CHECK_CODE_RATE_LIMIT = 0


def url(visit, name="check") -> str:
    return reverse(f"portal:{name}", kwargs={"code": visit.check_code})


def publish(officer, reviewer, line, visit, label="未按规定公示应当公示的信息"):
    line = enter(officer, line, label)
    line = services.result_review(actor=reviewer, line=line, version=line.version, approve=True)
    services.visit_finish(actor=officer, visit=visit, end_date=END)
    return services.result_publish(actor=reviewer, line=line, version=line.version)


def test_the_firm_objects_through_its_code_and_reads_the_answer(client, officer, reviewer, visit, line):
    line = publish(officer, reviewer, line, visit)
    html = client.get(url(visit)).content.decode()
    translation.activate("en")
    assert "对结果提出异议" in html and "未按规定公示应当公示的信息" in html
    missing = client.post(
        url(visit, "check_objection"), {"line": line.pk, "applicant": "", "content": "不服"}
    )
    assert missing.status_code == 400 and not Objection.objects.exists()
    response = client.post(
        url(visit, "check_objection"),
        {"line": line.pk, "applicant": "某某公司", "phone": "13800000000", "content": "年报已按期报送"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?done=objection")
    objection = Objection.objects.get()
    assert objection.channel == "code" and not objection.late and objection.phone == "13800000000"
    target = client.get(reverse("portal:target", args=[visit.target.identifier])).content.decode()
    translation.activate("en")
    assert "部门正在核查" in target  # the public sees that the result is under objection
    assert "13800000000" not in target
    services.objection_answer(
        actor=reviewer,
        objection=objection,
        uphold=True,
        answer="经核实年报已按期报送，予以更正",
        result_code=code("未发现问题"),
    )
    html = client.get(url(visit)).content.decode()
    translation.activate("en")
    assert "予以更正" in html and "已更正" in html
    target = client.get(reverse("portal:target", args=[visit.target.identifier])).content.decode()
    translation.activate("en")
    assert "未发现问题" in target and "部门正在核查" not in target


def test_a_result_of_another_visit_cannot_be_objected_to_through_this_code(
    client, officer, reviewer, visit, visits, line
):
    publish(officer, reviewer, line, visit)
    other = VisitItem.objects.exclude(visit=visit).first()
    response = client.post(
        url(visit, "check_objection"), {"line": other.pk, "applicant": "某某公司", "content": "不服"}
    )
    assert response.status_code == 400 and not Objection.objects.exists()


def test_repair_through_the_code_where_allowed_and_not_where_forbidden(
    client, officer, reviewer, visit, line
):
    line = publish(officer, reviewer, line, visit, label="不配合检查情节严重")
    html = client.get(url(visit)).content.decode()
    translation.activate("en")
    assert "申请信用修复" not in html  # the rules forbid repair of this category: no form offered
    response = client.post(
        url(visit, "check_repair"), {"line": line.pk, "applicant": "某某公司", "statement": "已整改"}
    )
    assert response.status_code == 400 and not CreditRepair.objects.exists()


def test_repair_granted_drops_the_result_from_the_public_pages(client, officer, reviewer, visit, line):
    line = publish(officer, reviewer, line, visit)
    response = client.post(
        url(visit, "check_repair"), {"line": line.pk, "applicant": "某某公司", "statement": "已补报并承诺"}
    )
    assert response.status_code == 302
    services.repair_decide(actor=reviewer, repair=CreditRepair.objects.get(), grant=True, answer="同意")
    target = client.get(reverse("portal:target", args=[visit.target.identifier]))
    translation.activate("en")
    assert "未按规定公示应当公示的信息" not in target.content.decode()
    html = client.get(url(visit)).content.decode()
    translation.activate("en")
    assert "已停止公示（准予信用修复）" in html


def test_the_task_page_counts_withheld_results(client, officer, reviewer, office, visit, line, draw):
    line = enter(officer, line)
    line = services.result_review(actor=reviewer, line=line, version=line.version, approve=True)
    request = services.withhold_request(
        actor=reviewer, line=line, legal_basis="《中华人民共和国保守国家秘密法》第二十八条", reason="涉密"
    )
    services.withhold_decide(actor=office, request=request, approve=True)
    html = client.get(reverse("portal:task", args=[draw.task.code])).content.decode()
    translation.activate("en")
    counts = html.split('id="result-counts">')[1].split("</dd>")[0]
    assert "依法不予公示 1" in counts and "已公示 0" in counts
