"""Border closures as observed, and the closure process fitted to them.

``corridorsim/data/closure_record.yaml`` lists the closures of Torkham and Chaman to
trade, 2016 to early 2026, each with its dates and sources. ``corridorsim
calibrate-closures`` (:mod:`corridorsim.closures`) fits a process to it and writes
``corridorsim/data/calibrated_closures.yaml``: closures of one crossing at a time, and
joint closures of both, each a Poisson process, with lognormal durations. A scenario
uses it with ``disruptions.observed_closures``.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from corridorsim._base import Frozen, Ident, Sources
from corridorsim.located_yaml.diagnostics import validate
from corridorsim.located_yaml.reader import read_yaml
from corridorsim.quantities import MAX_RATE_PER_YEAR, Count, Number

__all__ = [
    "CALIBRATED_CLOSURES_FILE",
    "RECORD_FILE",
    "ClosureEvent",
    "ClosureFit",
    "ClosureRecord",
    "builtin_closure_fit",
    "builtin_closure_record",
]

RECORD_FILE = "closure_record.yaml"
CALIBRATED_CLOSURES_FILE = "calibrated_closures.yaml"

Rate = Annotated[Number, Field(ge=0, le=MAX_RATE_PER_YEAR)]


class Window(Frozen):
    start: dt.date
    end: dt.date


class ClosureEvent(Frozen):
    """One closure: the crossings it closed, from ``start`` to ``end`` (None: still
    closed when the record ends)."""

    crossings: tuple[Ident, ...] = Field(min_length=1)
    start: dt.date
    end: dt.date | None = None
    source: Sources
    note: str = ""

    @model_validator(mode="after")
    def _order(self) -> ClosureEvent:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self


class ClosureRecord(Frozen):
    """The observed closures and the window they cover."""

    window: Window
    held_out_from: dt.date
    events: tuple[ClosureEvent, ...]


class Duration(Frozen):
    """Lognormal closure durations in days: mean and log-scale sigma."""

    mean_days: Annotated[Number, Field(gt=0)]
    sigma: Annotated[Number, Field(gt=0, le=10)]


class ClosureFit(Frozen):
    """The fitted process: per crossing, the yearly rate of closures of that crossing
    alone; the yearly rate of closures of all of ``joint`` at once; their durations."""

    fitted_from: dt.date
    fitted_to: dt.date
    events: Count
    rate_per_year: dict[Ident, Rate]
    joint: tuple[Ident, ...]
    joint_rate_per_year: Rate
    duration: Duration
    note: str = ""


class CalibratedClosures(Frozen):
    """The calibrated-closures file: the fit scenarios use, and the fit on the years
    before ``held_out_from`` with its score on the rest."""

    version: int = 1
    fit: ClosureFit
    earlier_fit: ClosureFit
    held_out: dict[str, float]


def _data(name: str) -> Path:
    return Path(str(resources.files("corridorsim") / "data" / name))


@cache
def builtin_closure_record() -> ClosureRecord:
    """The closure record shipped with corridorsim."""
    result: ClosureRecord = validate(ClosureRecord, read_yaml(_data(RECORD_FILE)))
    return result


@cache
def builtin_closure_fit() -> CalibratedClosures | None:
    """The calibrated closures shipped with corridorsim (None if the file is missing)."""
    path = _data(CALIBRATED_CLOSURES_FILE)
    if not path.is_file():
        return None
    result: CalibratedClosures = validate(CalibratedClosures, read_yaml(path))
    return result
