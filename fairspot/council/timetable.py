"""The backward timetable (倒排时间表): a ledger item's milestones counted back from its due date in
working days (the holiday calendar's, ``fairspot.holidays.workdays``).

The standard steps lie 20, 10 and 3 working days before the due date, and the completion report is due
on the due date itself. When the item starts later than 20 working days before its due date, the steps
are squeezed in proportion into the working days that are left, so none falls before the start.
"""

from __future__ import annotations

import datetime

from fairspot.council.ledger_models import MilestoneStage
from fairspot.holidays.workdays import WorkdayCalendar

ONE_DAY = datetime.timedelta(days=1)
# stage → working days before the due date
STEPS: list[tuple[str, int]] = [
    (MilestoneStage.PLAN, 20),
    (MilestoneStage.MIDWAY, 10),
    (MilestoneStage.SELF_CHECK, 3),
    (MilestoneStage.REPORT, 0),
]


def working_days_before(cal: WorkdayCalendar, due: datetime.date, n: int) -> datetime.date:
    """The n-th working day strictly before ``due`` (``due`` itself for n == 0)."""
    day = due
    while n > 0:
        day -= ONE_DAY
        if cal.is_working_day(day):
            n -= 1
    return day


def backward_timetable(
    cal: WorkdayCalendar, *, start: datetime.date, due: datetime.date, steps=STEPS
) -> list[tuple[str, datetime.date]]:
    """(stage, date) for each step, earliest first, none before ``start`` (a day of the plan's making)."""
    available = max(cal.working_days_between(start, due), 0)
    longest = max(offset for _stage, offset in steps) or 1
    scale = min(1.0, available / longest)
    plan = []
    for stage, offset in steps:
        back = int(offset * scale)
        plan.append((stage, max(working_days_before(cal, due, back), min(start, due))))
    return sorted(plan, key=lambda pair: pair[1])
