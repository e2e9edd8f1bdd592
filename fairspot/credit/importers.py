"""Imports of the credit room: classes from the credit system, and annual-report filings.

All or nothing (``core.importing``): an unknown 统一社会信用代码, an unknown class or a bad date is
reported with its row and column, and nothing is written.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.importing import Importer, ImportReport, RowContext
from fairspot.core.parsing import ParseError, parse_date
from fairspot.credit.columns import CLASS_COLUMNS, REPORT_COLUMNS
from fairspot.credit.models import AnnualReport, ReportStatus
from fairspot.credit.services import classes_import
from fairspot.directory.models import Target
from fairspot.lib.uscc import normalize_uscc

CLASS_WORDS = {
    "a": "A", "a类": "A", "低风险": "A", "信用风险低": "A",
    "b": "B", "b类": "B", "一般风险": "B", "信用风险一般": "B",
    "c": "C", "c类": "C", "较高风险": "C", "信用风险较高": "C",
    "d": "D", "d类": "D", "高风险": "D", "信用风险高": "D",
}  # fmt: skip
REPORT_WORDS = {
    "已报送": ReportStatus.FILED, "已年报": ReportStatus.FILED, "正常": ReportStatus.FILED,
    "filed": ReportStatus.FILED,
    "零申报": ReportStatus.ZERO, "全零": ReportStatus.ZERO, "数据全为零": ReportStatus.ZERO,
    "zero": ReportStatus.ZERO,
    "未报送": ReportStatus.MISSING, "未年报": ReportStatus.MISSING, "missing": ReportStatus.MISSING,
}  # fmt: skip
CODE_COLUMN = "统一社会信用代码"


class _TargetRows(Importer):
    """Rows keyed by a target's code; the codes are looked up per batch, unknown ones reported."""

    key_field = "identifier"

    def key(self, parsed: dict) -> str:
        return parsed["identifier"]

    def targets(self, batch, report: ImportReport) -> dict[str, int]:
        codes = [p["identifier"] for _row, p in batch]
        pks = dict(Target.objects.filter(identifier__in=codes).values_list("identifier", "pk"))
        for row, parsed in batch:
            if parsed["identifier"] not in pks:
                report.add_error(
                    row,
                    CODE_COLUMN,
                    _("No target with the code “%(code)s” in the directory.")
                    % {"code": parsed["identifier"]},
                )
        return pks

    def identifier(self, v: dict[str, str], ctx: RowContext) -> str:
        code = normalize_uscc(v["identifier"])
        if not code:
            ctx.error("identifier", _("The 统一社会信用代码 is required."))
        return code


class ClassImporter(_TargetRows):
    kind = "credit_classes"
    columns = CLASS_COLUMNS

    def parse(self, v: dict[str, str], ctx: RowContext) -> dict | None:
        code = self.identifier(v, ctx)
        cls = CLASS_WORDS.get(v["risk_class"].strip().lower().replace(" ", ""))
        if cls is None:
            ctx.error(
                "risk_class",
                _("“%(value)s” is not a credit-risk class: use A, B, C or D.")
                % {"value": v["risk_class"][:20]},
            )
        on = None
        try:
            on = parse_date(v["classified_on"])
            if on is None:
                ctx.error("classified_on", _("The date of the classification is required."))
        except ParseError as exc:
            ctx.error("classified_on", str(exc))
        source = v["source"].strip()
        if not source:
            ctx.error("source", _("Say where the class comes from (e.g. 国家企业信用信息公示系统)."))
        elif len(source) > 200:
            ctx.error("source", _("Longer than %(n)d characters.") % {"n": 200})
        return {"identifier": code, "class": cls, "on": on, "source": source}

    def write(self, batch, report: ImportReport) -> None:
        pks = self.targets(batch, report)
        if not report.ok:
            return
        changed = classes_import(
            [(pks[p["identifier"]], p["class"], p["on"], p["source"]) for _r, p in batch]
        )
        report.updated += changed
        report.unchanged += len(batch) - changed

    def finish(self, report: ImportReport) -> None:
        record(
            self.actor,
            "credit.classes.imported",
            None,
            data={
                "file": report.file_name,
                "sha256": report.sha256,
                "rows": report.rows,
                "changed": report.updated,
            },
        )


class AnnualReportImporter(_TargetRows):
    kind = "annual_reports"
    columns = REPORT_COLUMNS

    def parse(self, v: dict[str, str], ctx: RowContext) -> dict | None:
        code = self.identifier(v, ctx)
        year = None
        try:
            year = int(v["year"].strip().removesuffix("年"))
            if not 1990 <= year <= 2100:
                raise ValueError
        except ValueError:
            ctx.error("year", _("The year is a number such as 2025."))
        status = REPORT_WORDS.get(v["status"].strip().lower())
        if status is None:
            ctx.error("status", _("Write 已报送, 零申报 or 未报送."))
        return {"identifier": code, "year": year, "status": status}

    def key(self, parsed: dict) -> str:
        return f"{parsed['identifier']} {parsed['year']}"

    def write(self, batch, report: ImportReport) -> None:
        pks = self.targets(batch, report)
        if not report.ok:
            return
        rows = [
            AnnualReport(target_id=pks[p["identifier"]], year=p["year"], status=p["status"])
            for _r, p in batch
        ]
        AnnualReport.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["target", "year"], update_fields=["status"]
        )
        report.updated += len(rows)

    def finish(self, report: ImportReport) -> None:
        record(
            self.actor,
            "credit.reports.imported",
            None,
            data={"file": report.file_name, "sha256": report.sha256, "rows": report.rows},
        )
