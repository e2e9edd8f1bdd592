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
