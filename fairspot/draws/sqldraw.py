"""The ``srs`` target draw computed inside PostgreSQL (docs/scaling.md, "In the database").

The population lives in a temporary table ``fairspot_sqldraw_population (id, s0, s1, …)`` — the id and
the stratum values in ``stratify_by`` order, exactly the rows of the canonical population file. It is
loaded from the committed bundle's ``population.csv`` with ``COPY`` (:func:`load_population_file`, no
row is parsed in Python) or from row mappings (:func:`load_rows`, e.g. what
``fairspot.draws.population.freeze`` returns: the scoping and the exclusions with their reasons stay
in Python, where the rest of Fairspot computes them). Then, in SQL:

* the table is proved to be the committed population: the SHA-256 of the canonical population file,
  rebuilt with ``string_agg`` in id byte order, must equal the manifest's (:func:`population_digest`),
  and every stratum's rows and exclusions must equal the manifest's (:func:`check_strata`);
* each row's key is PostgreSQL's ``sha256()`` over the protocol's bytes (§5.7), LP(tag) ‖ seed ‖ id::

      int8send(26) || convert_to('fairspot-draw/1 target-key', 'UTF8')
        || decode(<seed hex>, 'hex') || convert_to(id, 'UTF8')

* ``row_number() over (partition by s0, s1, … order by key, id bytes)`` ranks each stratum, and only
  the m_h first rows of each stratum (m_h = min(N_h, n_h + alternates)) leave the database, read
  through a server-side cursor.

Seed, stratum sizes and documents are the engine's (``fairspot.draw.partitioned``), so the result and
the bundle files are the engine's byte for byte. Design ``pps`` is not drawn here.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections, transaction

from fairspot.draw.bundle import (
    INDEX_FILE,
    MANIFEST_FILE,
    POPULATION_FILE,
    RESULT_FILE,
    SOURCES_FILE,
    parse_index,
)
from fairspot.draw.canonical import parse_canonical_json
from fairspot.draw.errors import BundleError, DrawError, PopulationError
from fairspot.draw.partitioned import Selection, SrsPlan, revealed_files, srs_plan, srs_result
from fairspot.draw.seed import KEY_TAG, TWO_256

# SQL_NAMES: the only names put into SQL text are TABLE, EXCLUDED and the columns s0, s1, …; every value (ids,
# stratum values, seed, tag, limits, exclusions) travels as a query parameter or through COPY.
TABLE = "fairspot_sqldraw_population"
EXCLUDED = "fairspot_sqldraw_excluded"  # the manifest's exclusions, COPied, joined by id
WORK_MEM = "256MB"  # for the ranking query only (SET LOCAL): a province's strata sort in memory
FETCH = 5000  # rows per round trip of the server-side cursor
COPY_CHUNK = 1 << 20  # bytes of population.csv per COPY write


@dataclass(frozen=True)
class StagedPopulation:
    """The temporary population table on connection ``using``, with ``width`` stratum columns."""

    using: str
    width: int

    @property
    def columns(self) -> list[str]:
        return [f"s{j}" for j in range(self.width)]

    def cursor(self):
        return connections[self.using].cursor()


def require_postgresql(using: str = "default") -> None:
    """PostgreSQL with UTF-8 text: then ``COLLATE "C"`` orders ids by their UTF-8 bytes (§5.7's tie rule)."""
    vendor = connections[using].vendor
    if vendor != "postgresql":
        raise DrawError(f"the in-database draw needs PostgreSQL, not {vendor}")
    with connections[using].cursor() as cur:
        cur.execute("SHOW server_encoding")
        encoding = cur.fetchone()[0]
    if encoding != "UTF8":
        raise DrawError(f"the in-database draw needs a UTF8 database, not {encoding}")


@contextmanager
def population_table(width: int, *, using: str = "default") -> Iterator[StagedPopulation]:
    """A fresh temporary table for ``width`` stratum columns, dropped on exit (in one transaction)."""
    require_postgresql(using)
    staged = StagedPopulation(using, width)
    cols = "".join(f', {c} text COLLATE "C" NOT NULL' for c in staged.columns)
    with transaction.atomic(using=using), staged.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cur.execute(f'CREATE TEMPORARY TABLE {TABLE} (id text COLLATE "C" NOT NULL{cols}) ON COMMIT DROP')
        try:
            yield staged
        finally:
            cur.execute(f"DROP TABLE IF EXISTS {TABLE}")


def _copy_sql(staged: StagedPopulation, options: str = "") -> str:
    return f"COPY {TABLE} ({', '.join(['id', *staged.columns])}) FROM STDIN{options}"


def load_rows(staged: StagedPopulation, rows: Iterable[Mapping[str, Any]], stratify_by: list[str]) -> int:
    """Append row mappings (``id`` and the ``stratify_by`` columns) with COPY; returns the count."""
    if len(stratify_by) != staged.width:
        raise DrawError(f"the table has {staged.width} stratum columns, not {len(stratify_by)}")
    count = 0
    with staged.cursor() as cur, cur.copy(_copy_sql(staged)) as copy:
        for row in rows:
            copy.write_row([row["id"], *(row[c] for c in stratify_by)])
            count += 1
    return count


def load_population_file(staged: StagedPopulation, path: str | Path) -> None:
    """Stream a canonical ``population.csv`` into the table (PostgreSQL parses it, in CSV mode).

    The canonical file quotes exactly as PostgreSQL's CSV reader expects; :func:`population_digest`
    afterwards proves that what was read is what the file says."""
    sql = _copy_sql(staged, " WITH (FORMAT csv, HEADER true)")
    with Path(path).open("rb") as fh, staged.cursor() as cur, cur.copy(sql) as copy:
        while chunk := fh.read(COPY_CHUNK):
            copy.write(chunk)


def _csv_field(column: str) -> str:
    """SQL for the canonical CSV field (§5.2): quoted, with " doubled, only when it holds , or "."""
    return (
        f"CASE WHEN strpos({column}, ',') > 0 OR strpos({column}, '\"') > 0 "
        f"THEN '\"' || replace({column}, '\"', '\"\"') || '\"' ELSE {column} END"
    )


def population_digest(staged: StagedPopulation, columns: list[str]) -> str:
    """SHA-256 (hex) of the canonical population file the table holds, computed by PostgreSQL.

    ``columns`` is the file's header (the manifest's ``population.columns``). The file is built as one
    ``bytea`` (PostgreSQL's limit: 1 GB, some 20 million rows of 50 bytes)."""
    header = (",".join(columns) + "\n").encode("utf-8")
    line = " || ',' || ".join(["id", *(_csv_field(c) for c in staged.columns)])
    lines = f"string_agg(convert_to({line} || E'\\n', 'UTF8'), ''::bytea ORDER BY convert_to(id, 'UTF8'))"
    sql = f"SELECT encode(sha256(decode(%s, 'hex') || coalesce({lines}, ''::bytea)), 'hex') FROM {TABLE}"  # noqa: S608 - see SQL_NAMES
    with staged.cursor() as cur:
        cur.execute(sql, [header.hex()])
        return cur.fetchone()[0]


def strata_counts(
    staged: StagedPopulation, excluded: Iterable[bytes]
) -> dict[tuple[str, ...], tuple[int, int]]:
    """Per stratum: (rows, rows whose id is in ``excluded``)."""
    out_ids = [i.decode("ascii") for i in excluded]
    cols = [*staged.columns]
    select = ", ".join([*cols, "count(*)", "count(*) FILTER (WHERE id = ANY(%s::text[]))"])
    group = f" GROUP BY {', '.join(cols)}" if cols else ""
    sql = f"SELECT {select} FROM {TABLE}{group}"  # noqa: S608 - see SQL_NAMES
    with staged.cursor() as cur:
        cur.execute(sql, [out_ids])
        return {tuple(row[: staged.width]): (row[-2], row[-1]) for row in cur.fetchall() if row[-2]}


def check_strata(staged: StagedPopulation, manifest: Mapping[str, Any], excluded: Iterable[bytes]) -> None:
    """Refuse unless the table's strata, rows and exclusions are the manifest's."""
    excluded = list(excluded)
    found = strata_counts(staged, excluded)
    wanted = {tuple(e["stratum"]): (e["rows"], e["excluded"]) for e in manifest["strata"]}
    if found != wanted:
        diff = sorted(set(found.items()) ^ set(wanted.items()))[:3]
        raise PopulationError(f"the population table's strata differ from the manifest's: {diff}")
    if sum(e for _, e in found.values()) != len(excluded):
        raise PopulationError("an exclusion names an id that is not in the population table")


def _ranked_sql(staged: StagedPopulation) -> str:
    cols = staged.columns
    part = f"PARTITION BY {', '.join(cols)} " if cols else ""
    limit_cols = ", ".join([*cols, "m", "t"])
    limit_args = ", ".join([*("%s::text[]" for _ in cols), "%s::int[]", "%s::text[]"])
    on = " AND ".join(f"p.{c} = l.{c}" for c in cols) or "TRUE"
    select = ", ".join([*cols, "id", "key"])
    order = ", ".join([*cols, "rank"])
    prefix = (
        "SELECT int8send(octet_length(convert_to(%s, 'UTF8'))::int8)"
        " || convert_to(%s, 'UTF8') || decode(%s, 'hex') AS bytes"
    )
    key = "sha256(prefix.bytes || convert_to(p.id, 'UTF8'))"
    limits = f"SELECT * FROM unnest({limit_args}) AS l({limit_cols})"  # noqa: S608 - see SQL_NAMES
    keyed = (
        f"SELECT p.*, k.key, l.m FROM {TABLE} p JOIN limits l ON {on} CROSS JOIN prefix"  # noqa: S608
        f" CROSS JOIN LATERAL (SELECT {key} AS key) k"
        " WHERE (l.t IS NULL OR k.key < decode(l.t, 'hex'))"
        f" AND NOT EXISTS (SELECT 1 FROM {EXCLUDED} x WHERE x.id = p.id)"
    )
    ranked = f"SELECT keyed.*, row_number() OVER ({part}ORDER BY key, id) AS rank FROM keyed"  # noqa: S608
    pick = f"SELECT {select} FROM ranked WHERE rank <= m ORDER BY {order}"  # noqa: S608 - see SQL_NAMES
    return f"WITH prefix AS ({prefix}), limits AS ({limits}), keyed AS ({keyed}), ranked AS ({ranked}) {pick}"


def _threshold(m: int, rows: int, excluded: int) -> str | None:
    """As the engine's ``smallest_keys``: a key bound that m + excluded rows very likely undercut."""
    if 4 * m >= rows:
        return None
    expect = m + excluded + 8 * math.sqrt(m) + 32  # a float only chooses the fast path
    return min(TWO_256 - 1, int(TWO_256 * (expect / rows))).to_bytes(32, "big").hex()


def smallest_keys_sql(
    staged: StagedPopulation,
    seed: bytes,
    limits: Mapping[tuple[str, ...], int],
    excluded: Iterable[bytes],
    sizes: Mapping[tuple[str, ...], tuple[int, int]] | None = None,
) -> Selection:
    """Per stratum, the ``limits[stratum]`` smallest (key, id) pairs of the rows not excluded, ascending
    — what the engine's ``smallest_keys`` returns — ranked by PostgreSQL.

    ``sizes`` (stratum → rows, excluded) only speeds it up, as in the engine: the database ranks only
    keys below a bound that m rows very likely undercut; a stratum left short is ranked again in
    full, so the answer is exact whatever the hint."""
    excluded = [i.decode("ascii") for i in excluded]
    out: Selection = {k: [] for k in limits}
    todo = {k: _threshold(m, *sizes[k]) if sizes and k in sizes else None for k, m in limits.items() if m > 0}
    while todo:
        found = _rank(staged, seed, {k: (limits[k], t) for k, t in todo.items()}, excluded)
        short = {k for k, t in todo.items() if t is not None and len(found.get(k, [])) < limits[k]}
        out.update({k: v for k, v in found.items() if k not in short})
        todo = dict.fromkeys(short)
    return out


def _rank(staged, seed: bytes, strata: dict, excluded: list[str]) -> Selection:
    params: list[Any] = [KEY_TAG, KEY_TAG, seed.hex()]
    params += [[k[j] for k in strata] for j in range(staged.width)]
    params += [[m for m, _ in strata.values()], [t for _, t in strata.values()]]
    out: Selection = {}
    width = staged.width
    with transaction.atomic(using=staged.using), connections[staged.using].chunked_cursor() as cur:
        _stage_excluded(staged, excluded)
        with staged.cursor() as plain:
            plain.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
        cur.execute(_ranked_sql(staged), params)
        while rows := cur.fetchmany(FETCH):
            for row in rows:
                out.setdefault(tuple(row[:width]), []).append(
                    (bytes(row[width + 1]), row[width].encode("utf-8"))
                )
    return out


def _stage_excluded(staged: StagedPopulation, excluded: list[str]) -> None:
    """The excluded ids in a temporary table (dropped at commit), COPied: a list of millions of ids as
    one array parameter made PostgreSQL parse and test it row by row."""
    with staged.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {EXCLUDED}")
        cur.execute(f'CREATE TEMPORARY TABLE {EXCLUDED} (id text COLLATE "C" PRIMARY KEY) ON COMMIT DROP')
        with cur.copy(f"COPY {EXCLUDED} (id) FROM STDIN") as copy:
            for ident in excluded:
                copy.write_row((ident,))
        cur.execute(f"ANALYZE {EXCLUDED}")


def draw_sql(
    staged: StagedPopulation, manifest: Mapping[str, Any], sources: Mapping[str, Any]
) -> dict[str, Any]:
    """The result document of an ``srs`` draw whose population is in the table; equal to what
    ``fairspot.draw.draw(manifest, population, sources)`` returns."""
    return srs_result(*_plan_and_select(staged, manifest, sources))


def _plan_and_select(staged, manifest, sources) -> tuple[SrsPlan, Selection]:
    plan = srs_plan(manifest, sources)
    if staged.width != len(plan.stratify_by):
        raise DrawError(f"the table has {staged.width} stratum columns, the spec {len(plan.stratify_by)}")
    digest = population_digest(staged, manifest["population"]["columns"])
    if digest != manifest["population"]["sha256"]:
        raise PopulationError("the population table is not the committed population", where=TABLE)
    check_strata(staged, manifest, plan.excluded)
    sizes = {tuple(e["stratum"]): (e["rows"], e["excluded"]) for e in manifest["strata"]}
    return plan, smallest_keys_sql(staged, plan.seed, plan.limits, plan.excluded, sizes)


def reveal_bundle_sql(directory: str | Path, sources: Mapping[str, Any], *, using: str = "default") -> dict:
    """Reveal a committed ``srs`` bundle with the draw computed in PostgreSQL: writes ``sources.json``,
    ``result.json`` and the index exactly as ``fairspot.draw.reveal_bundle`` does."""
    root = Path(directory)
    names = sorted(p.name for p in root.iterdir())
    if SOURCES_FILE in names or RESULT_FILE in names:
        raise BundleError("this draw has already been revealed; a draw is revealed once", where=str(root))
    if names != sorted([INDEX_FILE, MANIFEST_FILE, POPULATION_FILE]):
        raise BundleError(f"a committed target bundle holds exactly {MANIFEST_FILE}, {POPULATION_FILE}")
    index = parse_index((root / INDEX_FILE).read_bytes())
    manifest_bytes = (root / MANIFEST_FILE).read_bytes()
    population_sha = _file_sha256(root / POPULATION_FILE)
    hashes = {MANIFEST_FILE: hashlib.sha256(manifest_bytes).hexdigest(), POPULATION_FILE: population_sha}
    if index != hashes:
        raise BundleError("the files do not match the index", where=INDEX_FILE)
    manifest = parse_canonical_json(manifest_bytes)
    if manifest["population"]["sha256"] != population_sha:
        raise BundleError("population.csv does not match the manifest", where=POPULATION_FILE)
    with population_table(len(manifest["spec"]["stratify_by"]), using=using) as staged:
        load_population_file(staged, root / POPULATION_FILE)
        plan, selection = _plan_and_select(staged, manifest, sources)
    result = srs_result(plan, selection)
    new = revealed_files(plan, result)
    digests = {MANIFEST_FILE: index[MANIFEST_FILE], POPULATION_FILE: population_sha}
    digests.update({name: hashlib.sha256(data).hexdigest() for name, data in new.items()})
    for name, data in new.items():  # as add_to_bundle: each file atomically, the index last
        _write_atomic(root / name, data)
    _write_atomic(root / INDEX_FILE, "".join(f"{digests[n]}  {n}\n" for n in sorted(digests)).encode())
    return result


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(COPY_CHUNK):
            h.update(chunk)
    return h.hexdigest()
