"""Writing results: summary.json, tables, and the Markdown and HTML reports."""

from corridorsim.report.compare import compare_summaries
from corridorsim.report.writer import (
    OutputError,
    check_out_dir,
    default_out_dir,
    write_compare,
    write_run,
)

__all__ = [
    "OutputError",
    "check_out_dir",
    "compare_summaries",
    "default_out_dir",
    "write_compare",
    "write_run",
]
