"""Authorization matrix: every URL pattern, as every kind of actor, answers as declared here.

The demo district is loaded (departments SCJG 市场监管 and XFJY 消防 among others, a revealed draw), a visit
is made from the draw, and each pattern's parameters are filled with records of the market department
(SCJG). Every pattern is requested with GET as:

    anonymous · sysadmin (admin) · office · owner (market, SCJG's department admin) ·
    other (xfjy, the fire brigade's department admin) · inspector (scjg-001, an SCJG inspector)

and the answer is compared with MATRIX below, one character per actor in that order:

    +  served (2xx, or a redirect that is not to a login page)
    L  redirected to a login page              F  403 forbidden
    N  404 not found (e.g. another department's record, hidden)
    M  405 method not allowed (a write endpoint: GET is refused)
    B  400 bad request                          E  500 (never acceptable)

Every actor whose GET is refused (L/F/N) also POSTs an empty form, and so does the other department's
administrator to every write endpoint (GET answered M) of the market's records: the POST must be refused
(L/F/N/M or 400) and write no audit entry, i.e. change nothing. A URL pattern with no entry in MATRIX
fails the test: a new page is not merged without saying who may open it. The admin site (``admin:``) is
one rule: anonymous and every non-superuser are sent to the admin login; the superuser is served.
Patterns whose record the demo lacks are filled with a missing key (``MISSING``): there, staff get 404.
"""

import os
from uuid import UUID

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ACTORS = ["anonymous", "admin", "office", "market", "xfjy", "scjg-001"]
MISSING = 999_999_999
LEGEND = {200: "+", 403: "F", 404: "N", 405: "M", 400: "B", 500: "E"}

