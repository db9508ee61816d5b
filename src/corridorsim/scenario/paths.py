"""Scenario fields addressed by dotted paths in the file's own terms
(``borders.crossings.chaman.rail.exit.processing_hours``), for sweeps: checked against
the scenario format before anything runs."""

from __future__ import annotations

import types
import typing
from typing import Any, Union

from pydantic import BaseModel

from corridorsim.errors import CorridorSimError
from corridorsim.located_yaml.diagnostics import suggest
from corridorsim.scenario.format import Scenario

__all__ = ["check_path", "is_integer"]


def _models(annotation: Any) -> tuple[list[type[BaseModel]], int]:
    """The pydantic models an annotation can hold, and how many mapping levels come
    first (their keys are free: crossing ids, modes, node ids, gauges...)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        models: list[type[BaseModel]] = []
        levels = 0
        for arg in typing.get_args(annotation):
            m, n = _models(arg)
            models += m
            levels = max(levels, n)
        return models, levels
    if origin is dict:
        inner, n = _models(typing.get_args(annotation)[1])
        return inner, n + 1
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation], 0
    return [], 0


def check_path(path: str, *, option: str = "--vary") -> Any:
    """Raise :class:`CorridorSimError` naming the first part of ``path`` that is not a
    scenario field (with the fields allowed there), after ``option`` (where the path was
    given); return the annotation of the value it addresses."""
    parts = path.split(".")
    models: list[type[BaseModel]] = [Scenario]
    free = 0
    annotation: Any = Scenario
    for i, part in enumerate(parts):
        if free:  # a mapping's key (a crossing, a node...): checked when the variant loads
            free -= 1
            annotation = _mapped(annotation)
            continue
        if not models:
            raise CorridorSimError(f"{option} {path}: '{parts[i - 1]}' is a value, not a section")
        fields = {(f.alias or name): f for m in models for name, f in m.model_fields.items()}
        if part not in fields:
            where = ".".join(parts[:i]) or "the scenario"
            raise CorridorSimError(
                f"{option} {path}: {where} has no field '{part}'{suggest(part, fields)}; "
                f"fields there: {', '.join(sorted(fields))}"
            )
        annotation = fields[part].annotation
        models, free = _models(annotation)
    return annotation


def _members(annotation: Any) -> list[Any]:
    """The types an annotation allows, ``Annotated`` and unions unwrapped, ``None`` left
    out."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _members(arg)]
    return [] if annotation is type(None) else [annotation]


def _mapped(annotation: Any) -> Any:
    """The value type of the first mapping in ``annotation`` (None when there is none)."""
    for member in _members(annotation):
        if typing.get_origin(member) is dict:
            return typing.get_args(member)[1]
    return None


def is_integer(annotation: Any) -> bool:
    """Whether a field takes whole numbers only (an ``int``, however annotated)."""
    return _members(annotation) == [int]
