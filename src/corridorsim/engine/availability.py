"""When a border post can work: its opening hours, less the spells its crossing is
closed (security closures, scheduled or random). Every vehicle at the post, the
corridor's and background traffic alike, waits out a closure in the queue and resumes
after it, so a backlog forms while the crossing is shut and clears after it reopens.

Closures are drawn before the run (each process from its own random stream), so a
post knows them in advance, as it knows its opening hours; :class:`Availability` has
the same questions as :class:`~corridorsim.engine.calendar.OpeningCalendar` and is used
in its place. Where opening hours and a closure overlap, the time counts as closed
hours (the post would have been shut anyway), not as the closure's.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable

from corridorsim.engine.calendar import OpeningCalendar

__all__ = ["Availability", "merge_spells"]

_ROUNDING = 1e-6
"""Hours of work left over by rounding alone (3.6 ms): not carried into the next run."""


def merge_spells(spells: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Spells ``(start, end)`` sorted, overlapping and touching ones joined, empty ones
    dropped."""
    merged: list[tuple[float, float]] = []
    for a, b in sorted((a, b) for a, b in spells if b > a):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


class Availability:
    """A post's opening hours (``calendar``; None for always open) less the closed
    ``spells`` of its crossing (hours, any order, may overlap)."""

    def __init__(self, calendar: OpeningCalendar | None, spells: Iterable[tuple[float, float]]):
        self.calendar = calendar
        merged = merge_spells(spells)
        self._starts = [a for a, _ in merged]
        self._ends = [b for _, b in merged]

    def spell_at(self, t: float) -> int:
        """The number of the closed spell holding ``t`` (-1 if none)."""
        return self._spell_at(t)

    def _spell_at(self, t: float) -> int:
        """The closed spell holding ``t`` (-1 if none)."""
        i = bisect.bisect_right(self._starts, t) - 1
        return i if i >= 0 and t < self._ends[i] else -1

    def next_open(self, t: float) -> float:
        """The first time at or after ``t`` when the post is open and not closed by a
        closure; each step ends a spell, so this ends."""
        cal = self.calendar
        while True:
            if cal is not None:
                t = cal.next_open(t)
            i = self._spell_at(t)
            if i < 0:
                return t
            t = self._ends[i]

    def _run_end(self, t: float) -> float:
        """Where the stretch of working time that holds ``t`` ends."""
        j = bisect.bisect_right(self._starts, t)
        spell = self._starts[j] if j < len(self._starts) else math.inf
        close = self.calendar.next_close(t) if self.calendar is not None else math.inf
        return min(spell, close)

    def work_end(self, start: float, work: float) -> float:
        """When ``work`` hours begun at ``start`` are done, counting working time only;
        each step uses up a stretch of it (of positive length) or the work."""
        t = start
        while True:
            t = self.next_open(t)
            end = self._run_end(t)
            if work <= end - t + _ROUNDING:
                return min(t + work, end)
            work -= end - t
            t = end

    def closed_hours(self, a: float, b: float) -> float:
        """Hours between ``a`` and ``b`` when the post cannot work, for either reason."""
        closed, t = 0.0, a
        while t < b:
            opens = min(self.next_open(t), b)
            closed += opens - t
            if opens >= b:
                break
            t = min(self._run_end(opens), b)
        return closed

    def split_closed(self, a: float, b: float) -> tuple[float, float]:
        """Hours between ``a`` and ``b`` the post cannot work: ``(outside its opening
        hours, closed by a closure while it would have been open)``."""
        total = self.closed_hours(a, b)
        hours = self.calendar.closed_hours(a, b) if self.calendar is not None else 0.0
        return hours, max(total - hours, 0.0)
