"""Where a target draw is computed at its reveal: by the file engine, or inside PostgreSQL.

On PostgreSQL, a simple random (``srs``) draw of a population of at least ``FAIRSPOT_SQL_DRAW_MIN_ROWS``
targets is computed by the database (``fairspot.draws.sqldraw``): the committed ``population.csv`` is
copied into a temporary table, proved to be the committed population by its SHA-256 computed in SQL,
and only each stratum's smallest keys leave the database. The result, ``result.json`` and every file
of the bundle are the engine's byte for byte (tests); what changes is the reveal's memory, which no
longer grows with the population. Elsewhere (SQLite, πps, smaller populations, a database whose text
is not UTF-8, or the setting at 0 or below, its default) the engine draws, after checking the bundle
against the digest published at the commit (``fairspot.draw.verify.check_sealed``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from fairspot.draw import DrawError, reveal_bundle
from fairspot.draws import sqldraw
from fairspot.draws.models import Draw

ENGINE, DATABASE = "engine", "database"


def computes_in_database(draw: Draw) -> bool:
    least = settings.FAIRSPOT_SQL_DRAW_MIN_ROWS
    if least <= 0 or connection.vendor != "postgresql":
        return False
    if draw.task.design != "srs" or draw.population_size < least:
        return False
    try:
        sqldraw.require_postgresql()
    except DrawError:
        return False
    return True


def reveal_targets(draw: Draw, folder: Path, values: Mapping[str, Any]) -> tuple[dict, str]:
    """The revealed result of the target bundle in ``folder``, and where it was computed."""
    if computes_in_database(draw):
        return sqldraw.reveal_bundle_sql(folder, values), DATABASE
    return reveal_bundle(folder, values, manifest_digest=draw.manifest_digest), ENGINE
