"""The base of every validated input object: frozen, and strict about unknown keys."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Country", "Frozen", "Ident", "Sources"]


class Frozen(BaseModel):
    """Immutable, rejects unknown keys and infinite or NaN numbers; accepts fields by
    name or alias."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )


Ident = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
"""An identifier: letters, digits, '_', '-', '.'."""

Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
"""An ISO 3166-1 alpha-2 country code (PK, AF, TM, UZ, KZ, IR...)."""

Sources = tuple[str, ...]
"""Source ids (S## from the fact sheet) or free-text citations."""
