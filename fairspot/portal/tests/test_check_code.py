"""The check-code page (亮码入企): what a firm sees on its phone, what it may send, what a guesser gets."""

import re
import secrets
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from fairspot.audit.models import AuditEntry
from fairspot.inspections import services
from fairspot.inspections.models import VisitFeedback, WithdrawalRequest
from fairspot.inspectors.models import Inspector
from fairspot.portal.privacy import mask_certificate
from fairspot.testing.inspections import END, LEGAL_BASIS, reveal

pytestmark = pytest.mark.django_db
NAME, CERTIFICATE = "王建国", "41070020190012"


def url(visit, name="check") -> str:
    return reverse(f"portal:{name}", kwargs={"code": visit.check_code})


def page(client, visit) -> str:
    response = client.get(url(visit))
    assert response.status_code == 200, response.status_code
    translation.activate("en")  # the page switches to Chinese in this thread
    return response.content.decode()


def address() -> str:
    return "10." + ".".join(str(secrets.randbelow(250)) for _ in range(3))


def same_page(response) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return html.replace(response.wsgi_request.path, "PATH")


@pytest.fixture
def named(visit):
    """The visit's leader with a real-looking name and certificate number."""
    Inspector.objects.filter(pk=visit.leader_id).update(name=NAME, certificate_no=CERTIFICATE)
    return visit


def test_the_page_verifies_the_visit_without_personal_data(client, named, draw):
    html = page(client, named)
    assert "这是一次已审批的检查" in html  # this is an approved inspection
    assert "王**" in html and "4*********0012" in html  # masked, as the portal masks
    assert NAME not in html and CERTIFICATE not in html
    assert "公示信息" in html and LEGAL_BASIS in html  # the item and the approval's basis
    assert reverse("portal:draw", args=[draw.draw_id]) in html  # the draw, to verify
    assert named.target.identifier not in html  # nothing about the firm that it does not know
    response = client.get(url(named))
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_guessed_code_gives_the_same_404_as_any_missing_page(client, visit):
    guessed = client.get(reverse("portal:check", kwargs={"code": secrets.token_urlsafe(18)}))
    other = client.get(reverse("portal:check", kwargs={"code": secrets.token_urlsafe(18)}))
    missing = client.get("/public/no-such-page/")
    assert guessed.status_code == other.status_code == missing.status_code == 404
    # the same page, but for the per-request CSRF token and the path in the language form
    assert same_page(guessed) == same_page(other) == same_page(missing)
    assert client.get(f"/public/check/{visit.check_code[:-1]}/").status_code == 404
    assert client.get("/public/check/short/").status_code == 404


def test_codes_are_rate_limited_per_address(client, visit, settings):
    settings.FAIRSPOT_CHECK_CODE_RATE_LIMIT = 3
    settings.FAIRSPOT_CHECK_CODE_RATE_WINDOW = 600
    me, elsewhere = {"REMOTE_ADDR": address()}, {"REMOTE_ADDR": address()}  # fresh: the file cache lives on
    guesses = [reverse("portal:check", kwargs={"code": secrets.token_urlsafe(18)}) for _ in range(3)]
    assert [client.get(g, **me).status_code for g in guesses] == [404, 404, 404]
    assert client.get(url(visit), **me).status_code == 429  # even the right code, once over the limit
    assert client.post(url(visit, "check_feedback"), {}, **me).status_code == 429
    assert client.get(url(visit), **elsewhere).status_code == 200


def test_states_say_so_clearly(client, market_admin, colleague, item, visit, officer):
    other = reveal(market_admin, colleague, item, code="T-2", inspection_date=date(2025, 9, 29))
    unapproved = services.visits_create_for_draw(actor=market_admin, draw=other)[0]
    html = page(client, unapproved)
    leader = unapproved.leader.name[0] + "*" * (len(unapproved.leader.name) - 1)
    assert "这次检查尚未审批" in html and leader not in html  # no team before the approval
    assert 'action="' + url(unapproved, "check_feedback") not in html
    services.visit_finish(actor=officer, visit=visit, end_date=END)
    assert "这次检查已经结束" in page(client, visit)


