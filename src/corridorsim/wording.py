"""Words for numbers: a count and its noun, agreeing (``1 replication``, ``10
replications``), and a share's 95% interval (``62–71%``)."""

from __future__ import annotations

__all__ = ["counted", "share_interval"]


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, in the plural (``plural``, else ``noun`` + "s") unless n is 1.

    >>> counted(1, "replication"), counted(10, "replication")
    ('1 replication', '10 replications')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def _percent(x: float) -> str:
    """A share in percent; near 0 or 100, with the digits that tell it from them."""
    if 0 < x < 0.01:
        return f"{100 * x:.2g}"
    if 0.99 < x < 1:
        return f"{100 * x:.1f}"
    return f"{100 * x:.0f}"


def share_interval(low: float | None, high: float | None) -> str:
    """A share's 95% interval as ``"62–71%"`` (``"0–0.045%"`` near the ends; a dash
    when unknown).

    >>> share_interval(0.62, 0.714), share_interval(0.0, 0.00045), share_interval(None, 1.0)
    ('62–71%', '0–0.045%', '–')
    """
    if low is None or high is None or low != low or high != high:
        return "–"
    return f"{_percent(low)}–{_percent(high)}%"
