"""People see audit entries in words: every action the code writes has its words; changes use the
model's field names and the records' names, never codes."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from fairspot.audit.labels import ACTION_LABELS, action_label, change_rows
from fairspot.audit.services import record
from fairspot.directory.models import Target
from fairspot.testing.directory import uscc

ROOT = Path(__file__).resolve().parents[2]
APPS = "|".join(
    [
        "accounts",
        "auth",
        "audit",
        "cases",
        "council",
        "demo",
        "directory",
        "draws",
        "export",
        "holidays",
        "inspections",
        "inspectors",
        "items",
        "ops",
        "plans",
        "security",
    ]
)
ACTION = re.compile(rf"^({APPS})\.[a-z_]+\.[a-z_]+$")


def written_actions() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and ACTION.match(node.value):
                found.add(node.value)
    return found


def test_every_action_written_by_the_code_has_words():
    actions = written_actions()
    assert len(actions) > 60  # the scan finds the code's actions (it would find none if it were broken)
    missing = sorted(a for a in actions if a not in ACTION_LABELS)
    assert not missing, f"audit actions without words: {missing}"


def test_admin_actions_are_worded_from_the_model():
    with translation.override("zh-hans"):
        assert action_label("admin.department.changed") == "系统管理：部门 已修改"
        assert action_label("draws.task.created") == "创建抽查任务"
    with translation.override("en"):
        assert action_label("admin.nosuchmodel.changed").startswith("System administration")
        assert action_label("something.unknown") == "something.unknown"


@pytest.mark.django_db
def test_changes_show_field_names_choices_and_records_by_name(departments):
    rows = change_rows(
        "directory.target",
        {
            "status": ["active", "revoked"],
            "abnormal": [False, True],
            "department": [departments["market"].pk, departments["fire"].pk],
            "no_such_field": [1, 2],
        },
    )
    assert rows == [
        ("registration status", "Active (存续/在业)", "Licence revoked (吊销)"),
        ("in the abnormal-operation list", "no", "yes"),
        ("maintained by", str(departments["market"]), str(departments["fire"])),
        ("no_such_field", "1", "2"),
    ]


@pytest.mark.django_db
def test_history_card_and_audit_log_speak_words(client, market_admin, departments):
    target = Target.objects.create(
        identifier=uscc(), name="甲公司", entity_type="enterprise", department=departments["market"]
    )
    record(market_admin, "directory.target.changed", target, changes={"abnormal": [False, True]})
    client.force_login(market_admin)
    client.cookies["django_language"] = "zh-hans"  # chosen in the menu
    page = client.get(reverse("directory:detail", args=[target.pk]))
    html = page.content.decode()
    client.cookies["django_language"] = "zh-hans"  # chosen in the menu
    log = client.get(reverse("audit:list")).content.decode()
    translation.activate("en")
    assert "修改检查对象" in html and "directory.target.changed</code>" not in html
    assert "abnormal</b>" not in html and "True" not in html
    assert "修改检查对象" in log and 'placeholder="directory.target"' not in log
