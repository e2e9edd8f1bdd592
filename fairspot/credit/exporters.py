"""XLSX/CSV exports of class lists, class history and annual reports (staff only)."""

from collections.abc import Iterator

from fairspot.credit.columns import CLASS_COLUMNS, REPORT_COLUMNS
from fairspot.credit.models import ReportStatus
from fairspot.credit.selectors import reason_rows, rule_words

EXTRA_CLASS_HEADER = ["内部分类", "风险分值", "抽查使用的分类", "计算时间", "理由"]
REPORT_WORDS = {ReportStatus.FILED: "已报送", ReportStatus.ZERO: "零申报", ReportStatus.MISSING: "未报送"}


def class_header() -> list[str]:
    return [c.labels[0] for c in CLASS_COLUMNS] + EXTRA_CLASS_HEADER


def _reasons(reasons: list[dict]) -> str:
    return "；".join(f"{r['title']}（{r['points']}）" for r in reason_rows(reasons))


def class_rows(qs) -> Iterator[list]:
    for s in qs.iterator(2000):
        yield [
            s.target.identifier,
            s.imported_class,
            s.imported_on.isoformat() if s.imported_on else "",
            s.imported_source,
            s.internal_class,
            s.score,
            s.effective_class,
            s.computed_at.strftime("%Y-%m-%d %H:%M") if s.computed_at else "",
            _reasons(s.reasons),
        ]


def report_header() -> list[str]:
    return [c.labels[0] for c in REPORT_COLUMNS]


def report_rows(qs) -> Iterator[list]:
    for r in qs.iterator(2000):
        yield [r.target.identifier, r.year, REPORT_WORDS.get(r.status, r.status)]


HISTORY_HEADER = ["统一社会信用代码", "名称", "时间", "原分类", "新分类", "依据", "风险分值", "证据"]


def history_rows(qs) -> Iterator[list]:
    for c in qs.iterator(2000):
        evidence = "；".join(
            f"{r['title']}：{'、'.join(str(e) for e in r['evidence'])}" for r in reason_rows(c.evidence)
        )
        yield [
            c.target.identifier,
            c.target.name,
            c.changed_at.strftime("%Y-%m-%d %H:%M"),
            c.old_class,
            c.new_class,
            "；".join(rule_words(c.rule)),
            "" if c.score is None else c.score,
            evidence,
        ]
