"""Plain words for values of the wrong kind: what the field takes, in its unit, and the
conversion that fixes a value written with another unit ("5 days = 120 hours: write
120"), instead of the validation library's wording."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["kind_message", "unit_of"]

_UNITS: dict[str, tuple[str, dict[str, float]]] = {
    # the unit a key's name ends with: its words, and conversions from other units
    "hours": ("hours", {"min": 1 / 60, "h": 1, "d": 24, "week": 168}),
    "days": ("days", {"min": 1 / 1440, "h": 1 / 24, "d": 1, "week": 7}),
    "km": ("km", {"m": 0.001, "km": 1, "mi": 1.609344}),
    "kmh": ("km/h", {"km/h": 1, "mph": 1.609344, "km/day": 1 / 24, "m/s": 3.6}),
    "usd": ("USD", {"usd": 1, "$": 1}),
}
_ALIASES = {
    "min": ("min", "mins", "minute", "minutes"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "d": ("d", "day", "days"),
    "week": ("week", "weeks", "wk"),
    "m": ("m", "metre", "metres", "meter", "meters"),
    "km": ("km", "kilometre", "kilometres", "kilometer", "kilometers"),
    "mi": ("mi", "mile", "miles"),
    "km/h": ("km/h", "kmh", "kph", "kmph"),
    "mph": ("mph",),
    "km/day": ("km/day", "km/d"),
    "m/s": ("m/s",),
    "usd": ("usd", "dollars"),
}
_SECTIONS = ("opening_hours",)
"""Keys named like a quantity that hold a section."""
_SHARES = ("probability", "share", "percentile", "scale")
_TIMES_OF_DAY = ("open", "close", "times")
_WITH_UNIT = re.compile(r"^\s*\$?\s*([-+]?\d+(?:[.,]\d+)?)\s*([a-zA-Z$%/]+)\s*$")


def unit_of(loc: tuple[Any, ...]) -> str | None:
    """The unit of the field at ``loc``, from the nearest key up from it named after a
    unit (``processing_hours`` → hours, ``speeds_kmh.rail.AF`` → kmh); None if none is,
    or a section named like a quantity (``opening_hours``) comes first."""
    for part in reversed(loc):
        if not isinstance(part, str) or part.isupper():
            continue  # a country code or a list index: look further up
        if part in _SECTIONS:
            return None
        for unit in _UNITS:
            if part == unit or part.endswith("_" + unit) or part.startswith("hours_per"):
                return "hours" if part.startswith("hours_per") else unit
    return None


def _convert(value: str, unit: str) -> str:
    """``"5 days = 120 hours: write 120"`` for a value written with a unit, or ""."""
    m = _WITH_UNIT.match(value)
    if not m:
        return ""
    number, written = float(m.group(1).replace(",", ".")), m.group(2).lower()
    words, factors = _UNITS[unit]
    key = next((k for k, names in _ALIASES.items() if written in names), written)
    factor = factors.get(key)
    if factor is None:
        return ""
    result = number * factor
    shown = f"{result:.4g}"
    return f"; {m.group(1)} {m.group(2)} = {shown} {words}: write {shown}"


def kind_message(kind: str, value: Any, loc: tuple[Any, ...], distribution: bool) -> str:
    """Plain words for a value of the wrong kind at ``loc`` ("" where there are none):
    a number or distribution written with a unit, a percentage for a share, a time of
    day YAML read as a number, or a section, list, text or yes/no of the wrong shape."""
    name = str(next((p for p in reversed(loc) if isinstance(p, str)), ""))
    unit = unit_of(loc)
    sections = ("dict_type", "model_attributes_type", "model_type")
    if kind in sections and not distribution:
        return _SHAPES[kind] + (f" (got '{value}')" if isinstance(value, str) else "")
    if isinstance(value, str) and kind in _NUMBERISH and not _is_number(value):
        words = _UNITS[unit][0] if unit else "a number"
        what = f"{words} as a number" if unit else "a number"
        if distribution:
            what += " or a distribution (e.g. {dist: lognormal, mean: 48, sigma: 0.5})"
        hint = _convert(value, unit) if unit else ""
        if not hint and value.strip().endswith("%") and any(s in name for s in _SHARES):
            hint = _percent(value)
        return f"{what} is needed (got '{value}'){hint}"
    if name in _TIMES_OF_DAY and isinstance(value, int) and not isinstance(value, bool):
        hours, minutes = divmod(value, 60)
        return (
            f"a time of day in quotes is needed: YAML reads an unquoted {hours}:{minutes:02d} "
            f"as the number {value} (base 60); write '{hours:02d}:{minutes:02d}'"
        )
    shape = _SHAPES.get(kind, "")
    if shape and isinstance(value, str | int | float | bool):
        shape += f" (got {value!r})"
    return shape


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _percent(value: str) -> str:
    try:
        share = float(value.strip().rstrip("%")) / 100
    except ValueError:
        return ""
    return f"; shares are fractions: {value.strip()} = {share:g}, write {share:g}"


_NUMBERISH = {
    "float_type",
    "float_parsing",
    "int_type",
    "int_parsing",
    "dict_type",
    "model_attributes_type",
    "model_type",
}
_SHAPES = {
    "dict_type": "a section (key: value lines, or {key: value}) is needed here",
    "model_attributes_type": "a section (key: value lines, or {key: value}) is needed here",
    "model_type": "a section (key: value lines, or {key: value}) is needed here",
    "list_type": "a list ([a, b], or one '- item' line each) is needed here",
    "tuple_type": "a list ([a, b], or one '- item' line each) is needed here",
    "string_type": "text is needed here",
    "bool_type": "true or false is needed here",
    "bool_parsing": "true or false is needed here",
    "date_type": "a date (2026-02-05) is needed here",
    "date_from_datetime_parsing": "a date (2026-02-05) is needed here",
}
