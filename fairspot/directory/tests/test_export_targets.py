"""Exports write what an import reads back unchanged, and never a live formula."""

from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from fairspot.directory.importers import DB_FIELDS, TargetImporter
from fairspot.directory.models import SpecialLibrary, Target
from fairspot.testing.directory import row, uscc, write_csv

pytestmark = pytest.mark.django_db

COMPARED = [f for f in DB_FIELDS if f != "department_id"]


def snapshot() -> list[tuple]:
    return list(Target.objects.order_by("identifier").values_list(*COMPARED))


def import_file(path: Path, department) -> None:
    report = TargetImporter(actor=None, options={"department_id": department.pk}).run(path)
    assert report.ok, report.errors


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_is_unchanged(tmp_path, departments, fmt):
    SpecialLibrary.objects.create(code="TZSB", name="特种设备使用单位", department=departments["market"])
    rows = [
        row(),
        row(所属区域="南马庄社区居民委员会", 信用风险分类=""),
        row(主体类型="个体工商户", 成立日期=""),
    ]
    import_file(write_csv(tmp_path / "in.csv", rows), departments["market"])
    Target.objects.filter(identifier=rows[0][0]).first().libraries.add(SpecialLibrary.objects.get())
    before = snapshot()
    out = tmp_path / f"out.{fmt}"
    call_command("export_targets", str(out), "--format", fmt)
    Target.objects.all().delete()
    import_file(out, departments["market"])
    assert snapshot() == before
    assert Target.objects.get(identifier=rows[0][0]).libraries.count() == 1
    report = TargetImporter(actor=None, options={"department_id": departments["market"].pk}).run(out)
    assert (report.unchanged, report.updated, report.created) == (3, 0, 0)


def test_formula_looking_value_is_exported_as_text(tmp_path, departments):
    Target.objects.create(
        identifier=uscc(),
        name='=HYPERLINK("http://evil","点我")',
        entity_type="enterprise",
        department=departments["market"],
    )
    call_command("export_targets", str(tmp_path / "o.xlsx"))
    call_command("export_targets", str(tmp_path / "o.csv"))
    sheet = load_workbook(tmp_path / "o.xlsx").active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and not str(cell.value).startswith("=")
    text = (tmp_path / "o.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    Target.objects.all().delete()
    import_file(tmp_path / "o.csv", departments["market"])
    assert Target.objects.get().name == '=HYPERLINK("http://evil","点我")'


names = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(names, min_size=1, max_size=5), fmt=st.sampled_from(["csv", "xlsx"]))
def test_any_names_round_trip(tmp_path_factory, departments, names, fmt):
    Target.objects.all().delete()
    for name in names:
        Target.objects.create(
            identifier=uscc(), name=name, entity_type="enterprise", department=departments["market"]
        )
    before = snapshot()
    out = tmp_path_factory.mktemp("rt") / f"o.{fmt}"
    call_command("export_targets", str(out))
    Target.objects.all().delete()
    import_file(out, departments["market"])
    assert snapshot() == before
