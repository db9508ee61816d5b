"""Exceptions raised by corridorsim.

Every error the package raises on purpose derives from :class:`CorridorSimError`,
and also from the built-in exception it refines, so ``except ValueError`` keeps
working for callers who do not know this module.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CorridorSimError",
    "Issue",
    "NetworkError",
    "NoRouteError",
    "ScenarioError",
]


class CorridorSimError(Exception):
    """Base class of every error corridorsim raises on purpose."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in an input file.

    Parameters
    ----------
    file : str
        The file the problem is in, as the user named it.
    line, column : int or None
        1-based position of the offending key or value, when known.
    field : str
        Dotted path of the field, e.g. ``network.links[3].speed_kmh``; ``"-"``
        when the problem is with the document as a whole.
    message : str
        What is wrong and, where possible, how to fix it.
    """

    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.field}: {self.message}"


class ScenarioError(CorridorSimError, ValueError):
    """A scenario or network file is malformed or inconsistent.

    Holds every :class:`Issue` found; ``str(error)`` gives one line per issue
    in the form ``FILE:LINE:COL: field.path: problem``.
    """

    def __init__(self, issues: list[Issue] | tuple[Issue, ...]):
        if not issues:
            raise ValueError("ScenarioError needs at least one issue")
        self.issues = tuple(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


class NetworkError(CorridorSimError, ValueError):
    """A query names something the network does not have (a node, a link)."""


class NoRouteError(NetworkError, LookupError):
    """No route joins two places under the given filters."""
