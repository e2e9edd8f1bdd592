"""Working days and the publication deadline (the 20th working day after the end date, not counted).

Expected dates are counted by hand from the State Council's schedules (国务院办公厅关于节假日安排的通知):
2025 National Day + Mid-Autumn: Oct 1–8 off, make-up working days Sun Sep 28 and Sat Oct 11;
2026 New Year: Jan 1–3 off, make-up working day Sun Jan 4;
2026 Spring Festival: Feb 15 (Sun) – Feb 23 (Mon) off, make-up working days Sat Feb 14 and Sat Feb 28
(the chinesecalendar 1.11.0 data says the same, see test_package_data_matches_the_schedules).
"""

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairspot.core.errors import DomainError
from fairspot.holidays import services, workdays
from fairspot.holidays.models import CalendarDay, CalendarYear, DayKind
from fairspot.holidays.testing import enter_statutory_schedule
from fairspot.holidays.workdays import (
    CalendarNotCovered,
    add_working_days,
    add_working_days_marked,
    is_working_day,
    workday_calendar,
    working_days_between,
)

pytestmark = pytest.mark.django_db

PUBLICATION_DAYS = 20


def test_package_data_matches_the_schedules():
    off = {d for d in chinese_calendar.holidays if d.weekday() < 5}
    worked = set(chinese_calendar.workdays)
    national_day_2025 = [date(2025, 10, d) for d in (1, 2, 3, 6, 7, 8)]  # Oct 4–5 are a weekend anyway
    assert set(national_day_2025) <= off and {date(2025, 9, 28), date(2025, 10, 11)} <= worked
    spring_2026 = [date(2026, 2, d) for d in (16, 17, 18, 19, 20, 23)]  # Feb 15, 21, 22 are weekends
    assert set(spring_2026) <= off and {date(2026, 2, 14), date(2026, 2, 28)} <= worked
    assert not off & {date(2026, 2, 13), date(2026, 2, 24)}


def test_deadline_across_national_day_2025():
    # Inspection ends Fri 2025-09-26 (not counted). Counting working days:
    #   Sat 09-27 off (weekend)          Sun 09-28  1 (make-up working day)
    #   Mon 09-29  2   Tue 09-30  3      Wed 10-01 … Wed 10-08 off (National Day + Mid-Autumn)
    #   Thu 10-09  4   Fri 10-10  5      Sat 10-11  6 (make-up working day)   Sun 10-12 off
    #   Mon 10-13 … Fri 10-17  7–11      Mon 10-20 … Fri 10-24  12–16
    #   Mon 10-27 17   Tue 10-28 18      Wed 10-29 19   Thu 10-30 20
    # (Counting weekends only, it would wrongly be Fri 10-24.)
    assert add_working_days(date(2025, 9, 26), PUBLICATION_DAYS) == date(2025, 10, 30)


def test_deadline_from_a_make_up_day_and_from_inside_the_holiday():
    # Ends on the make-up Sunday 09-28 (not counted): 09-29 1, 09-30 2, 10-09 3, 10-10 4, 10-11 5,
    # 10-13…10-17 6–10, 10-20…10-24 11–15, 10-27…10-31 16–20.
    assert add_working_days(date(2025, 9, 28), PUBLICATION_DAYS) == date(2025, 10, 31)
    # Ends on Fri 10-03, a holiday: 10-09 1, 10-10 2, 10-11 3, 10-13…10-17 4–8, 10-20…10-24 9–13,
    # 10-27…10-31 14–18, Mon 11-03 19, Tue 11-04 20.
    assert add_working_days(date(2025, 10, 3), PUBLICATION_DAYS) == date(2025, 11, 4)


def test_deadline_across_spring_festival_2026():
    # Inspection ends Fri 2026-02-06 (not counted). Counting working days:
    #   Sat 02-07, Sun 02-08 off           Mon 02-09 … Fri 02-13  1–5
    #   Sat 02-14  6 (make-up working day)  Sun 02-15 … Mon 02-23 off (Spring Festival)
    #   Tue 02-24  7   Wed 02-25  8   Thu 02-26  9   Fri 02-27 10
    #   Sat 02-28 11 (make-up working day)  Sun 03-01 off
    #   Mon 03-02 … Fri 03-06 12–16          Sat 03-07, Sun 03-08 off
    #   Mon 03-09 17   Tue 03-10 18   Wed 03-11 19   Thu 03-12 20
    assert add_working_days(date(2026, 2, 6), PUBLICATION_DAYS) == date(2026, 3, 12)


def test_across_new_year_2026():
    # Ends Wed 2025-12-31: Thu 01-01, Fri 01-02, Sat 01-03 off; Sun 01-04 1 (make-up); Mon 01-05 2.
    assert add_working_days(date(2025, 12, 31), 2) == date(2026, 1, 5)
    assert is_working_day(date(2026, 1, 4)) and not is_working_day(date(2026, 1, 2))