# fmt: off
MATRIX = {
    "login": "++++++",
    "favicon": "++++++",
    "password_change": "L+++++",
    "security:otp_setup": "L+++++",
    "security:otp_verify": "L+++++",
    "security:otp_remove": "LMMMMM",
    "directory:list": "L+++++",
    "directory:create": "L++++F",
    "directory:detail": "L+++++",
    "directory:edit": "L+++FF",
    "directory:delete": "LMMMMM",
    "inspectors:list": "L+++++",
    "inspectors:create": "L++++F",
    "inspectors:detail": "L+++N+",
    "inspectors:edit": "L+++NF",
    "inspectors:experts": "L+++++",
    "inspectors:expert_create": "L++++F",
    "inspectors:expert_edit": "L+++NF",
    "inspectors:conflicts": "L+++++",
    "inspectors:conflict_create": "L++++F",
    "inspectors:conflict_edit": "L++NNF",
    "items:list": "L+++++",
    "items:create": "L++++F",
    "items:detail": "L+++N+",
    "items:edit": "L+++NF",
    "holidays:list": "L+++++",
    "holidays:create": "L++FFF",
    "holidays:edit": "L++FFF",
    "holidays:delete": "LMMMMM",
    "holidays:year_add": "LMMMMM",
    "holidays:year_remove": "LMMMMM",
    "credit:classes": "L++++F",
    "credit:changes": "L++++F",
    "credit:estimates": "L++++F",
    "credit:rules": "L++++F",
    "credit:hazards": "L++++F",
    "credit:hazard_edit": "L++FFF",
    "credit:recompute": "LMMMMM",
    "credit:run": "LNNNNF",
    "credit:run_progress": "LNNNNF",
    "audit:list": "L+++++",
    "audit:verify": "L++FFF",
    "draws:tasks": "L+++++",
    "draws:task_create": "L++++F",
    "draws:task": "L+++N+",
    "draws:draw": "L+++N+",
    "draws:source_enter": "LMMMMM",
    "draws:reveal": "LMMMMM",
    "draws:replace": "LMMMMM",
    "draws:replace_officer": "LMMMMM",
    "draws:rematch": "LMMMMM",
    "draws:rematch_source_enter": "LMMMMM",
    "draws:rematch_reveal": "LMMMMM",
    "draws:bundle": "L+++N+",
    "draws:verify": "L+++N+",
    "plans:list": "L+++++",
    "plans:create": "LFF++F",
    "plans:district": "L+++++",
    "plans:detail": "LNNNNN",
    "plans:edit": "LNNNNN",
    "plans:submit": "LMMMMM",
    "plans:review": "LNNNNN",
    "plans:publish": "LMMMMM",
    "plans:adjust": "LNNNNN",
    "plans:version": "LNNNNN",
    "plans:batch_tasks": "LMMMMM",
    "plans:item_class_ratios": "LMMMMM",
    "inspections:visits": "L+++++",
    "inspections:create_for_draw": "LMMMMM",
    "inspections:approvals": "L+++++",
    "inspections:approve_draw": "LMMMMM",
    "inspections:withdrawals": "L+++++",
    "inspections:checks_per_firm": "L++FFF",
    "inspections:withdrawal_decide": "LMMMMM",
    "inspections:publicity": "L+++++",
    "inspections:withholding_decide": "LMMMMM",
    "inspections:objection_answer": "LMMMMM",
    "inspections:repair_decide": "LMMMMM",
    "inspections:line_withhold": "LMMMMM",
    "inspections:line_objection": "LMMMMM",
    "inspections:line_repair": "LMMMMM",
    "inspections:due": "L+++++",
    "inspections:reminders": "L+++++",
    "inspections:questions": "L+++++",
    "inspections:visit": "L+++N+",
    "inspections:finish": "LMMMMM",
    "inspections:replace": "LMMMMM",
    "inspections:alternate_decide": "LMMMMM",
    "inspections:notice": "L+++N+",
    "inspections:notice_pdf": "L+++N+",
    "inspections:record_form": "L+++N+",
    "inspections:record_pdf": "L+++N+",
    "inspections:line_record": "LMMMMM",
    "inspections:line_result": "LMMMMM",
    "inspections:line_review": "LMMMMM",
    "inspections:line_publish": "LMMMMM",
    "inspections:line_correct": "LMMMMM",
    "inspections:line_attach": "LMMMMM",
    "inspections:line_quiz": "LMMMMM",
    "inspections:line_followup": "LMMMMM",
    "inspections:followup_close": "LMMMMM",
    "inspections:attachment": "LNNNNN",
    "cases:list": "L+++++",
    "cases:intake": "L++++F",
    "cases:special_create": "L++++F",
    "cases:detail": "LNNNNN",
    "cases:assign": "LNNNNF",
    "cases:approve_check": "LNNNNF",
    "cases:note": "LNNNNN",
    "cases:close": "LNNNNN",
    "cases:reopen": "LNNNNF",
    "cases:transfer": "LNNFFF",
    "opendata_api:index": "++++++",
    "opendata_api:results": "++++++",
    "opendata_api:plans": "++++++",
    "opendata_api:ping": "++++++",
    "opendata_api:schema": "++++++",
    "opendata:results": "++++++",
    "opendata:downloads": "++++++",
    "opendata:download": "NNNNNN",
    "opendata:feed": "++++++",
    "portal:index": "++++++",
    "portal:items": "++++++",
    "portal:department_items": "++++++",
    "portal:plans": "++++++",
    "portal:plan": "NNNNNN",
    "portal:tasks": "++++++",
    "portal:task": "++++++",
    "portal:targets": "++++++",
    "portal:audit_anchors": "++++++",
    "portal:audit_anchors_txt": "++++++",
    "portal:target": "NNNNNN",
    "portal:draw": "++++++",
    "portal:draw_file": "++++++",
    "portal:draw_zip": "++++++",
    "council:index": "L++++F",
    "council:changes": "L++++F",
    "council:change_propose": "L++++F",
    "council:change_decide": "L++FFF",
    "council:plenary_create": "L++FFF",
    "council:special_request": "L++++F",
    "council:meeting": "L++++F",
    "council:consent": "LFFFFF",
    "council:schedule": "L++FFF",
    "council:hold": "L++FFF",
    "council:topic_submit": "L++++F",
    "council:topic_decide": "LMMMMF",
    "council:attendance": "L++FFF",
    "council:report": "L++++F",
    "council:minutes_edit": "L++FFF",
    "council:decision_add": "L++FFF",
    "council:minutes_approve": "LMMMMF",
    "council:minutes_publish": "LMMMMF",
    "council:minutes_print": "L++++F",
    "council:ledger": "L++++F",
    "council:item_create": "L++FFF",
    "council:item": "L+++NF",
    "council:item_progress": "L+++NF",
    "council:item_supervise": "L++FFF",
    "council:evidence_add": "L+++NF",
    "council:milestone_done": "LMMMMF",
    "council:evidence": "LNNNNF",
    "portal:check": "++++++",
    "portal:check_feedback": "MMMMMM",
    "portal:check_withdrawal": "MMMMMM",
    "portal:check_objection": "MMMMMM",
    "portal:check_repair": "MMMMMM",
    "hub:dashboard": "L+++++",
    "hub:imports": "L+++++",
    "hub:import_start": "L++++F",
    "hub:docs_imports": "L+++++",
    "hub:import_template": "L+++++",
    "hub:import_job": "LNNNNN",
    "hub:import_progress": "LNNNNN",
    "hub:import_report": "LNNNNN",
    "hub:export_job": "LNN+NN",
    "hub:export_progress": "LNN+NN",
    "hub:export_download": "LNN+NN",
    "stats:report": "L++++F",
    "stats:rows": "L++++F",
    "stats:dashboard": "L++++F",
    "stats:assessment": "L++++F",
    "stats:failures": "L++++F",
    "stats:diligence": "L+++NF",
}
# fmt: on


