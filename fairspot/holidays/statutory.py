"""Statutory public holidays (法定节假日) of a year, from the law alone, for provisional deadlines.

《全国年节及纪念日放假办法》 as revised in 2024 (effective 2025-01-01) gives every citizen these days off:
元旦 1 day (1 January), 春节 4 days (除夕 to 正月初三), 清明节 1 day (the 清明 solar term), 劳动节 2 days
(1–2 May), 端午节 1 day (五月初五), 中秋节 1 day (八月十五), 国庆节 3 days (1–3 October).

The State Council's yearly schedule adds bridge days and make-up working days (调休) that cannot be
predicted; a year whose schedule has not been entered is therefore counted *provisionally*: weekends and
these statutory days are days off, every other day is a working day. The lunar dates and the solar
term come from ``lunar-python``. Plain Python: no Django.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from lunar_python import Lunar

ONE_DAY = datetime.timedelta(days=1)

FIXED = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))


def _solar(lunar_solar) -> datetime.date:
    return datetime.date(lunar_solar.getYear(), lunar_solar.getMonth(), lunar_solar.getDay())


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """The statutory days off that fall in ``year`` (Gregorian)."""
    days = {datetime.date(year, month, day) for month, day in FIXED}
    # 春节 of the lunar year that begins in this Gregorian year: 除夕 (the day before) to 初三.
    new_year = _solar(Lunar.fromYmd(year, 1, 1).getSolar())
    days.update(new_year + offset * ONE_DAY for offset in (-1, 0, 1, 2))
    # the next lunar new year's 除夕 can fall on 31 December of this year only in theory; include it
    next_eve = _solar(Lunar.fromYmd(year + 1, 1, 1).getSolar()) - ONE_DAY
    days.add(next_eve)
    days.add(_solar(Lunar.fromYmd(year, 5, 5).getSolar()))  # 端午
    days.add(_solar(Lunar.fromYmd(year, 8, 15).getSolar()))  # 中秋
    days.add(_solar(Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]))
    return frozenset(d for d in days if d.year == year)
