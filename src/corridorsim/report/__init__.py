"""Writing results: summary.json, tables, plots, and the Markdown and HTML reports.

The writers (and matplotlib with them) are imported when first used, so that a command
can check its output folder before it imports what draws and writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corridorsim.report.out_dir import OutputError, check_out_dir, default_out_dir

if TYPE_CHECKING:
    from corridorsim.report.writer import write_compare, write_plots, write_run

__all__ = [
    "OutputError",
    "check_out_dir",
    "default_out_dir",
    "write_compare",
    "write_plots",
    "write_run",
]

_WRITERS = ("write_compare", "write_plots", "write_run")


def __getattr__(name: str) -> Any:
    if name in _WRITERS:
        from corridorsim.report import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
