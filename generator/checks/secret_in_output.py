"""secret/in-output: a generated file holds something that looks like a secret.

Generated files are committed. Spec fields that reach rules and runbooks are refused when they
look like secrets, but any spec text can end up in some artifact (an example's series, a route
matcher, a dashboard row title), so every byte written is scanned too, percent-encoding decoded,
and the finding names the spec object whose text it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from urllib.parse import unquote

from pydantic import BaseModel

from ..artifacts.tree import text_of
from ..model import Model, ResolvedAlert, ServiceInfo
from ..spec.base import SpecModel
from ..spec.secrets import secret_match, strings
from .base import Check, Level, Problem, Scope
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Each line of each file this part of the run read itself, scanned for secrets."""
    for path, data in sorted(ctx.own.items()):
        for number, line in enumerate(text_of(data).splitlines(), start=1):
            found = secret_match(line)
            if found is None:
                continue
            needle, kind = found
            where = _origin(ctx.model, needle)
            source = f", from {where}" if where else ""
            yield Problem(
                path,
                number,
                f"holds {kind}{source}; generated files are committed, so keep the secret in a file "
                "(the receivers' *_file fields) and write where it is kept instead",
            )


def _origin(model: Model, needle: str) -> str:
    """`file:line (Kind field)` of the spec object whose text holds `needle`, or "" (the message
    never repeats the secret, so the object's name, which may hold it, is not shown). A service
    before its alerts: what an alert derives from the service (its URLs, the service label) is
    the service's text."""
    roots: list[object] = []
    for service in model.services:
        roots.extend((service.spec, *service.alerts))
    roots.extend(model.teams)
    if model.routing is not None:
        roots.append(model.routing)
    for obj in _objects(roots):
        for name in _field_names(obj):
            for text in _texts(getattr(obj, name)):
                if needle in text or ("%" in text and needle in unquote(text)):
                    return f"{obj.location} ({_kind(obj)} {name})"  # type: ignore[attr-defined]
    return ""


def _kind(obj: object) -> str:
    if isinstance(obj, SpecModel):
        return type(obj).kind()
    return "Service" if isinstance(obj, ServiceInfo) else "Alert"


def _field_names(obj: object) -> list[str]:
    if isinstance(obj, BaseModel):
        return list(type(obj).model_fields)
    return [f.name for f in fields(obj)]  # type: ignore[arg-type]


def _objects(values: list[object]) -> Iterator[object]:
    """Every object in `values` that knows its spec line (spec objects, resolved alerts, services),
    depth first, the innermost first (the most precise)."""
    for value in values:
        if isinstance(value, BaseModel | ServiceInfo | ResolvedAlert):
            yield from _objects([getattr(value, name) for name in _field_names(value)])
            if isinstance(value, SpecModel | ServiceInfo | ResolvedAlert):
                yield value
        elif isinstance(value, tuple | list):
            yield from _objects(list(value))
        elif isinstance(value, dict):
            yield from _objects(list(value.values()))


def _texts(value: object) -> list[str]:
    """Every string of a field value, in what it holds that knows no line of its own (an alert's
    tests) too."""
    if is_dataclass(value) and not isinstance(value, type | ServiceInfo | ResolvedAlert):
        return [s for f in fields(value) for s in _texts(getattr(value, f.name))]
    if isinstance(value, tuple | list):
        return [s for v in value for s in _texts(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_texts(k), *_texts(v))]
    return strings(value)


CHECK = Check(
    "secret/in-output",
    Level.ERROR,
    "a generated file holds something that looks like a secret",
    run,
    scope=Scope.EVERY,
)
