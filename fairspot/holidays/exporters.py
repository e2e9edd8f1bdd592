"""Export of the working-day calendar (CSV/XLSX), with Chinese column names like the other lists."""

from collections.abc import Iterator

from django.db.models import QuerySet

from fairspot.holidays.models import CalendarDay, DayKind, Source

EXPORT_HEADER = ["日期", "星期", "类型", "名称", "来源", "备注"]
KIND_LABELS = {DayKind.HOLIDAY: "法定节假日", DayKind.WORKDAY: "调休上班日"}
SOURCE_LABELS = {Source.PACKAGE: "chinese-calendar", Source.MANUAL: "手工录入"}
WEEKDAYS = "一二三四五六日"


def export_header() -> list[str]:
    return list(EXPORT_HEADER)


def day_rows(qs: QuerySet[CalendarDay]) -> Iterator[list[str]]:
    for day in qs.order_by("date").iterator(chunk_size=2000):
        yield [
            day.date.isoformat(),
            f"星期{WEEKDAYS[day.date.weekday()]}",
            KIND_LABELS.get(day.kind, day.kind),
            day.name,
            SOURCE_LABELS.get(day.source, day.source),
            day.note,
        ]
