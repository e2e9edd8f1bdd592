"""Property tests of every importer: whatever the file holds, the import either succeeds or reports
errors with a row and a reason and writes nothing — never an exception, never a partial write."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairspot.accounts.models import User
from fairspot.audit.models import AuditEntry
from fairspot.core.registry import registry

pytestmark = pytest.mark.django_db

KINDS = [kind for kind, spec in registry().items() if spec.importer is not None]
NASTY = st.sampled_from(
    [
        "",
        " ",
        "=1+1",
        "@SUM(A1)",
        "-",
        "0",
        "-1",
        "1e309",
        "2021-02-30",
        "9999-12-31",
        "NULL",
        "\u202e",
        "\x00",
        "'",
        '"',
        "\n",
        "测试" * 200,
        "91410700MA3X0000X0",
        "410771360001",
        "是",
        "否",
        "C",
        "abc",
    ]
)
CELL = st.one_of(NASTY, st.text(max_size=40))


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            if table.startswith("django_"):
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from introspection
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def demo_rows(settings, tmp_path):
    """Valid rows of every list, as the export writes them (the demo district, small)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--targets", "20", verbosity=0)
    office = User.objects.get(username="office")
    rows = {}
    for kind in KINDS:
        spec = registry()[kind]
        rows[kind] = (
            spec.header(),
            [list(map(str, r)) for r, _ in zip(spec.rows(spec.queryset(office)), range(30), strict=False)],
        )
    return office, rows


@st.composite
def files(draw, header_and_rows):
    header, valid = header_and_rows
    header = list(header)
    if draw(st.integers(0, 4)) == 0 and len(header) > 1:
        del header[draw(st.integers(0, len(header) - 1))]
    if draw(st.integers(0, 9)) == 0:
        header.append(draw(st.sampled_from(["备注", "", header[0]])))
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        row = list(draw(st.sampled_from(valid))) if valid else [""] * len(header)
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 3]))):
            if row:
                row[draw(st.integers(0, len(row) - 1))] = draw(CELL)
        rows.append(row[: len(header) + draw(st.sampled_from([0, 0, 0, -1, 1]))])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "replace")


@pytest.mark.parametrize("kind", KINDS)
def test_any_file_imports_fully_or_not_at_all(kind, demo_rows, tmp_path):
    office, rows = demo_rows
    spec = registry()[kind]

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=files(rows[kind]))
    def check(data):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(data)
        before, audit_before = _row_counts(), AuditEntry.objects.count()
        report = spec.importer(actor=office, options={"max_bytes": 1 << 20}).run(path)
        if report.ok:
            assert AuditEntry.objects.count() > audit_before or _row_counts() == before
        else:
            assert _row_counts() == before and AuditEntry.objects.count() == audit_before
            assert report.errors and all(e.message for e in report.errors)

    check()
