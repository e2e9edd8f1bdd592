"""Open cases keep their targets out of routine draws for the same matter (reason ``open_case``).

A target with an open lead (received, assigned or being handled) whose check item is one of the task's
items is being dealt with already; drawing it at random for the same item would mean a second visit
about the same thing. A special inspection made from those leads is the exception: its leads' targets
are the point of it and stay in its population.
"""

from fairspot.cases.models import OPEN_STATUSES, Lead

REASON = "open_case"


def open_case_exclusions(task) -> dict[int, str]:
    item_ids = list(task.items.values_list("pk", flat=True))
    if not item_ids:
        return {}
    open_leads = Lead.objects.filter(status__in=OPEN_STATUSES, target__isnull=False, item_id__in=item_ids)
    targets = set(open_leads.values_list("target_id", flat=True))
    if targets and task.pk:
        targets -= set(Lead.objects.filter(special_tasks=task).values_list("target_id", flat=True))
    return dict.fromkeys(targets, REASON)
