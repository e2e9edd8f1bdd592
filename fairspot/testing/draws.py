"""Draws in tests: a ceremony source, its value, a task on an item, officers confirming the value."""

from datetime import date
from decimal import Decimal

from fairspot.draws import services

CEREMONY = {
    "name": "ceremony",
    "kind": "ceremony",
    "format": "^[0-9a-f]{32}$",
    "fallback": "abandon publicly",
}
VALUE = "00112233445566778899aabbccddeeff"


def make_task(actor, item, code="T-1", **kw):
    values = dict(
        code=code, title="第一批", inspection_date=date(2026, 12, 15), ratio=Decimal("0.2"), alternates=1
    )
    values.update(kw)
    return services.task_create(actor=actor, values=values, items=[item])


def confirm(draw, *users, value=VALUE, name="ceremony"):
    for user in users:
        services.source_enter(actor=user, draw=draw, name=name, value=value)


def key_item(departments, ratio: Decimal = Decimal("1")):
    """A key item of the market department, drawn at ``ratio`` (1: every target of the scope)."""
    from fairspot.items.models import CheckItem

    return CheckItem.objects.create(
        department=departments["market"],
        code="K9",
        name="重点",
        item_type="key",
        default_ratio=ratio,
        effective_from=date(2025, 1, 1),
    )


def only_one_active_target():
    """Cancel every target but the first active one (by identifier), which a ratio of 1 then draws."""
    from fairspot.directory.models import Target

    target = Target.objects.filter(status="active").order_by("identifier").first()
    Target.objects.exclude(pk=target.pk).update(status="cancelled")
    return target


def one_target_with_recusals(conflicted: int):
    """Leave one active target and recuse the first ``conflicted`` officers (by staff number) from it."""
    from fairspot.inspectors.models import Conflict, Inspector

    target = only_one_active_target()
    for inspector in Inspector.objects.order_by("staff_no")[:conflicted]:
        Conflict.objects.create(
            inspector=inspector,
            target=target,
            kind="relative",
            valid_from=date(2020, 1, 1),
            department=inspector.department,
        )
    return target
