"""Field types the parts of a scenario share: distributions, days and times of day."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from corridorsim.distributions import Distribution, coerce_distribution

__all__ = ["DAYS", "Day", "Days", "Dist", "check_time_of_day"]

Dist = Annotated[Distribution, BeforeValidator(coerce_distribution)]
"""A distribution, or a bare number for a fixed value."""

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Days = Annotated[tuple[Day, ...], Field(min_length=1, max_length=7)]
"""Days of the week, at least one."""

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def check_time_of_day(name: str, value: str, *, allow_24: bool = False) -> None:
    """Raise ``ValueError`` unless ``value`` is ``HH:MM`` (or ``24:00`` if allowed)."""
    if not (_HHMM.match(value) or (allow_24 and value == "24:00")):
        raise ValueError(f"{name} '{value}' is not a time of day; write HH:MM, e.g. '06:00'")
