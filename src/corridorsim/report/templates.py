"""The Jinja environment of the report templates (``report/templates/*.j2``).

Text from scenario and network files reaches the reports. In HTML it is escaped by
Jinja's autoescape; in Markdown every value is escaped by :func:`markdown_text` (so a
description holding ``<script>`` or a link renders as the text it is, and a ``|`` or a
line break cannot break a table), except where a template asks for :func:`markdown_block`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from corridorsim.wording import counted

__all__ = ["markdown_block", "markdown_text", "templates"]

_BLOCK = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]"})
_INLINE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "\n": " ",
        "\r": " ",
    }
)


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown on one line: no HTML, no links, no table breaks."""
    return text.translate(_INLINE)


def markdown_block(text: str) -> Markup:
    """``text`` as literal Markdown that keeps its line breaks (a paragraph)."""
    return Markup(text.translate(_BLOCK))


@pass_context
def _finalize(ctx: Context, value: Any) -> Any:
    name = ctx.name or ""
    if name.endswith(".md.j2") and isinstance(value, str) and not isinstance(value, Markup):
        return markdown_text(value)
    return value


@cache
def templates() -> Environment:
    """The template environment (see the module's note on escaping)."""
    env = Environment(
        loader=PackageLoader("corridorsim", "report/templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2")),
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["markdown_block"] = markdown_block
    env.globals["counted"] = counted
    return env
