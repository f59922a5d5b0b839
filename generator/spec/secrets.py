"""Recognising secret values, so that specs and generated files only ever refer to secret files.

A secret (PagerDuty key, Slack webhook URL, password, token) written into a spec would be copied
into the generated Alertmanager config and committed. Receivers therefore take `*_file` paths,
and any string that looks like a secret is refused. Messages never repeat the value.
"""

from __future__ import annotations

import functools
import re

from pydantic import BaseModel, model_validator

from .base import SpecModel, is_stand_in, text_field_names
from .recognise import secret_kind, secret_match

__all__ = ["Committed", "check_secret_file", "secret_field", "secret_kind", "secret_match", "strings"]


def strings(value: object) -> list[str]:
    """Every string in a field value: itself, or inside tuples, lists and dicts (keys too)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple | list):
        return [s for v in value for s in strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings(k), *strings(v))]
    return []


def secret_field(model: BaseModel) -> tuple[str, str] | None:
    """The first `(field, kind)` of a model whose value looks like a secret; `*_file` fields aside."""
    values = model.__dict__
    for field in text_fields(type(model)):
        value = values[field]
        if isinstance(value, str):
            kind = secret_kind(value)
            if kind:
                return field, kind
        elif value is not None:
            for text in strings(value):
                kind = secret_kind(text)
                if kind:
                    return field, kind
    return None


@functools.cache
def text_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class whose values can hold text (secrets hide nowhere else), in order.

    Every spec object is scanned; most fields hold numbers, enums or nested objects (which scan
    themselves), and skipping them by their type halves the scan. `*_file` fields hold paths.
    """
    return tuple(name for name in text_field_names(cls) if not name.endswith("_file"))


_SECRET_FILE_RE = re.compile(r"^/[^\s:]*[^\s/:]\Z")


def check_secret_file(value: str) -> str:
    """A `*_file` field: the absolute path of the file holding the secret, never the secret itself."""
    if not _SECRET_FILE_RE.match(value) or secret_kind(value):
        raise ValueError(
            "expects the absolute path of a file that holds the secret, e.g. "
            "'/etc/alertmanager/secrets/<name>', not the secret itself (the value is not shown here)"
        )
    return value


class Committed(SpecModel):
    """A spec object whose text lands in committed artifacts (any of them): no secrets in it."""

    @model_validator(mode="after")
    def _no_secrets(self) -> Committed:
        found = None if is_stand_in(self) else secret_field(self)
        if found:
            raise ValueError(
                f"{found[0]}: looks like {found[1]}; the generated files are committed, "
                "so a spec must not hold secrets: say where the secret is kept instead"
            )
        return self
