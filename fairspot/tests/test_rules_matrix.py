"""Every permission rule (the ``require_*`` / ``can_*`` functions) against the same five people:

insider   the department's administrator who made or entered the record (market_admin)
colleague another administrator of the same department
outsider  an administrator of another department
office    the joint-meeting office
inspector an inspector of the same department who is not on the visit's team

The table is the specification; a rule that lets the wrong person through, or stops the right one,
fails here with its name and the person.
"""

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.accounts.scoping import require_department, require_manager
from fairspot.council.rules import (
    require_convenor,
    require_council_access,
    require_council_office,
    require_ledger_unit,
    require_unit,
)
from fairspot.credit.services import require_credit_editor
from fairspot.holidays.services import require_calendar_editor
from fairspot.inspections.alternates import alternate_request, can_decide
from fairspot.inspections.models import VisitItem
from fairspot.inspections.services.firm import can_decide_withdrawal, withdrawal_request
from fairspot.inspections.services.rules import can_review, require_line_department, require_record
from fairspot.plans.rules import require_lead, require_office
from fairspot.stats.filters import require_reader
from fairspot.testing import council

pytestmark = pytest.mark.django_db
PEOPLE = ["insider", "colleague", "outsider", "office", "inspector"]

# rule name → who may pass, in the order of PEOPLE (1 = allowed)
MATRIX = {
    "require_manager": "11110",
    "require_department": "11010",
    "require_office": "00010",
    "require_lead": "11000",
    "require_calendar_editor": "00010",
    "require_credit_editor": "00010",
    "require_record": "11010",
    "can_review": "01010",
    "require_line_department": "11011",
    "can_decide": "01010",
    # the joint meeting: the insider is made its convenor here
    "require_council_access": "11110",
    "require_council_office": "00010",
    "require_convenor": "10000",
    "require_unit": "11010",
    "require_ledger_unit": "11010",
    "can_decide_withdrawal": "11010",
    "require_reader": "11110",
}


def _passes(check) -> bool:
    try:
        result = check()
    except PermissionDenied:
        return False
    return result is not False


@pytest.fixture
def people(market_admin, colleague, fire_admin, office, market_inspector):
    return dict(zip(PEOPLE, [market_admin, colleague, fire_admin, office, market_inspector], strict=True))


@pytest.fixture
def checks(media, departments, visit, line, market_admin, office):
    market = departments["market"].pk
    council.establish(office, departments, market_admin)
    held = council.held_meeting(office, market_admin)
    ledger_item = council.ledger_item(office, held.decision, departments["market"])
    VisitItem.objects.filter(pk=line.pk).update(entered_by=market_admin)
    line.refresh_from_db()
    request = alternate_request(actor=market_admin, visit=visit, reason="已停业")
    withdrawal = withdrawal_request(
        visit=visit, inspector_id=visit.members.first().pk, reason="系企业股东亲属"
    )
    return {
        "require_manager": lambda u: require_manager(u),
        "require_reader": lambda u: require_reader(u),
        "require_department": lambda u: require_department(u, market),
        "require_office": lambda u: require_office(u),
        "require_lead": lambda u: require_lead(u, market),
        "require_calendar_editor": lambda u: require_calendar_editor(u),
        "require_credit_editor": lambda u: require_credit_editor(u),
        "require_record": lambda u: require_record(u, visit),
        "can_review": lambda u: can_review(u, line),
        "require_line_department": lambda u: require_line_department(u, line),
        "can_decide": lambda u: can_decide(u, request),
        "require_council_access": lambda u: require_council_access(u),
        "require_council_office": lambda u: require_council_office(u),
        "require_convenor": lambda u: require_convenor(u),
        "require_unit": lambda u: require_unit(u, market),
        "require_ledger_unit": lambda u: require_ledger_unit(u, ledger_item),
        "can_decide_withdrawal": lambda u: can_decide_withdrawal(u, withdrawal),
    }


@pytest.mark.parametrize("rule", sorted(MATRIX))
def test_rule_lets_exactly_the_right_people_through(rule, people, checks):
    got = "".join("1" if _passes(lambda u=u: checks[rule](u)) else "0" for u in people.values())
    wrong = [p for p, want, have in zip(PEOPLE, MATRIX[rule], got, strict=True) if want != have]
    assert not wrong, f"{rule}: expected {MATRIX[rule]}, got {got} (wrong for {', '.join(wrong)})"


def test_a_team_member_records_but_does_not_review(media, officer, visit, line):
    assert _passes(lambda: require_record(officer, visit))
    assert not can_review(officer, line)


def test_every_require_function_is_in_the_matrix():
    """A new require_* rule must be added here (the test lists the ones found in the code)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("require_"):
                args = [a.arg for a in node.args.args]
                if args and args[0] in {"user", "actor"}:
                    found.add(node.name)
    assert found <= set(MATRIX), f"rules without a row: {sorted(found - set(MATRIX))}"
