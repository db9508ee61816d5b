"""Units of time shared by every layer. The model's clock runs in hours; time 0 is a
Monday 00:00."""

from __future__ import annotations

__all__ = ["HOURS_PER_DAY", "HOURS_PER_WEEK", "HOURS_PER_YEAR"]

HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = 168.0
HOURS_PER_YEAR = 8760.0
"""A 365-day year: demand in TEU a year and incident rates a year convert with it."""
