"""Background work of the credit room, run by ``manage.py db_worker`` (see hub.periodic)."""

from django_tasks import task

from fairspot.credit.models import Recompute, RunStatus


@task()
def recompute_classes(run_id: str = "") -> dict:
    """Recompute every target's class: a run the office asked for, or (monthly) a new one."""
    from fairspot.credit.services import reap_stale_runs, recompute_run

    reap_stale_runs()
    if run_id:
        run = Recompute.objects.get(pk=run_id)
    elif Recompute.objects.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).exists():
        return {"skipped": "a recomputation is already under way"}
    else:
        run = Recompute.objects.create()
    run = recompute_run(run)
    return {"status": run.status, "targets": run.total, "changed": run.changed}
