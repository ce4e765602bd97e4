"""Working days (工作日) on the official Chinese calendar, make-up working days included.

Periods such as a supplementation window are counted in working days; the State Council
publishes each year's holidays and the weekend days worked in lieu (调休) late in the
previous year, and ``chinese_calendar`` carries them. For a year it does not know yet,
this module falls back to Monday–Friday; ``calendar_known`` tells the interface to warn
that such a date may move once the official calendar is out.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

TZ = ZoneInfo("Asia/Shanghai")
# 指南 八（三）: 业务办理时间 法定工作日9:00-12:00，14:00-18:00。 A period of n working days
# therefore ends when business closes at 18:00 on the n-th working day.
END_OF_BUSINESS = time(18, 0)

_FIRST_YEAR = min(chinese_calendar.holidays).year
_LAST_YEAR = max(chinese_calendar.holidays).year


def calendar_known(year: int) -> bool:
    """Whether the official holidays of ``year`` are known (otherwise Mon–Fri is assumed)."""
    return _FIRST_YEAR <= year <= _LAST_YEAR


def is_workday(day: date) -> bool:
    """A working day: Mon–Fri that is no holiday, or a make-up working day (调休)."""
    if isinstance(day, datetime):
        day = day.date()
    if calendar_known(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def add_workdays(start: date, n: int) -> date:
    """The n-th working day after ``start`` (start not counted); n < 0 counts backwards.

    ``add_workdays(d, 0)`` is ``d`` itself, working day or not.
    """
    step = timedelta(days=1 if n >= 0 else -1)
    day = start
    remaining = abs(n)
    while remaining:
        day += step
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days in (start, end], or minus those in [end, start) when end is earlier.

    The inverse of ``add_workdays``: ``workdays_between(d, add_workdays(d, n)) == n``.
    """
    if end < start:
        return -sum(is_workday(end + timedelta(days=i)) for i in range((start - end).days))
    return sum(is_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


def deadline_after(start: datetime, n: int) -> datetime:
    """The close of business (18:00 Beijing time) on the n-th working day after ``start``.

    The day of ``start`` itself is not counted, whatever the hour, so a request sent at
    17:00 on a working day still gives the applicant n full working days.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("起算时间必须带时区")
    if n < 1:
        raise ValueError(f"工作日天数应至少为1，当前为{n}")
    last_day = add_workdays(start.astimezone(TZ).date(), n)
    return datetime.combine(last_day, END_OF_BUSINESS, tzinfo=TZ)
