"""A test that commits for real (``transaction=True``) must also restore the data the migrations wrote
(``serialized_rollback=True``): its flush empties every table, and a later test that restores the
serialized data then finds content types recreated behind its back (UNIQUE constraint failed)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_transactional_test_restores_the_migrations_data():
    offenders = []
    for path in ROOT.rglob("test_*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            commits = re.search(r"django_db\([^)]*transaction=True", line)
            if commits and "serialized_rollback=True" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == []
