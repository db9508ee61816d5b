"""The numbers an input file may hold, and the bounds beyond which they mean nothing.

Every number in a scenario or network file is finite (``.inf`` and ``.nan`` are refused
by :class:`~corridorsim._base.Frozen`), is never a boolean (YAML reads ``yes`` as true,
which a lax parser would take for 1), and a count is a whole number. The upper bounds
below are far beyond any real corridor; a value past them is a typing slip (an extra
zero, a unit mix-up) or a value that would exhaust the machine, and is refused with the
bound in the message.

=============================  ==============  =========================================
bound                          value           why
=============================  ==============  =========================================
MAX_HORIZON_DAYS               36,525 (100 y)  no planning question spans more
MAX_REPLICATIONS               10,000          CIs stop narrowing long before
MAX_TEU_PER_YEAR               100,000,000     twice the world's busiest port (Shanghai,
                                               about 49 M TEU in 2023)
MAX_TONNES_PER_YEAR            2,000,000,000   the same in tonnes (20 t a TEU)
MAX_LINK_KM                    20,000          longer than any railway (Trans-Siberian
                                               9,289 km)
MAX_SPEED_KMH                  400             faster than any freight train or truck
MAX_LANES                      10,000          vehicles cleared at once at a post (a
                                               calibrated Torkham post needs about 1,600)
MAX_HOURS                      100,000         about 11 years: any time or delay
MAX_RATE_PER_YEAR              8,760           one incident an hour on average
MAX_TRAIN_TEU                  2,000           longer than double-stack US trains
MAX_USD                        1,000,000,000   any money figure
MAX_DIST_PARAMETER             1,000,000       shape, sigma and other unitless parameters
MAX_VEHICLES_PER_DAY           20,000          ten times the busiest reported day at
                                               Torkham (about 2,000 trucks)
=============================  ==============  =========================================
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, Strict

__all__ = [
    "MAX_DIST_PARAMETER",
    "MAX_HORIZON_DAYS",
    "MAX_HOURS",
    "MAX_LANES",
    "MAX_LINK_KM",
    "MAX_RATE_PER_YEAR",
    "MAX_REPLICATIONS",
    "MAX_SPEED_KMH",
    "MAX_TEU_PER_YEAR",
    "MAX_TONNES_PER_YEAR",
    "MAX_TRAIN_TEU",
    "MAX_USD",
    "MAX_VEHICLES_PER_DAY",
    "Count",
    "Hours",
    "Number",
    "PositiveHours",
    "Usd",
]

MAX_HORIZON_DAYS = 36_525.0
MAX_REPLICATIONS = 10_000
MAX_TEU_PER_YEAR = 100_000_000.0
MAX_TONNES_PER_YEAR = 2_000_000_000.0
MAX_LINK_KM = 20_000.0
MAX_SPEED_KMH = 400.0
MAX_LANES = 10_000
MAX_HOURS = 100_000.0
MAX_RATE_PER_YEAR = 8_760.0
MAX_TRAIN_TEU = 2_000
MAX_USD = 1_000_000_000.0
MAX_DIST_PARAMETER = 1_000_000.0
MAX_VEHICLES_PER_DAY = 20_000.0

Number = Annotated[float, Strict()]
"""A number: an integer or a decimal, never a boolean or text (finite: see ``Frozen``)."""

Count = Annotated[int, Strict()]
"""A whole number, never a boolean, a decimal or text."""

Hours = Annotated[float, Strict(), Field(ge=0, le=MAX_HOURS)]
"""A duration in hours, zero or more."""

PositiveHours = Annotated[float, Strict(), Field(gt=0, le=MAX_HOURS)]
"""A duration in hours, more than zero."""

Usd = Annotated[float, Strict(), Field(ge=0, le=MAX_USD)]
"""A money figure in US dollars, zero or more."""
