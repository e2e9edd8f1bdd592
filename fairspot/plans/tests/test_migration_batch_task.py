"""Moving the batch ↔ task link from draws.Task.batch to plans.BatchTask loses no link (and back)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BEFORE = [("draws", "0006_experts_on_teams"), ("plans", "0001_initial")]
AFTER = [("draws", "0007_task_batch_moves_to_plans"), ("plans", "0002_batch_task")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """Going back to BEFORE unapplies every later migration of these apps (and of the apps that depend
    on them): whatever the test did, leave the database at the latest migrations for the tests after."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_links_survive_the_move_and_the_way_back(departments, market_admin):
    apps = _migrate(BEFORE)
    Plan, Batch, Task = (
        apps.get_model(*m) for m in (("plans", "Plan"), ("plans", "Batch"), ("draws", "Task"))
    )
    plan = Plan.objects.create(
        year=2026,
        code="P-1",
        title="计划",
        department_id=market_admin.department_id,
        created_by_id=market_admin.pk,
    )
    batch = Batch.objects.create(
        plan=plan, number=1, name="第一批", start_date=date(2026, 3, 1), end_date=date(2026, 3, 31)
    )

    def task(code, **kw):
        return Task.objects.create(
            code=code,
            title=code,
            department_id=market_admin.department_id,
            created_by_id=market_admin.pk,
            inspection_date=date(2026, 3, 2),
            ratio=Decimal("0.05"),
            **kw,
        )

    linked, alone = task("T-1", batch=batch), task("T-2")
    apps = _migrate(AFTER)
    BatchTask = apps.get_model("plans", "BatchTask")
    assert list(BatchTask.objects.values_list("task_id", "batch_id")) == [(linked.pk, batch.pk)]
    assert not BatchTask.objects.filter(task_id=alone.pk).exists()
    apps = _migrate(BEFORE)
    Task = apps.get_model("draws", "Task")
    assert (
        Task.objects.get(pk=linked.pk).batch_id == batch.pk and Task.objects.get(pk=alone.pk).batch_id is None
    )
    _migrate(AFTER)
