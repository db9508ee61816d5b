"""Weekly calendars: border opening hours and departure timetables.

Simulation time is in hours; time 0 is a Monday at 00:00.

Times of day are kept as whole minutes, so a calendar's openings, closings and
departures are exact; each is turned into hours once, by one division, and every
question asked of a calendar (is it open at ``t``, when does it next open or close,
when is the next departure) is answered by comparing ``t`` with those very floats.
The openings form one strictly increasing sequence, numbered across weeks; every loop
here steps along it, so each step moves forward by at least a minute of the week.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable

from corridorsim.units import HOURS_PER_WEEK

__all__ = [
    "DAYS",
    "HOURS_PER_WEEK",
    "MINUTES_PER_WEEK",
    "Departures",
    "OpeningCalendar",
    "clock_minutes",
]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 1440
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
_ROUNDING = 1e-6
"""Hours of work left over by rounding alone (3.6 ms): not carried into the
next opening."""


def clock_minutes(text: str) -> int:
    """``"06:30"`` -> 390 (``"24:00"`` -> 1440)."""
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def _weekly_windows(start: int, end: int, day_idx: list[int]) -> list[tuple[int, int]]:
    """Opening windows in minutes of the week, sorted, touching ones joined. A window
    that closes before it opens (22:00–06:00) runs into the next day; Sunday's runs
    into Monday of the same weekly pattern."""
    if end <= start:
        end += MINUTES_PER_DAY
    pieces: list[tuple[int, int]] = []
    for d in day_idx:
        a, b = d * MINUTES_PER_DAY + start, d * MINUTES_PER_DAY + end
        if b > MINUTES_PER_WEEK:
            pieces += [(a, MINUTES_PER_WEEK), (0, b - MINUTES_PER_WEEK)]
        else:
            pieces.append((a, b))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(pieces):
        if merged and merged[-1][1] >= a:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _first_after(weekly: list[int], hours: Callable[[int], float], t: float) -> int:
    """The number ``k`` of the first of a weekly sequence (minutes of the week,
    ``weekly``; numbered across weeks, ``hours(k)`` in hours) that is after ``t``. The
    estimate from the minutes may be off by rounding; it is settled on the very floats
    ``hours`` gives, so the answer agrees with every later question."""
    n = len(weekly)
    week = math.floor(t / HOURS_PER_WEEK)
    k = week * n + bisect.bisect_right(weekly, (t - week * HOURS_PER_WEEK) * 60)
    while hours(k - 1) > t:
        k -= 1
    while hours(k) <= t:
        k += 1
    return k


class OpeningCalendar:
    """When a post is open: the same hours on each listed day of the week.

    Parameters
    ----------
    open_time, close_time : str
        ``HH:MM``; ``close_time`` may be ``24:00``. A closing time before the opening
        time (``22:00``–``06:00``) means open overnight, from each listed day into the
        next morning.
    days : iterable of str
        Days of the week (``mon`` ... ``sun``).
    """

    def __init__(self, open_time: str, close_time: str, days: Iterable[str]):
        start, end = clock_minutes(open_time), clock_minutes(close_time)
        if start == end or not (0 <= start < MINUTES_PER_DAY and 0 <= end <= MINUTES_PER_DAY):
            raise ValueError(f"no opening from {open_time} to {close_time}")
        day_idx = sorted({DAYS.index(d) for d in days})
        if not day_idx:
            raise ValueError("an opening calendar needs at least one day")
        merged = _weekly_windows(start, end, day_idx)
        self.always = merged == [(0, MINUTES_PER_WEEK)]
        self.windows = [(a / 60, b / 60) for a, b in merged]
        """Openings within a week (hours since Monday 00:00)."""
        wraps = merged[0][0] == 0 and merged[-1][1] == MINUTES_PER_WEEK
        if wraps and len(merged) > 1:  # open across Sunday night: one opening
            first = merged.pop(0)
            merged[-1] = (merged[-1][0], MINUTES_PER_WEEK + first[1])
        self._starts = [a for a, _ in merged]
        self._ends = [b for _, b in merged]

    # --- the openings, numbered k = week * n + i, strictly increasing -----------------

    def _start(self, k: int) -> float:
        week, i = divmod(k, len(self._starts))
        return (week * MINUTES_PER_WEEK + self._starts[i]) / 60

    def _end(self, k: int) -> float:
        week, i = divmod(k, len(self._ends))
        return (week * MINUTES_PER_WEEK + self._ends[i]) / 60

    def _first_ending_after(self, t: float) -> int:
        """The number of the first opening that ends after ``t``."""
        return _first_after(self._ends, self._end, t)

    def open_hours_per_week(self) -> float:
        return sum(b - a for a, b in self.windows)

    def is_open(self, t: float) -> bool:
        return self.always or self._start(self._first_ending_after(t)) <= t

    def next_open(self, t: float) -> float:
        """The first time at or after ``t`` when the post is open (hours)."""
        if self.always:
            return t
        a = self._start(self._first_ending_after(t))
        return t if a <= t else a

    def next_close(self, t: float) -> float:
        """The end of the opening at ``t`` (hours; ``t`` itself if closed at ``t``)."""
        if self.always:
            return math.inf
        k = self._first_ending_after(t)
        return self._end(k) if self._start(k) <= t else t

    def closed_hours(self, a: float, b: float) -> float:
        """Hours the post is closed between ``a`` and ``b``."""
        if self.always or b <= a:
            return 0.0
        closed, t = 0.0, a
        k = self._first_ending_after(a)
        while t < b:
            start = self._start(k)
            if start >= b:
                return closed + (b - t)
            closed += max(start - t, 0.0)
            t = self._end(k)
            k += 1
        return closed

    def split_closed(self, a: float, b: float) -> tuple[float, float]:
        """Hours closed between ``a`` and ``b``: ``(outside opening hours, by closures)``,
        the second always 0 here (see :class:`~corridorsim.engine.availability.Availability`)."""
        return self.closed_hours(a, b), 0.0

    def work_end(self, start: float, work: float) -> float:
        """When ``work`` hours begun at ``start`` are done, counting open hours only.
        Each opening ends after ``t``, so every step uses up an opening or the work."""
        if self.always:
            return start + work
        t = start
        k = self._first_ending_after(t)
        while True:
            t = max(t, self._start(k))
            end = self._end(k)
            if work <= end - t + _ROUNDING:
                return min(t + work, end)
            work -= end - t
            t = end
            k += 1


class Departures:
    """Departure instants repeating every week: given times on given days."""

    def __init__(self, times: Iterable[str], days: Iterable[str]):
        day_idx = sorted({DAYS.index(d) for d in days})
        minutes = sorted({d * MINUTES_PER_DAY + clock_minutes(t) for d in day_idx for t in times})
        if not minutes:
            raise ValueError("a timetable needs at least one departure")
        self._minutes = minutes
        self.instants = [m / 60 for m in minutes]
        """Departures within a week (hours since Monday 00:00)."""

    def _at(self, k: int) -> float:
        week, i = divmod(k, len(self._minutes))
        return (week * MINUTES_PER_WEEK + self._minutes[i]) / 60

    def next_after(self, t: float) -> float:
        """The first departure strictly after ``t`` (hours)."""
        return self._at(_first_after(self._minutes, self._at, t))