def test_one_span_across_national_day_new_year_and_spring_festival():
    # From 2025-10-30 (the National Day deadline above, not counted) to 2026-02-06 inclusive:
    #   Fri 2025-10-31: 1; November 2025: 20 weekdays; December 2025: 23 weekdays;
    #   January 2026: 22 weekdays − Jan 1, Jan 2 + Sun Jan 4 = 21; Mon 02-02 … Fri 02-06: 5.  → 70.
    # So the 20 + 70 + 20 = 110th working day after 2025-09-26 is the Spring Festival deadline.
    assert working_days_between(date(2025, 10, 30), date(2026, 2, 6)) == 70
    assert add_working_days(date(2025, 9, 26), 110) == date(2026, 3, 12)
    assert working_days_between(date(2025, 9, 26), date(2026, 3, 12)) == 110


def test_agrees_with_chinese_calendar_on_every_covered_day():
    cal = workday_calendar()
    day, last = date(2004, 1, 1), date(2026, 12, 31)
    while day <= last:
        assert cal.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_small_cases_and_arguments():
    friday = date(2025, 11, 14)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(date(2025, 11, 15), 0) == date(2025, 11, 15)  # a Saturday stays itself
    assert add_working_days(friday, 1) == date(2025, 11, 17)
    assert add_working_days(date(2025, 11, 15), 1) == date(2025, 11, 17)
    assert add_working_days(datetime(2025, 9, 26, 17, 30), 20) == date(2025, 10, 30)
    assert working_days_between(friday, friday) == 0
    assert working_days_between(date(2025, 11, 17), friday) == -1
    with pytest.raises(ValueError):
        add_working_days(friday, -1)
    with pytest.raises(TypeError):
        add_working_days("2025-11-14", 1)
    with pytest.raises(TypeError):
        add_working_days(friday, 1.0)


def test_years_not_covered_are_counted_provisionally_never_refused():
    # December 2026 has no holiday: Thu 12-03 … Wed 12-30 are the 20 working days after Wed 12-02.
    assert add_working_days_marked(date(2026, 12, 2), 20) == (date(2026, 12, 30), False)
    # After Thu 12-10: 12-11, 12-14…18, 12-21…25, 12-28…31 (15), Fri 2027-01-01 元旦 off (statutory),
    # Mon 01-04 … Fri 01-08 (16–20): provisional, since 2027 is not covered.
    assert add_working_days_marked(date(2026, 12, 10), 20) == (date(2027, 1, 8), True)
    assert is_working_day(date(2027, 1, 4)) and not is_working_day(date(2027, 1, 1))
    assert working_days_between(date(2026, 12, 1), date(2027, 1, 1)) == 22
    assert add_working_days(date(2003, 12, 30), 1) == date(2003, 12, 31)
    assert add_working_days_marked(date(2026, 12, 31), 0) == (date(2026, 12, 31), False)
    with pytest.raises(CalendarNotCovered):
        add_working_days(date.max, 1)


def test_provisional_2027_and_2028_skip_the_statutory_holidays():
    # 春节 2027: 除夕 Fri 02-05, 初一 02-06 … 初三 Mon 02-08 — statutory days on Fri 02-05 and Mon 02-08.
    assert not is_working_day(date(2027, 2, 5)) and not is_working_day(date(2027, 2, 8))
    # From Wed 2027-02-03: Thu 02-04 (1), [02-05 … 02-08 off], Tue 02-09 … Fri 02-12 (2–5), 02-15… (6–).
    assert add_working_days_marked(date(2027, 2, 3), 5) == (date(2027, 2, 12), True)
    # 2028: 春节 除夕 Tue 01-25 … 初三 Fri 01-28 off; from Mon 01-24: Mon 01-31 is the 1st working day.
    assert add_working_days_marked(date(2028, 1, 24), 1) == (date(2028, 1, 31), True)
    # 国庆 2028: Sun 10-01 (weekend), Mon 10-02, Tue 10-03 off; 中秋 Tue 10-03 too.
    assert add_working_days(date(2028, 9, 29), 1) == date(2028, 10, 4)
    # 劳动节 2027: Sat 05-01 (weekend), Sun 05-02: no weekday lost; 清明 Mon 2027-04-05 off.
    assert not is_working_day(date(2027, 4, 5))


def test_the_provisional_rule_agrees_with_the_published_schedules():
    """Every statutory day of 2025 and 2026 is a day off in the State Council's real schedule."""
    from fairspot.holidays.statutory import statutory_holidays

    for year in (2025, 2026):
        days = statutory_holidays(year)
        assert len(days) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3
        assert all(not chinese_calendar.is_workday(d) for d in days)