def url_patterns(patterns=None, prefix="", namespace=""):
    """(name with namespace, pattern) of every URL pattern, walking includes."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name or ''}", prefix + str(p.pattern), p


def outcome(response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        return "L" if "/login/" in response.get("Location", "") else "+"
    if 200 <= code < 300 or code == 304:
        return "+"
    return LEGEND.get(code, str(code))


def demo_objects():
    """Records of the market department (SCJG) to fill each pattern's parameters."""
    from fairspot.core.models import ImportJob
    from fairspot.council.models import Decision, LedgerItem, Meeting, MemberChange, Milestone, Topic
    from fairspot.draws.models import Draw, Team
    from fairspot.holidays.models import CalendarDay, CalendarYear
    from fairspot.inspections.models import Attachment, FollowUp, Visit, VisitItem
    from fairspot.inspectors.models import Conflict, Expert, Inspector
    from fairspot.items.models import CheckItem

    draw = Draw.objects.order_by("pk").first()
    visit = Visit.objects.filter(department__code="SCJG", draws=draw).order_by("pk").first()
    line = VisitItem.objects.filter(visit=visit).order_by("pk").first() if visit else None

    def pk(obj):
        return obj.pk if obj is not None else MISSING

    from fairspot.directory.models import Target

    return {
        "target": pk(Target.objects.filter(department__code="SCJG").order_by("pk").first()),
        "inspector": pk(Inspector.objects.filter(department__code="SCJG").order_by("pk").first()),
        "expert": pk(Expert.objects.filter(department__code="SCJG").order_by("pk").first()),
        "conflict": pk(Conflict.objects.order_by("pk").first()),
        "item": pk(CheckItem.objects.filter(department__code="SCJG").order_by("pk").first()),
        "day": pk(CalendarDay.objects.order_by("pk").first()),
        "year": pk(CalendarYear.objects.order_by("pk").first()),
        "task": draw.task_id if draw else MISSING,
        "draw_id": draw.draw_id if draw else "missing",
        "team": pk(Team.objects.filter(draw=draw).order_by("pk").first()),
        "visit": pk(visit),
        "line": pk(line),
        "followup": pk(FollowUp.objects.order_by("pk").first()),
        "attachment": pk(Attachment.objects.order_by("pk").first()),
        "job": ImportJob.objects.values_list("pk", flat=True).first() or UUID(int=1),
        "export": _market_export().pk,
        "meeting": pk(Meeting.objects.filter(kind="plenary").order_by("pk").first()),
        "special_meeting": pk(Meeting.objects.filter(kind="special").order_by("pk").first()),
        "topic": pk(Topic.objects.filter(department__code="SCJG").order_by("pk").first()),
        "change": pk(MemberChange.objects.order_by("pk").first()),
        "decision": pk(Decision.objects.order_by("pk").first()),
        "ledger_item": pk(LedgerItem.objects.filter(department__code="SCJG").order_by("pk").first()),
        "milestone": pk(Milestone.objects.filter(item__department__code="SCJG").order_by("pk").first()),
        "check_code": visit.check_code if visit else "missing-check-code-0",
        "target_identifier": Target.objects.filter(department__code="SCJG").order_by("pk").first().identifier,
    }


