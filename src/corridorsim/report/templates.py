"""The Jinja environment of the report templates (``report/templates/*.j2``)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

__all__ = ["templates"]


@cache
def templates() -> Environment:
    """The template environment; scenario text is escaped in HTML (``*.html.j2``)."""
    return Environment(
        loader=PackageLoader("corridorsim", "report/templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2")),
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
