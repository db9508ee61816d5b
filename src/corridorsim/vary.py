"""What a sweep varies: ``--vary PATH=V1,V2,...`` or ``PATH=LO:HI:N`` read into a field's
path and its values, and the designs built from them (every combination, or a Latin
hypercube).

Everything is counted before it is built: a range's N, a grid's number of combinations
and a design's samples are checked against :data:`MAX_VARIANTS` first, so a typo
(``LO:HI:1000000000``, four fields of a hundred values) is refused with its size at
once instead of filling memory. A field that takes whole numbers gets whole numbers
(``3``, not ``3.0``), and a range that does not fall on them is refused."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import yaml

from corridorsim.errors import CorridorSimError
from corridorsim.scenario.paths import check_path, is_integer

__all__ = [
    "MAX_VARIANTS",
    "Vary",
    "grid_settings",
    "lhs_settings",
    "parse_vary",
]

MAX_VARIANTS = 200
"""More variants than this in one sweep is refused (a typo in LO:HI:N is likelier)."""

Vary = tuple[str, tuple[Any, ...]]
"""A field's dotted path and the values it takes."""

FIXED_FOR_ALL = {
    "simulation.seed": "every variant runs with the same seed (common random numbers); "
    "give it with --seed",
    "simulation.replications": "every variant runs the same replications; give them with "
    "--replications",
    "name": "a variant's name is set by the sweep",
    "extends": "a variant extends the scenario swept; sweep another scenario instead",
    "description": "a description changes nothing in a run",
    "sources": "sources change nothing in a run",
}
"""Paths a sweep cannot vary, and why."""


def parse_vary(text: str, design: str = "grid", *, option: str = "--vary") -> Vary:
    """A ``--vary`` text to the field and its values.

    Parameters
    ----------
    text : str
        ``PATH=V1,V2,...`` or ``PATH=LO:HI:N`` (N evenly spaced values), in the field's
        own unit; for a Latin hypercube also ``PATH=LO:HI``, the range to draw from.
    design : str
        ``grid`` or ``lhs``.
    option : str
        The option's name, quoted in messages.

    Returns
    -------
    Vary
        ``(path, values)``, or ``(path, (lo, hi))`` for a hypercube's range.

    Raises
    ------
    CorridorSimError
        If the path is not a field of the scenario format or a value does not fit it,
        quoting ``text`` after ``option``.
    """
    path, sep, values = text.partition("=")
    path = path.strip()
    where = f"{option} {text!r}"
    if not sep or not path or not values.strip():
        raise CorridorSimError(f"{where}: write PATH=V1,V2,... or PATH=LO:HI:N")
    if path in FIXED_FOR_ALL:
        raise CorridorSimError(f"{where}: {path} cannot be varied: {FIXED_FOR_ALL[path]}")
    whole = is_integer(check_path(path, option=option))
    if ":" in values:
        return path, _span(where, values, design, whole)
    return path, _listed(where, path, values.split(","), whole)


def _listed(where: str, path: str, items: list[str], whole: bool) -> tuple[Any, ...]:
    if len(items) > MAX_VARIANTS:
        raise CorridorSimError(f"{where}: {len(items)} values; at most {MAX_VARIANTS}")
    values: list[Any] = []
    for n, item in enumerate(items, start=1):
        if not item.strip():
            raise CorridorSimError(f"{where}: value {n} is empty (write PATH=V1,V2,...)")
        values.append(_value(where, item.strip(), whole))
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise CorridorSimError(f"{where}: {', '.join(repeated)} given more than once")
    return tuple(values)


def _value(where: str, item: str, whole: bool) -> Any:
    """One listed value, read as YAML reads a plain value (a number, a word, true)."""
    try:
        value = yaml.safe_load(item)
    except yaml.YAMLError:
        value = None
        bad = True
    else:
        bad = isinstance(value, list | dict) or value is None
    if bad:
        raise CorridorSimError(
            f"{where}: '{item}' is not a single value; give numbers, words or true/false "
            "separated by commas (a list or mapping cannot be varied whole: vary its fields)"
        )
    return _whole(where, value) if whole else value