def _market_export():
    """A finished export of the market's administrator: only its owner may see it or download it."""
    from django.conf import settings

    from fairspot.accounts.models import User
    from fairspot.core.models import ExportJob, ExportStatus

    path = settings.VAR_DIR / "market-export.csv"
    path.write_text("id\n")
    return ExportJob.objects.create(
        kind="targets",
        fmt="csv",
        total=1,
        written=1,
        status=ExportStatus.DONE,
        file_name="targets.csv",
        stored_path=str(path),
        created_by=User.objects.get(username="market"),
    )


def arguments(name: str, pattern: str, objects: dict) -> dict:
    """Keyword arguments that fill ``pattern`` with a market-department record."""
    app = name.split(":")[0]
    by_app = {
        "directory": objects["target"],
        "inspectors": objects["inspector"],
        "items": objects["item"],
        "holidays": objects["day"],
        "draws": objects["task"],
        "plans": MISSING,
        "cases": MISSING,
        "credit": MISSING,
        "inspections": objects["visit"],
        "council": objects["meeting"],
        "stats": objects["visit"],
    }
    special = {
        "inspectors:expert_edit": {"pk": objects["expert"]},
        "inspectors:conflict_edit": {"pk": objects["conflict"]},
        "holidays:year_remove": {"pk": objects["year"]},
        "draws:replace_officer": {"draw_id": objects["draw_id"], "team_pk": objects["team"]},
        "draws:rematch_source_enter": {"draw_id": objects["draw_id"], "number": 1},
        "draws:rematch_reveal": {"draw_id": objects["draw_id"], "number": 1},
        "plans:version": {"pk": MISSING, "version": 1},
        "inspections:followup_close": {"pk": objects["followup"]},
        "inspections:alternate_decide": {"pk": objects["visit"], "request_pk": MISSING},
        "inspections:attachment": {"pk": objects["attachment"]},
        "credit:hazard_edit": {"code": "38"},
        "council:consent": {"pk": objects["special_meeting"]},
        "council:change_decide": {"pk": objects["change"]},
        "council:topic_decide": {"pk": objects["topic"]},
        "council:item_create": {"pk": objects["decision"]},
        "council:item": {"pk": objects["ledger_item"]},
        "council:item_progress": {"pk": objects["ledger_item"]},
        "council:item_supervise": {"pk": objects["ledger_item"]},
        "council:evidence_add": {"pk": objects["ledger_item"]},
        "council:milestone_done": {"pk": objects["milestone"]},
        "council:evidence": {"pk": MISSING},
        "hub:import_start": {"kind": "targets"},
        "hub:import_template": {"kind": "targets", "fmt": "csv"},
        "hub:import_report": {"pk": objects["job"], "fmt": "csv"},
        "hub:export_job": {"pk": objects["export"]},
        "hub:export_progress": {"pk": objects["export"]},
        "hub:export_download": {"pk": objects["export"]},
        "opendata:download": {"name": "published-results.csv"},
        "portal:department_items": {"code": "SCJG"},
        "portal:task": {"code": "SCJG-2026-001"},
        "portal:target": {"identifier": objects["target_identifier"]},
        "portal:draw": {"draw_id": objects["draw_id"]},
        "portal:draw_file": {"draw_id": objects["draw_id"], "name": "manifest.json"},
        "portal:draw_zip": {"draw_id": objects["draw_id"]},
        "portal:check": {"code": objects["check_code"]},
        "portal:plan": {"code": "NO-SUCH-PLAN"},
        "portal:check_feedback": {"code": objects["check_code"]},
        "portal:check_withdrawal": {"code": objects["check_code"]},
        "portal:check_objection": {"code": objects["check_code"]},
        "portal:check_repair": {"code": objects["check_code"]},
        "inspections:withholding_decide": {"pk": MISSING},
        "inspections:objection_answer": {"pk": MISSING},
        "inspections:repair_decide": {"pk": MISSING},
    }
    if name in special:
        return special[name]
    kwargs = {}
    if "<str:draw_id>" in pattern:
        kwargs["draw_id"] = objects["draw_id"]
    if "<uuid:pk>" in pattern:
        kwargs["pk"] = objects["job"]
    elif "<int:pk>" in pattern:
        is_line = app == "inspections" and "/items/<int:pk>/" in pattern
        kwargs["pk"] = objects["line"] if is_line else by_app[app]
    return kwargs


