"""Base classes for request and response bodies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class InputModel(BaseModel):
    """Request bodies: unknown fields are rejected, not ignored; strings are stripped.

    Text with NUL characters is refused: PostgreSQL cannot store them in a text column.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        if _has_nul(data):
            raise PydanticCustomError("nul_character", "Text must not contain NUL characters.")
        return data


def refuse_null(*names: str) -> Any:
    """A validator for partial updates (PATCH): these fields may be left out (unchanged) but not
    sent as null, which would empty a required column. Use: `_not_null = refuse_null("name")`."""

    def check(cls: type, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError("not_null", "Leave this field out to keep it; it cannot "
                                      "be null.")
        return value

    return field_validator(*names, mode="before")(classmethod(check))


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# Identifiers in paths, queries and bodies are bounded by their column type, so that an absurd
# number is a 422 that says so, not a driver overflow.
INT_ID_MAX = 2_147_483_647  # PostgreSQL integer
BIG_ID_MAX = 9_223_372_036_854_775_807  # PostgreSQL bigint, SQLite INTEGER

IntId = Annotated[int, Path(ge=1, le=INT_ID_MAX)]
BigId = Annotated[int, Path(ge=1, le=BIG_ID_MAX)]
IntIdQuery = Annotated[int | None, Query(ge=1, le=INT_ID_MAX)]
IntIdField = Annotated[int, Field(ge=1, le=INT_ID_MAX)]
