"""Weekly calendars: border opening hours and departure timetables.

Simulation time is in hours; time 0 is a Monday at 00:00.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable

from corridorsim.units import HOURS_PER_WEEK

__all__ = ["DAYS", "HOURS_PER_WEEK", "Departures", "OpeningCalendar", "clock_hours"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def clock_hours(text: str) -> float:
    """``"06:30"`` -> 6.5 (``"24:00"`` -> 24.0)."""
    h, m = text.split(":")
    return int(h) + int(m) / 60


class OpeningCalendar:
    """When a post is open: the same hours on each listed day of the week.

    Parameters
    ----------
    open_time, close_time : str
        ``HH:MM``; ``close_time`` may be ``24:00``.
    days : iterable of str
        Days of the week (``mon`` ... ``sun``).
    """

    def __init__(self, open_time: str, close_time: str, days: Iterable[str]):
        start, end = clock_hours(open_time), clock_hours(close_time)
        day_idx = sorted({DAYS.index(d) for d in days})
        self.always = start == 0 and end == 24 and len(day_idx) == 7
        windows = [(24.0 * d + start, 24.0 * d + end) for d in day_idx]
        merged: list[tuple[float, float]] = []
        for a, b in windows:  # join windows that touch (e.g. 24 h days)
            if merged and merged[-1][1] >= a:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        self.windows = merged
        self._starts = [a for a, _ in merged]

    def is_open(self, t: float) -> bool:
        return self.next_open(t) == t

    def next_open(self, t: float) -> float:
        """The first time at or after ``t`` when the post is open (hours)."""
        if self.always:
            return t
        week = math.floor(t / HOURS_PER_WEEK)
        tw = t - week * HOURS_PER_WEEK
        for a, b in self.windows:
            if tw < b:
                return t if tw >= a else week * HOURS_PER_WEEK + a
        return (week + 1) * HOURS_PER_WEEK + self.windows[0][0]

    def next_close(self, t: float) -> float:
        """The end of the opening at ``t`` (hours; ``t`` itself if closed at ``t``)."""
        if self.always:
            return math.inf
        week = math.floor(t / HOURS_PER_WEEK)
        tw = t - week * HOURS_PER_WEEK
        for a, b in self.windows:
            if a <= tw < b:
                end = week * HOURS_PER_WEEK + b
                if b == HOURS_PER_WEEK and self.windows[0][0] == 0.0:  # open across Sunday night
                    return self.next_close(end)
                return end
        return t

    def closed_hours(self, a: float, b: float) -> float:
        """Hours the post is closed between ``a`` and ``b``."""
        closed, t = 0.0, a
        while t < b:
            t_open = min(self.next_open(t), b)
            closed += t_open - t
            if t_open >= b:
                break
            t = min(self.next_close(t_open), b)
        return closed


class Departures:
    """Departure instants repeating every week: given times on given days."""

    def __init__(self, times: Iterable[str], days: Iterable[str]):
        day_idx = sorted({DAYS.index(d) for d in days})
        self.instants = sorted(24.0 * d + clock_hours(t) for d in day_idx for t in times)

    def next_after(self, t: float) -> float:
        """The first departure strictly after ``t`` (hours)."""
        week = math.floor(t / HOURS_PER_WEEK)
        tw = t - week * HOURS_PER_WEEK
        i = bisect.bisect_right(self.instants, tw)
        if i < len(self.instants):
            return week * HOURS_PER_WEEK + self.instants[i]
        return (week + 1) * HOURS_PER_WEEK + self.instants[0]
