"""Writing results: summary.json, tables, plots, and the Markdown and HTML reports."""

from corridorsim.report.out_dir import OutputError, check_out_dir, default_out_dir
from corridorsim.report.writer import write_compare, write_plots, write_run

__all__ = [
    "OutputError",
    "check_out_dir",
    "default_out_dir",
    "write_compare",
    "write_plots",
    "write_run",
]
