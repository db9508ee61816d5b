"""A count and its noun, agreeing: ``1 replication``, ``10 replications``."""

from __future__ import annotations

__all__ = ["counted"]


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, in the plural (``plural``, else ``noun`` + "s") unless n is 1.

    >>> counted(1, "replication"), counted(10, "replication")
    ('1 replication', '10 replications')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
