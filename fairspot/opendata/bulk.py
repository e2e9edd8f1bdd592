"""Bulk downloads under ``MEDIA_ROOT/opendata/``: all published results as CSV and XLSX, in the open-data
columns and in the national publicity system's result fields; the published annual plans (one row per
plan item, ``published-plans``); plus ``manifest.json``.

Each file is written to a temporary name in the same folder and moved into place (``os.replace``), the
manifest last, so a reader never sees half a file. An XLSX sheet holds at most 1,048,576 rows: above
``XLSX_MAX_ROWS`` the workbook is split into ``…-2.xlsx``, ``…-3.xlsx``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from fairspot.lib.export import write_csv, write_xlsx
from fairspot.opendata import selectors
from fairspot.opendata.fields import NATIONAL_FIELDS, OPEN_FIELDS, header, values
from fairspot.plans.selectors import published_entries

XLSX_MAX_ROWS = 1_000_000
MANIFEST = "manifest.json"
DATASETS = [
    ("published-results", OPEN_FIELDS, "Published results, open-data columns"),
    ("gsxt-results", NATIONAL_FIELDS, "Published results, national publicity system fields"),
]


PLANS = "published-plans"
PLAN_HEADER = [
    "year",
    "plan_code",
    "plan_title",
    "plan_kind",
    "version",
    "lead_department",
    "participating_departments",
    "item_code",
    "item_name",
    "item_department",
    "item_type",
    "ratio",
    "ratio_cap",
    "batches",
]


def _plan_rows():
    """One row per item of every published plan (its published version), batches in one cell."""
    for entry in published_entries():
        c = entry.content
        batches = "；".join(f"{b['name']} {b['start_date']}–{b['end_date']}" for b in c["batches"])
        others = "；".join(d["name"] for d in c["participating_departments"])
        for i in c["items"]:
            yield [
                c["year"],
                c["code"],
                c["title"],
                c["kind"],
                entry.version.version,
                c["department"]["name"],
                others,
                i["code"],
                i["name"],
                i["department_name"],
                i["item_type"],
                i["ratio"],
                i["ratio_cap"] or "",
                batches,
            ]


def opendata_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "opendata"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _atomic(dest: Path, name: str, write) -> dict:
    final = dest / name
    temporary = dest / f".{name}.{os.getpid()}.tmp"
    try:
        rows = write(temporary)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    return {"name": name, "rows": rows, "size": final.stat().st_size, "sha256": _sha256(final)}


def _rows(fields, start=0, stop=None):
    return (values(fields, row) for row in itertools.islice(selectors.all_rows(), start, stop))


def build(dest: Path | None = None) -> dict:
    """Write every file and the manifest; return the manifest."""
    dest = dest or opendata_dir()
    dest.mkdir(parents=True, exist_ok=True)
    files = []
    for base, fields, description in DATASETS:
        head = header(fields)
        entry = _atomic(dest, f"{base}.csv", lambda p, f=fields, h=head: write_csv(p, h, _rows(f)))
        files.append({**entry, "format": "csv", "description": description})
        part = 0
        while True:
            start = part * XLSX_MAX_ROWS
            name = f"{base}.xlsx" if part == 0 else f"{base}-{part + 1}.xlsx"

            def write(path, f=fields, h=head, s=start):
                return write_xlsx(path, h, _rows(f, s, s + XLSX_MAX_ROWS), sheet_title="results")

            entry = _atomic(dest, name, write)
            files.append({**entry, "format": "xlsx", "description": description})
            part += 1
            if entry["rows"] < XLSX_MAX_ROWS:
                break
    description = "Published annual plans, one row per plan item"
    for fmt, writer in (("csv", write_csv), ("xlsx", write_xlsx)):
        entry = _atomic(dest, f"{PLANS}.{fmt}", lambda p, w=writer: w(p, PLAN_HEADER, _plan_rows()))
        files.append({**entry, "format": fmt, "description": description})
    manifest = {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "rows": files[0]["rows"],
        "files": files,
    }
    temporary = dest / f".{MANIFEST}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, dest / MANIFEST)
    keep = {f["name"] for f in files} | {MANIFEST}
    for stale in dest.iterdir():
        if stale.is_file() and stale.name not in keep and not stale.name.startswith("."):
            stale.unlink()
    return manifest


def manifest() -> dict | None:
    try:
        return json.loads((opendata_dir() / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
