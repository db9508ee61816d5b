"""Opening calendars and timetables against a minute-by-minute reference: a week as 10,080
booleans, built here by walking the days, and work counted minute by minute on it.

Every minute of the day is tried as an opening time and as a closing time, at dates
far into the run (where float hours round), including the times that once hung a run
(06:20, 07:10, 08:40: the post was found open at a time it was then found closed at)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridorsim.engine.calendar import DAYS, Departures, OpeningCalendar
from corridorsim.engine.lanes import work_end

WEEK = 10080
WEEKS_AHEAD = (0, 1, 37, 520)  # the first weeks, and ten years into a run


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def reference_week(open_min: int, close_min: int, days) -> np.ndarray:
    """Which minutes of the week are open, walking each listed day from its opening."""
    is_open = np.zeros(WEEK, dtype=bool)
    length = (close_min - open_min) % 1440 or 1440
    for d in days:
        first = DAYS.index(d) * 1440 + open_min
        is_open[np.arange(first, first + length) % WEEK] = True
    return is_open


def open_before(is_open: np.ndarray) -> np.ndarray:
    """Open minutes of the week before each minute (and the week's total, last)."""
    return np.concatenate(([0], np.cumsum(is_open)))


def reference_work_end(done: np.ndarray, start_min: int, work_min: int) -> int:
    """The minute at which ``work_min`` open minutes begun at ``start_min`` are done:
    the rest of this week, whole weeks, then the minute in the last week."""
    total, s = int(done[-1]), start_min % WEEK
    left_this_week = total - int(done[s])
    if work_min <= left_this_week:
        return start_min - s + int(np.searchsorted(done, done[s] + work_min))
    rest = work_min - left_this_week
    weeks = (rest - 1) // total
    return start_min - s + WEEK * (1 + weeks) + int(np.searchsorted(done, rest - weeks * total))


def check_calendar(open_min: int, close_min: int, days, probes) -> None:
    cal = OpeningCalendar(hhmm(open_min), hhmm(close_min) if close_min < 1440 else "24:00", days)
    week = reference_week(open_min, close_min, days)
    done = open_before(week)
    for w in WEEKS_AHEAD:
        base = w * WEEK
        for m in probes:
            t = (base + m) / 60
            assert cal.is_open(t) == week[m % WEEK], (open_min, close_min, w, m)
            nxt = cal.next_open(t)
            assert nxt >= t
            assert cal.is_open(nxt)
            if not week[m % WEEK]:  # the first open minute after m
                ahead = np.flatnonzero(np.roll(week, -(m % WEEK)))[0]
                assert nxt == pytest.approx((base + m + ahead) / 60, abs=1e-6)
            close = cal.next_close(nxt)
            assert close > nxt, "an opening that ends where it starts would never advance"
            for work in (1, 59, 600):
                end = work_end(cal, t, work / 60)
                expect = reference_work_end(done, base + m, work)
                assert end == pytest.approx(expect / 60, abs=1e-6), (open_min, close_min, m)


@pytest.mark.parametrize("close_min", [18 * 60, 24 * 60, 6 * 60])
def test_every_minute_of_the_day_as_the_opening(close_min):
    for open_min in range(1440):
        if open_min == close_min % 1440:
            continue
        probes = (open_min - 1, open_min, open_min + 1, close_min - 1, close_min, 1440 + open_min)
        check_calendar(open_min, close_min, DAYS[:5], probes)


@pytest.mark.parametrize("open_min", [0, 6 * 60 + 20, 22 * 60])
def test_every_minute_of_the_day_as_the_closing(open_min):
    for close_min in range(1, 1441):
        if close_min % 1440 == open_min:
            continue
        probes = (close_min - 1, close_min, close_min + 1, open_min, 6 * 1440 + close_min - 1)
        check_calendar(open_min, close_min, ("mon", "wed", "sun"), probes)


def test_the_case_that_hung_finishes():
    """Before: this never returned (next_open gave a time next_close found closed)."""
    cal = OpeningCalendar("06:20", "18:00", DAYS)
    assert work_end(cal, 240.0, 1.0) == pytest.approx(10 * 24 + 6 + 20 / 60 + 1)


def test_overnight_hours_run_into_the_next_day():
    cal = OpeningCalendar("22:00", "06:00", ("fri", "sat", "sun"))
    # Sunday's night ends on Monday morning
    assert cal.windows == [(0.0, 6.0), (118.0, 126.0), (142.0, 150.0), (166.0, 168.0)]
    assert cal.is_open(5 * 24 + 3)
    assert not cal.is_open(5 * 24 + 7)
    assert cal.next_close(4 * 24 + 23) == 5 * 24 + 6
    assert cal.next_close(167.5) == 168 + 6  # across the week's end, one opening
    assert cal.open_hours_per_week() == 24.0
    # 10 hours of work from Friday 22:00: 8 overnight, then 2 from Saturday 22:00
    assert work_end(cal, 4 * 24 + 22, 10) == 6 * 24


def test_a_post_open_all_week_never_closes():
    cal = OpeningCalendar("00:00", "24:00", DAYS)
    assert cal.always
    assert cal.next_close(1e6) == float("inf")
    touching = OpeningCalendar("00:00", "24:00", ("sun", "mon"))
    assert touching.next_close(150.0) == 168 + 24  # Sunday into Monday, one opening
    assert touching.closed_hours(0.0, 168.0) == pytest.approx(120.0)


@settings(max_examples=300, deadline=2000)
@given(
    open_min=st.integers(0, 1439),
    close_min=st.integers(1, 1440),
    days=st.sets(st.sampled_from(DAYS), min_size=1),
    week=st.integers(0, 5000),
    minute=st.integers(0, WEEK - 1),
    work=st.integers(1, 5000),
)
def test_fuzz_opening_hours_at_any_minute(open_min, close_min, days, week, minute, work):
    if open_min == close_min % 1440:
        return
    cal = OpeningCalendar(hhmm(open_min), hhmm(close_min) if close_min < 1440 else "24:00", days)
    ref = reference_week(open_min, close_min, days)
    start = week * WEEK + minute
    t = start / 60
    assert cal.is_open(t) == ref[minute]
    assert work_end(cal, t, work / 60) == pytest.approx(
        reference_work_end(open_before(ref), start, work) / 60, abs=1e-6
    )
    open_minutes = int(np.tile(ref, 3)[minute : minute + 12000].sum())  # 200 hours on
    assert cal.closed_hours(t, t + 200.0) == pytest.approx((12000 - open_minutes) / 60)


@settings(max_examples=200, deadline=2000)
@given(
    times=st.sets(st.integers(0, 1439), min_size=1, max_size=4),
    days=st.sets(st.sampled_from(DAYS), min_size=1),
    week=st.integers(0, 5000),
    minute=st.integers(0, WEEK - 1),
)
def test_fuzz_departures_always_move_on(times, days, week, minute):
    dep = Departures([hhmm(m) for m in times], days)
    instants = sorted(DAYS.index(d) * 1440 + m for d in days for m in times)
    t = (week * WEEK + minute) / 60
    later = [i for i in instants if i > minute] or [instants[0] + WEEK]
    expected = (week * WEEK + later[0]) / 60
    nxt = dep.next_after(t)
    assert nxt > t
    assert nxt == pytest.approx(expected, abs=1e-6)
    assert dep.next_after(nxt) > nxt  # from a departure, the next one: never the same
