from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.workdays import (
    TZ,
    add_workdays,
    calendar_known,
    deadline_after,
    is_workday,
    workdays_between,
)

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


def test_national_day_2025_holidays():
    for day in range(1, 9):
        assert not is_workday(date(2025, 10, day))
    assert is_workday(date(2025, 10, 9))


def test_make_up_working_days_2025():
    assert date(2025, 9, 28).weekday() == 6
    assert is_workday(date(2025, 9, 28))
    assert date(2025, 10, 11).weekday() == 5
    assert is_workday(date(2025, 10, 11))
    assert not is_workday(date(2025, 9, 27))
    assert not is_workday(date(2025, 10, 12))


def test_add_workdays_across_national_day():
    assert add_workdays(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_workdays(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert add_workdays(date(2025, 9, 30), 4) == date(2025, 10, 13)
    assert add_workdays(date(2025, 10, 9), -1) == date(2025, 9, 30)


def test_spring_festival_2026():
    assert is_workday(date(2026, 2, 14))  # Saturday worked in lieu
    for day in range(15, 24):
        assert not is_workday(date(2026, 2, day))
    assert is_workday(date(2026, 2, 28))  # Saturday worked in lieu
    assert add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_workdays(date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert workdays_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_add_zero_is_start():
    assert add_workdays(date(2025, 10, 1), 0) == date(2025, 10, 1)


def test_is_workday_accepts_datetime():
    assert not is_workday(datetime(2025, 10, 1, 10, tzinfo=TZ))


def test_calendar_known_years():
    assert calendar_known(2025)
    assert calendar_known(2026)
    assert not calendar_known(2027)
    assert not calendar_known(1999)


def test_unknown_year_falls_back_to_monday_to_friday():
    # 2027-01-01 will surely be a holiday, but it is unknown until the State Council says so.
    assert date(2027, 1, 1).weekday() == 4
    assert is_workday(date(2027, 1, 1))
    assert not is_workday(date(2027, 1, 2))
    assert add_workdays(date(2026, 12, 31), 2) == date(2027, 1, 4)


def test_deadline_is_close_of_business_on_nth_working_day():
    start = datetime(2025, 9, 30, 10, 0, tzinfo=TZ)
    assert deadline_after(start, 1) == datetime(2025, 10, 9, 18, 0, tzinfo=TZ)
    assert deadline_after(start, 5) == datetime(2025, 10, 14, 18, 0, tzinfo=TZ)


def test_deadline_uses_beijing_date_of_start():
    # 17:30 UTC on 29 September is 01:30 on 30 September in Shenzhen.
    start = datetime(2025, 9, 29, 17, 30, tzinfo=UTC)
    assert deadline_after(start, 1) == datetime(2025, 10, 9, 18, 0, tzinfo=TZ)


def test_deadline_rejects_naive_and_nonpositive():
    with pytest.raises(ValueError, match="时区"):
        deadline_after(datetime(2025, 9, 30, 10), 1)
    with pytest.raises(ValueError, match="至少为1"):
        deadline_after(datetime(2025, 9, 30, 10, tzinfo=TZ), 0)


def test_workdays_between_sign():
    assert workdays_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert workdays_between(date(2025, 10, 9), date(2025, 9, 30)) == -1
    assert workdays_between(date(2025, 10, 11), date(2025, 9, 30)) == -3
    assert workdays_between(date(2025, 10, 1), date(2025, 10, 1)) == 0


@given(days, st.integers(min_value=-40, max_value=40))
def test_between_inverts_add(start, n):
    assert workdays_between(start, add_workdays(start, n)) == n


@given(days, st.integers(min_value=1, max_value=40))
def test_result_is_a_later_working_day(start, n):
    end = add_workdays(start, n)
    assert end > start
    assert is_workday(end)
    assert add_workdays(start, n + 1) > end


@given(st.dates(min_value=date(2027, 1, 1), max_value=date(2099, 12, 31)))
def test_fallback_is_weekdays(day):
    assert is_workday(day) == (day.weekday() < 5)


@given(
    st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(TZ)
    ),
    st.integers(min_value=1, max_value=20),
)
def test_deadline_at_six_pm_after_start(start, n):
    deadline = deadline_after(start, n)
    local = deadline.astimezone(TZ)
    assert (local.hour, local.minute, local.second) == (18, 0, 0)
    assert is_workday(local.date())
    assert deadline - start > timedelta(hours=0)
    assert workdays_between(start.date(), local.date()) == n
