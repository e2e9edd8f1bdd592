"""A generic importer for small lists (inspectors, items): ORM upsert by key with a per-row audit diff."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fairspot.accounts.selectors import department_lookup
from fairspot.audit.services import Change, record, record_many
from fairspot.core.importing import Importer, ImportReport
from fairspot.core.records import snapshot


@dataclass
class Parsed:
    key: str
    values: dict[str, Any]
    m2m: dict[str, list[int]] = field(default_factory=dict)
    lookup: dict[str, Any] = field(default_factory=dict)  # how to find the existing record
    extra: dict[str, Any] = field(default_factory=dict)  # importer-specific data not compared or saved as is


class DepartmentRule:
    """Records filed under a department: a department administrator imports into their own only.

    The importer's own department is the one given to the command (``--department``), else the actor's.
    """

    missing_department_message = gettext_lazy("Say which department the record belongs to.")
    options: dict[str, Any]

    def init_departments(self, actor) -> None:
        self.departments = department_lookup()
        self.sees_all = actor is None or actor.sees_all_departments
        self.own_department = self.options.get("department_id") or getattr(actor, "department_id", None)

    def department(self, text: str, ctx) -> int | None:
        """The department id named in a cell (code, name or short name), or the importer's own."""
        if not text:
            if self.own_department is None:
                ctx.error("department", self.missing_department_message)
            return self.own_department
        dept = self.departments.get(text)
        if dept is None:
            ctx.error("department", _("Unknown department “%(value)s”.") % {"value": text[:40]})
        elif not self.sees_all and dept != self.own_department:
            ctx.error("department", _("You may only import records of your own department."))
        return dept


class ModelImporter(DepartmentRule, Importer):
    model: type[models.Model]
    action_prefix: str = ""  # e.g. "inspectors.inspector"

    def __init__(self, *, actor, options=None):
        super().__init__(actor=actor, options=options)
        self.init_departments(actor)

    def may_change(self, obj: models.Model) -> str | None:
        """A reason why the actor may not change an existing record, or None."""
        if not self.sees_all and obj.department_id != self.own_department:
            return self.other_department_message(obj)
        return None

    def other_department_message(self, obj: models.Model) -> str:
        return _("This record belongs to another department.")

    def key(self, parsed: Parsed) -> str:
        return parsed.key

    def prepare_new(self, obj: models.Model, parsed: Parsed) -> None:
        """Hook: fill fields of a new record that are not compared on re-import."""

    def after_save(self, obj: models.Model, parsed: Parsed, created: bool, before: dict | None) -> None:
        """Hook for importers whose records carry history (item versions)."""

    def write(self, batch, report: ImportReport) -> None:
        changes: list[Change] = []
        for row_no, parsed in batch:
            obj = self.model.objects.filter(**parsed.lookup).first()
            if obj is not None:
                reason = self.may_change(obj)
                if reason:
                    report.add_error(row_no, None, reason)
                    continue
            if not report.ok:
                continue
            if obj is None:
                obj = self.model(**parsed.lookup, **parsed.values)
                self.prepare_new(obj, parsed)
                obj.save()
                for name, ids in parsed.m2m.items():
                    getattr(obj, name).set(ids)
                self.after_save(obj, parsed, True, None)
                report.created += 1
                changes.append(
                    Change(
                        action=f"{self.action_prefix}.created",
                        obj=obj,
                        changes=_all(snapshot(obj)),
                        data={"import_sha256": report.sha256},
                    )
                )
                continue
            before = snapshot(obj)
            for name, value in parsed.values.items():
                setattr(obj, name, value)
            obj.save()
            for name, ids in parsed.m2m.items():
                getattr(obj, name).set(ids)
            after = snapshot(obj)
            diff = {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
            if diff:
                self.after_save(obj, parsed, False, before)
                report.updated += 1
                changes.append(
                    Change(
                        action=f"{self.action_prefix}.changed",
                        obj=obj,
                        changes=diff,
                        data={"import_sha256": report.sha256},
                    )
                )
            else:
                report.unchanged += 1
        if changes and report.ok:
            record_many(self.actor, changes)

    def finish(self, report: ImportReport) -> None:
        record(
            self.actor,
            f"{self.action_prefix}s.imported",
            object_type=self.model._meta.label_lower,
            object_repr=report.file_name,
            department_id=getattr(self.actor, "department_id", None),
            data=report.as_dict(),
        )


def _all(values: dict[str, Any]) -> dict[str, list]:
    return {k: [None, v] for k, v in values.items()}
