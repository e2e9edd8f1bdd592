"""Import of the target directory from CSV/XLSX (all or nothing; re-import updates by key).

TargetImporter puts together parsing (:mod:`fairspot.directory.import_parsing`), the fast path
(:mod:`fairspot.directory.import_fast`) and writing (:mod:`fairspot.directory.import_writing`).
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext_lazy

from fairspot.accounts.model_import import DepartmentRule
from fairspot.core.importing import Importer, ImportReport
from fairspot.directory.columns import TARGET_COLUMNS
from fairspot.directory.import_fast import TargetFastParsing
from fairspot.directory.import_parsing import (
    DB_FIELDS,
    ENTITY_TYPES,
    INSERT_FIELDS,
    MAX_LENGTHS,
    OTHER_IDENTIFIER,
    RISK_CLASSES,
    SOURCE_FIELDS,
    STATUSES,
    TargetParsing,
    warm_industry_lookups,
)
from fairspot.directory.import_writing import TargetWriting
from fairspot.directory.models import SpecialLibrary
from fairspot.reference.selectors import region_lookup

__all__ = [
    "DB_FIELDS",
    "ENTITY_TYPES",
    "INSERT_FIELDS",
    "MAX_LENGTHS",
    "OTHER_IDENTIFIER",
    "RISK_CLASSES",
    "SOURCE_FIELDS",
    "STATUSES",
    "TargetImporter",
]


class TargetImporter(TargetParsing, TargetFastParsing, TargetWriting, DepartmentRule, Importer):
    kind = "targets"
    columns = TARGET_COLUMNS
    key_field = "identifier"
    missing_department_message = gettext_lazy("Say which department maintains the record.")
    parse_in_worker = True  # the look-ups below are loaded in __init__; parsing needs no database

    def __init__(self, *, actor, options=None):
        super().__init__(actor=actor, options=options)
        self.regions = region_lookup()
        libraries = list(SpecialLibrary.objects.values_list("id", "name", "code"))
        self.libraries = {n: i for i, n, c in libraries} | {c: i for i, n, c in libraries}
        self.init_departments(actor)
        self.present: tuple[str, ...] = ()
        self.today = date.today()
        self.now = timezone.now()
        self.now_text = self.now.isoformat(" ")  # as Django's SQLite adapter writes it; PostgreSQL parses it
        warm_industry_lookups()
        self._empty_at_start = False
        self._bulk = False
        self._pending: list[tuple] = []  # new rows not yet written (table empty at the start)
        self._dropped_indexes: list[tuple[str, str]] = []
        self._immediate: list[str] = []
        self._sqlite_cache: int | None = None

    # --- columns present; the run ---------------------------------------------------------------
    def bind_columns(self, present: set[str]) -> None:
        self.present_columns = present
        fields = {"identifier"}
        for column in present:
            fields.update(SOURCE_FIELDS.get(column, ()))
        self.present = tuple(f for f in DB_FIELDS if f in fields)

    present_columns: set[str] = frozenset()

    def run(self, path, **kwargs) -> ImportReport:
        try:
            return super().run(path, **kwargs)
        finally:
            if self._sqlite_cache is not None:  # the connection outlives the import: give back its cache
                with suppress(DatabaseError), connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA cache_size = {int(self._sqlite_cache)}")
                self._sqlite_cache = None