@pytest.fixture
def district(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    settings.FAIRSPOT_IMPORT_DIR = tmp_path / "imports"
    call_command("seed_demo", "--targets", "2000", verbosity=0)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fairspot.accounts.models import User
    from fairspot.draws.models import Draw
    from fairspot.inspections.services import visits_create_for_draw

    draw = Draw.objects.get(draw_id="SCJG-2026-001-1")  # the demo's upcoming round (not yet visited)
    # the demo's 1 % of about 1,200 eligible targets, in many small strata: about 12 drawn, never none
    assert draw.drawn.filter(alternate=False).exists(), "the matrix needs visits to walk"
    visits_create_for_draw(actor=User.objects.get(username="market"), draw=draw)
    TOTPDevice.objects.all().delete()  # two-step login has its own tests; here the admin is simply logged in


def client_for(username: str) -> Client:
    from fairspot.accounts.models import User

    client = Client(raise_request_exception=False)
    if username != "anonymous":
        client.force_login(User.objects.get(username=username))
    return client


def test_every_url_has_an_entry_and_answers_as_declared(district):
    from fairspot.audit.models import AuditEntry

    objects = demo_objects()
    clients = {name: client_for(name) for name in ACTORS}
    record = os.environ.get("FAIRSPOT_AUTHZ_RECORD")
    missing, wrong, observed = [], [], {}
    for name, pattern, _p in url_patterns():
        if name.startswith("admin:"):
            if name in {"admin:index", "admin:accounts_user_changelist", "admin:auth_group_changelist"}:
                got = "".join(outcome(clients[a].get(reverse(name))) for a in ACTORS)
                if got != "L+LLLL":
                    wrong.append(f"{name}: expected L+LLLL, got {got}")
            continue
        if name in {"set_language", "logout"}:
            continue  # POST-only by design, tested in their own apps
        url = reverse(name, kwargs=arguments(name, pattern, objects))
        got = "".join(outcome(clients[a].get(url)) for a in ACTORS)
        observed[name] = got
        if name not in MATRIX:
            missing.append(name)
        elif MATRIX[name] != got:
            wrong.append(f"{name} {url}: expected {MATRIX[name]}, got {got}")
        for actor, answer in zip(ACTORS, got, strict=True):
            own_account = name.startswith("security:")  # the user's own two-step device, not a record
            if answer in "LFN" or (answer == "M" and actor == "xfjy" and not own_account):
                before = AuditEntry.objects.count()
                posted = outcome(clients[actor].post(url, {}))
                if posted not in "LFNMB" or AuditEntry.objects.count() != before:
                    after = AuditEntry.objects.count()
                    wrong.append(f"POST {url} as {actor}: {posted}, audit entries {before}→{after}")
    if record:
        print(objects)
        print("\n".join(f'    "{n}": "{g}",' for n, g in observed.items()))
    assert not missing, f"URL patterns with no entry in MATRIX: {missing}"
    stale = set(MATRIX) - set(observed)
    assert not stale, f"MATRIX entries for URLs that no longer exist: {stale}"
    assert not wrong, "\n".join(wrong)