def test_a_cancelled_visit_says_so(client, market_admin, visit):
    services.visit_replace_target(actor=market_admin, visit=visit, reason="已停业")
    html = page(client, visit)
    assert "这次检查已取消" in html and 'action="' + url(visit, "check_withdrawal") not in html


def test_the_firm_confirms_and_rates(client, visit):
    response = client.post(
        url(visit, "check_feedback"), {"took_place": "yes", "rating": "4", "comment": "规范"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?done=feedback")
    assert VisitFeedback.objects.get(visit=visit).rating == 4
    again = client.post(url(visit, "check_feedback"), {"took_place": "yes", "rating": "5"})
    translation.activate("en")
    assert again.status_code == 400 and VisitFeedback.objects.count() == 1
    bad = client.post(url(visit, "check_feedback"), {"took_place": "yes", "rating": "9"})
    assert bad.status_code == 400


def test_the_firm_asks_for_a_withdrawal(client, visit, district, officer):
    member = visit.members.exclude(pk=visit.leader_id).first()
    outsider = Inspector.objects.exclude(pk__in=visit.members.values("pk")).first()
    response = client.post(url(visit, "check_withdrawal"), {"inspector": outsider.pk, "reason": "亲属"})
    assert response.status_code == 400 and not WithdrawalRequest.objects.exists()
    response = client.post(url(visit, "check_withdrawal"), {"inspector": member.pk, "reason": "系股东亲属"})
    assert response.status_code == 302 and WithdrawalRequest.objects.get().inspector == member
    html = page(client, visit)
    assert "等待部门决定" in html  # the firm sees its request waiting
    services.visit_finish(actor=officer, visit=visit, end_date=END)
    before = AuditEntry.objects.count()
    response = client.post(url(visit, "check_withdrawal"), {"inspector": member.pk, "reason": "再次申请"})
    assert response.status_code == 400 and AuditEntry.objects.count() == before


def test_officers_see_the_code_on_the_visit_page_and_the_notice(client, market_admin, visit):
    client.force_login(market_admin)
    html = client.get(reverse("inspections:visit", args=[visit.pk])).content.decode()
    assert url(visit) in html and "<svg" in html
    notice = client.get(reverse("inspections:notice", args=[visit.pk])).content.decode()
    assert url(visit) in notice and "<svg" in notice and "四、检查码" in notice
    pdf = client.get(reverse("inspections:notice_pdf", args=[visit.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_department_decides_a_request_from_its_list(client, market_admin, fire_admin, visit):
    member = visit.members.exclude(pk=visit.leader_id).first()
    request = services.withdrawal_request(visit=visit, inspector_id=member.pk, reason="系股东亲属")
    client.force_login(fire_admin)
    assert "系股东亲属" not in client.get(reverse("inspections:withdrawals")).content.decode()
    assert (
        client.post(
            reverse("inspections:withdrawal_decide", args=[request.pk]), {"decision": "grant"}
        ).status_code
        == 404
    )
    client.force_login(market_admin)
    html = client.get(reverse("inspections:withdrawals")).content.decode()
    assert "系股东亲属" in html and member.name in html
    export = client.get(reverse("inspections:withdrawals"), {"export": "xlsx"})
    assert export.status_code == 200
    client.post(reverse("inspections:withdrawal_decide", args=[request.pk]), {"decision": "grant"})
    request.refresh_from_db()
    assert request.decision == "granted" and member not in visit.members.all()


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("41070020190012", "4*********0012"),
        ("Z123456", "Z**3456"),
        ("Z1234", "***34"),
        ("Z1", "**"),
        ("", ""),
    ],
)
def test_certificate_numbers_keep_only_what_the_firm_compares(number, shown):
    assert mask_certificate(number) == shown


def test_before_the_visit_day_the_firm_is_told_when_it_may_rate(
    client, market_admin, colleague, item, visits
):
    later = reveal(market_admin, colleague, item, code="T-4", inspection_date=date(2027, 3, 1))
    visit = services.visits_create_for_draw(actor=market_admin, draw=later)[0]
    services.draw_approve(actor=market_admin, draw=later, legal_basis=LEGAL_BASIS)
    html = page(client, visit)
    assert "自检查当日（2027-03-01）起" in html and url(visit, "check_feedback") not in html
    assert url(visit, "check_withdrawal") in html  # a withdrawal is asked for before the visit
