"""in_department / in_any_department: the office sees every department, the others their own only."""

from types import SimpleNamespace

from fairspot.accounts.scoping import in_any_department, in_department


def user(department_id, sees_all=False):
    return SimpleNamespace(department_id=department_id, sees_all_departments=sees_all)


def test_in_department():
    assert in_department(user(1), 1) and not in_department(user(1), 2)
    assert not in_department(user(None), None)  # no department owns nothing
    assert in_department(user(None, sees_all=True), 2)


def test_in_any_department():
    assert in_any_department(user(2), {1, 2}) and not in_any_department(user(3), [1, 2])
    assert not in_any_department(user(None), [None])
    assert in_any_department(user(None, sees_all=True), [])
