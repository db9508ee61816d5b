"""Turning pydantic's validation errors into file:line messages a person can act on."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from corridorsim.errors import Issue
from corridorsim.located_yaml.plain import kind_message, unit_of
from corridorsim.located_yaml.reader import Located, format_path

__all__ = [
    "allowed_keys",
    "issue_at",
    "issues_from_validation",
    "suggest",
    "suggest_node",
    "validate",
]

Path_ = tuple[str | int, ...]


def issue_at(located: Located, path: Path_, message: str, *, at_key: bool = False) -> Issue:
    """An :class:`Issue` placed at ``path`` in ``located`` (at its key if ``at_key``)."""
    loc = located.locs.find_key(path) if at_key else None
    if loc is None:
        loc, _ = located.locs.find(path)
    return Issue(loc.file, loc.line, loc.column, format_path(path), message)


def suggest(word: str, choices: typing.Iterable[str], *, n: int = 1) -> str:
    """``"; did you mean 'x'?"`` when ``word`` is close to some of ``choices``, else ``""``."""
    close = difflib.get_close_matches(str(word), sorted(set(choices)), n=n, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def suggest_node(word: str, names: typing.Mapping[str, str]) -> str:
    """Like :func:`suggest` for node ids, also matching node names (``Karachi`` -> ``KHI``)."""
    w = str(word).casefold()
    by_name = [i for i, name in names.items() if w and w in name.casefold()]
    if by_name:
        listed = " or ".join(f"'{i}' ({names[i]})" for i in sorted(by_name)[:3])
        return f"; did you mean {listed}?"
    return suggest(word, names, n=3)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def issues_from_validation(
    exc: ValidationError, located: Located, model: type[BaseModel], prefix: Path_ = ()
) -> list[Issue]:
    """One :class:`Issue` per pydantic error, positioned in the YAML that was validated.

    ``prefix`` is where the validated data sits within ``located`` (for a section
    validated on its own).
    """
    root = located.data
    for part in prefix:
        root = root[part]
    errors = exc.errors(include_url=False)
    failed_inside = [tuple(e["loc"]) for e in errors if e["type"] != "too_short"]
    issues: list[Issue] = []
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "too_short" and any(
            len(other) > len(loc) and other[: len(loc)] == loc for other in failed_inside
        ):
            continue  # the list is short only because its items failed: say that instead
        path, at_key = _data_path(root, loc, err["type"])
        message = _message(dict(err), model, loc)
        issues.append(issue_at(located, (*prefix, *path), message, at_key=at_key))
    # A bad value can fail several union branches; keep one message per place.
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for issue in issues:
        key = (issue.line, issue.column, issue.field, issue.message)
        if key not in seen:
            seen.add(key)
            unique.append(issue)
    return unique


def _data_path(data: Any, loc: Path_, kind: str) -> tuple[Path_, bool]:
    """Map pydantic's ``loc`` onto the path in the data, skipping union tags."""
    path: list[str | int] = []
    cur = data
    at_key = False
    for part in loc:
        if part == "[key]":
            at_key = True
            continue
        in_dict = isinstance(cur, dict) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            path.append(part)
            cur = cur[part]
        # Anything else is a union tag, a validator name, or (for "missing") the absent
        # key itself: not in the data, so the message points at the enclosing mapping.
    if kind == "extra_forbidden":
        at_key = True
    if kind == "union_tag_invalid" and isinstance(cur, dict) and "dist" in cur:
        path.append("dist")
    return tuple(path), at_key


def _message(err: dict[str, Any], model: type[BaseModel], loc: Path_) -> str:
    kind = err["type"]
    msg = str(err["msg"])
    value = err.get("input")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        keys = allowed_keys(model, loc[:-1])
        hint = suggest(name, keys) if keys else ""
        if keys:
            listed = ", ".join(sorted(keys))
            hint += f" (allowed keys: {listed})" if hint else f"; allowed keys: {listed}"
        return f"unknown key '{name}'{hint}"
    if kind == "missing":
        return f"missing required key '{loc[-1]}'"
    if kind == "union_tag_not_found":
        return "a distribution needs a 'dist' key: " + _DIST_TAGS
    if kind == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag", value)
        return f"unknown distribution '{tag}'{suggest(str(tag), _DIST_TAG_LIST)}; use {_DIST_TAGS}"
    distribution = kind in ("dict_type", "model_attributes_type") and unit_of(loc) is not None
    plain = kind_message(kind, value, loc, distribution)
    if plain:
        return plain
    number = _number_message(kind, value) or _bound_message(kind, err.get("ctx", {}), value)
    if number:
        return number
    if msg.startswith("Value error, "):
        return msg.removeprefix("Value error, ")
    if msg.startswith("Assertion failed, "):
        return msg.removeprefix("Assertion failed, ")
    if kind in ("literal_error", "enum"):
        expected = str(err.get("ctx", {}).get("expected", ""))
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        choices = [c for c in choices if c]
        msg = f"must be one of {', '.join(choices)}"
        if isinstance(value, str | int | float | bool) or value is None:
            msg += f" (got {_show(value)})"
        return msg + (suggest(value, choices) if isinstance(value, str) else "")
    if isinstance(value, str | int | float | bool) or value is None:
        msg = f"{msg} (got {_show(value)})"
    return msg