def _whole(where: str, value: Any) -> Any:
    """``3.0`` as ``3`` for a field of whole numbers; a fraction is refused."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, float):
        raise CorridorSimError(f"{where}: the field takes whole numbers (got {value:g})")
    return value


def _span(where: str, values: str, design: str, whole: bool) -> tuple[Any, ...]:
    parts = [v.strip() for v in values.split(":")]
    if len(parts) == 2 and design == "lhs":
        parts.append("2")
    if len(parts) != 3 or "," in values:
        raise CorridorSimError(
            f"{where}: write PATH=LO:HI:N for N evenly spaced values"
            + (" (or PATH=LO:HI with --design lhs)" if design == "grid" else "")
        )
    try:
        lo, hi, count = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise CorridorSimError(f"{where}: LO:HI:N needs two numbers and a count") from None
    if count < 2:
        raise CorridorSimError(f"{where}: N must be at least 2")
    if count > MAX_VARIANTS:
        raise CorridorSimError(f"{where}: N = {count} values; at most {MAX_VARIANTS}")
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo >= hi:
        raise CorridorSimError(f"{where}: LO must be a finite number below HI")
    spaced = tuple(round(float(v), 10) for v in np.linspace(lo, hi, count))
    if not whole:
        return spaced
    if not all(v.is_integer() for v in spaced):
        raise CorridorSimError(
            f"{where}: the field takes whole numbers, and {count} values from {lo:g} to "
            f"{hi:g} are not all whole ({', '.join(f'{v:g}' for v in spaced[:4])}...); "
            "choose N so that (HI - LO) / (N - 1) is whole, or list the values"
        )
    return tuple(int(v) for v in spaced)


def _distinct(varies: Sequence[Vary], option: str = "--vary") -> None:
    seen: set[str] = set()
    for path, _ in varies:
        if path in seen:
            raise CorridorSimError(f"{option} {path} is given twice; give each field once")
        seen.add(path)


def grid_settings(varies: Sequence[Vary]) -> list[dict[str, Any]]:
    """Every combination of the values in ``varies`` (a full factorial grid), counted
    before it is built."""
    _distinct(varies)
    count = math.prod(len(v) for _, v in varies)
    if count > MAX_VARIANTS:
        sizes = " x ".join(str(len(v)) for _, v in varies)
        raise CorridorSimError(
            f"{count:,} variants ({sizes} values): at most {MAX_VARIANTS} in one sweep "
            "(fewer values, or --design lhs --samples N)"
        )
    paths = [p for p, _ in varies]
    return [
        dict(zip(paths, combo, strict=True)) for combo in itertools.product(*(v for _, v in varies))
    ]


def lhs_settings(
    varies: Sequence[Vary], samples: int, rng: np.random.Generator
) -> list[dict[str, Any]]:
    """``samples`` points of a Latin hypercube over ``varies``: a field given as a range
    (``LO:HI:N`` or two numbers) is drawn across ``[LO, HI]`` (whole numbers where the
    field takes them), one given as a list takes its values in equal strata. Each
    field's range is cut into ``samples`` equal strata and every stratum is used once."""
    from scipy.stats import qmc  # only a Latin-hypercube sweep pays for importing it

    _distinct(varies)
    if not 2 <= samples <= MAX_VARIANTS:
        raise CorridorSimError(f"--samples {samples}: give 2 to {MAX_VARIANTS}")
    unit = qmc.LatinHypercube(d=len(varies), rng=rng).random(samples)
    settings: list[dict[str, Any]] = [{} for _ in range(samples)]
    for j, (path, values) in enumerate(varies):
        numeric = len(values) > 1 and all(_is_number(v) for v in values)
        whole = is_integer(check_path(path))
        lo, hi = (min(values), max(values)) if numeric else (0, 0)
        for i, u in enumerate(unit[:, j]):
            if not numeric:
                value = values[min(int(u * len(values)), len(values) - 1)]
            elif whole:
                value = int(lo + min(int(u * (hi - lo + 1)), hi - lo))
            else:
                value = round(float(lo + u * (hi - lo)), 6)
            settings[i][path] = value
    return settings


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)