def test_entering_and_covering_the_next_year_extends_the_calendar(office):
    services.day_create(
        actor=office, values={"date": date(2027, 1, 1), "kind": DayKind.HOLIDAY, "name": "元旦"}
    )
    # rows alone do not make a year covered; the deadline stays provisional
    assert add_working_days_marked(date(2026, 12, 10), 20) == (date(2027, 1, 8), True)
    enter_statutory_schedule(office, 2027)
    services.year_declare(actor=office, year=2027, note="国办发明电〔2026〕X号")
    # 12-11 1, 12-14…18 2–6, 12-21…25 7–11, 12-28…31 12–15, Fri 2027-01-01 off, Mon 01-04…Fri 01-08 16–20.
    assert add_working_days_marked(date(2026, 12, 10), 20) == (date(2027, 1, 8), False)


def test_a_malformed_schedule_is_refused_and_nothing_changes(office):
    with pytest.raises(DomainError, match="No holiday of 2027"):
        services.year_declare(actor=office, year=2027)
    # only 元旦 entered: the other statutory weekdays (e.g. 春节 2027-02-05) are missing
    services.day_create(
        actor=office, values={"date": date(2027, 1, 1), "kind": DayKind.HOLIDAY, "name": "元旦"}
    )
    with pytest.raises(DomainError, match="2027-02-05"):
        services.year_declare(actor=office, year=2027)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert add_working_days_marked(date(2026, 12, 10), 20)[1] is True


def test_a_manual_row_moves_the_deadline_and_the_cache_follows(office):
    start = date(2025, 9, 26)
    assert add_working_days(start, 20) == date(2025, 10, 30)
    local = services.day_create(
        actor=office,
        values={"date": date(2025, 10, 13), "kind": DayKind.HOLIDAY, "name": "区级停工日", "note": "测试"},
    )
    assert add_working_days(start, 20) == date(2025, 10, 31)  # one working day fewer before the 30th
    services.day_create(
        actor=office, values={"date": date(2025, 10, 18), "kind": DayKind.WORKDAY, "name": "补班"}
    )
    assert add_working_days(start, 20) == date(2025, 10, 30)
    services.day_delete(actor=office, day=local)
    assert add_working_days(start, 20) == date(2025, 10, 29)  # the extra Saturday alone pulls it in
    services.day_change(
        actor=office, day=CalendarDay.objects.get(date=date(2025, 10, 18)), values={"name": "调休补班"}
    )
    assert add_working_days(start, 20) == date(2025, 10, 29)


def test_the_cache_costs_one_check_per_call(django_assert_num_queries):
    add_working_days(date(2025, 9, 26), 20)
    with django_assert_num_queries(2):  # the two version checks, no reload
        assert add_working_days(date(2025, 9, 26), 20) == date(2025, 10, 30)
    cal = workday_calendar()
    with django_assert_num_queries(0):
        assert cal.add_working_days(date(2026, 2, 6), 20) == date(2026, 3, 12)
    workdays.clear_cache()
    with django_assert_num_queries(4):
        add_working_days(date(2025, 9, 26), 20)


# Property tests run on one snapshot of the seeded table (days up to 2026-09-30 leave room for n ≤ 40).
DAYS = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 9, 30))
COUNTS = st.integers(min_value=0, max_value=40)


def test_properties_of_add_working_days():
    cal = workday_calendar()

    @settings(max_examples=300, deadline=None)
    @given(DAYS, COUNTS)
    def check(start, n):
        result = cal.add_working_days(start, n)
        nxt = cal.add_working_days(start, n + 1)
        assert result < nxt  # strictly monotone in n
        if n == 0:
            assert result == start
        else:
            assert result > start and cal.is_working_day(result)
        assert cal.is_working_day(nxt)
        gap = result + timedelta(days=1)
        while gap < nxt:  # the (n+1)-th is the next working day after the n-th
            assert not cal.is_working_day(gap)
            gap += timedelta(days=1)
        assert cal.working_days_between(start, result) == n
        assert cal.working_days_between(result, start) == -n

    check()


def test_properties_of_working_days_between():
    cal = workday_calendar()

    @settings(max_examples=200, deadline=None)
    @given(DAYS, COUNTS, COUNTS, st.integers(min_value=0, max_value=60))
    def check(start, m, n, offset):
        middle = cal.add_working_days(start, m)
        assert cal.add_working_days(middle, n) == cal.add_working_days(start, m + n)
        a, b = start, start + timedelta(days=offset)
        c = b + timedelta(days=offset)
        between = cal.working_days_between
        assert between(a, b) + between(b, c) == between(a, c)
        assert 0 <= between(a, b) <= offset
        # the count agrees with the package, day by day
        assert between(a, b) == sum(
            chinese_calendar.is_workday(a + timedelta(days=k)) for k in range(1, offset + 1)
        )

    check()