def _number_message(kind: str, value: Any) -> str:
    """Plain words for a value that is not the number a field needs ("" if it is not that)."""
    if kind not in ("float_type", "int_type", "finite_number", "int_from_float"):
        return ""
    what = "a whole number" if kind in ("int_type", "int_from_float") else "a number"
    if isinstance(value, bool):
        return (
            f"{what} is needed, not {str(value).lower()} (YAML reads yes, no, on, off, "
            "true and false as true or false)"
        )
    if kind == "finite_number":
        return f"must be a finite number (got {_show(value)}); .inf and .nan are not allowed"
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return f"{what} is needed (got {_show(value)})"
        return f"{what} is needed (got the text {_show(value)}); write it without quotes"
    return f"{what} is needed (got {_show(value)})"


_BOUNDS = {
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
    "greater_than": ("gt", "more than"),
    "greater_than_equal": ("ge", "at least"),
}


def _bound_message(kind: str, ctx: dict[str, Any], value: Any) -> str:
    """``must be at most 10,000 (got 1e+09)`` for a number out of its bounds."""
    if kind not in _BOUNDS or not isinstance(value, int | float):
        return ""
    key, words = _BOUNDS[kind]
    limit = ctx.get(key)
    if not isinstance(limit, int | float):
        return ""
    return f"must be {words} {_num(limit)} (got {_num(value)})"


def _num(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e12:
        return f"{int(x):,}"
    return f"{x:g}"


_DIST_TAG_LIST = (
    "fixed",
    "uniform",
    "triangular",
    "normal",
    "lognormal",
    "exponential",
    "gamma",
    "empirical",
)
_DIST_TAGS = "one of " + ", ".join(_DIST_TAG_LIST)


# --- which keys a model accepts at a given pydantic location -------------------------


def allowed_keys(model: type[BaseModel], loc: Path_) -> set[str]:
    """The keys accepted by the mapping at ``loc`` in ``model`` (empty if unknown)."""
    candidates: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for tp in candidates:
            nxt.extend(_step(tp, part))
        candidates = nxt
        if not candidates:
            return set()
    keys: set[str] = set()
    for tp in candidates:
        for t in _unwrap(tp):
            if isinstance(t, type) and issubclass(t, BaseModel):
                keys |= _model_keys(t)
    return keys


def _unwrap(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(tp):
            out.extend(_unwrap(arg))
        return out
    return [tp]


def _model_keys(model: type[BaseModel]) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}


def _step(tp: Any, part: str | int) -> list[Any]:
    out: list[Any] = []
    members = _unwrap(tp)
    for t in members:
        origin = typing.get_origin(t)
        if isinstance(t, type) and issubclass(t, BaseModel):
            for name, f in t.model_fields.items():
                if part in (name, f.alias):
                    out.append(f.annotation)
            for key in ("dist", "policy"):  # the format's discriminators
                tag = t.model_fields.get(key)
                if tag is not None and part == tag.default and len(members) > 1:
                    out.append(t)  # discriminated-union tag in the location
        elif origin in (list, tuple) and isinstance(part, int):
            out.append(typing.get_args(t)[0])
        elif origin is dict and isinstance(part, str):
            out.append(typing.get_args(t)[1])
    return out


_FILE_KINDS = {"LeversFile": "levers file", "NetworkSpec": "network file", "Scenario": "scenario"}


def _first_keys(model: type[BaseModel]) -> str:
    keys = [f.alias or name for name, f in model.model_fields.items()]
    return ", ".join(f"{k}:" for k in keys[:4]) + (", ..." if len(keys) > 4 else "")


def validate(model: type[BaseModel], located: Located, prefix: Path_ = ()) -> Any:
    """Validate the data at ``prefix`` in ``located`` into ``model``.

    Raises
    ------
    ScenarioError
        With one positioned issue per problem.
    """
    from corridorsim.errors import ScenarioError

    data = located.data
    for part in prefix:
        data = data[part]
    if not prefix and not isinstance(data, dict):  # not this kind of file: quote nothing of it
        what = _FILE_KINDS.get(model.__name__, "this kind of file")
        message = f"not a {what}: it must be a mapping of keys ({_first_keys(model)})"
        raise ScenarioError([issue_at(located, (), message)])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(issues_from_validation(exc, located, model, prefix)) from None
