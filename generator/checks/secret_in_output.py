"""secret/in-output: a generated file holds something that looks like a secret.

Generated files are committed. Spec fields that reach rules and runbooks are refused when they
look like secrets, but any spec text can end up in some artifact (an example's series, a route
matcher, a dashboard row title), so every byte written is scanned too, percent-encoding decoded,
and the finding names the spec object whose text it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

from pydantic import BaseModel

from ..artifacts.tree import text_of
from ..model import Model
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
    never repeats the secret, so the object's name, which may hold it, is not shown)."""
    roots: list[object] = [s.spec for s in model.services]
    roots.extend(model.teams)
    if model.routing is not None:
        roots.append(model.routing)
    for obj in _objects(roots):
        for name in type(obj).model_fields:
            for text in strings(getattr(obj, name)):
                if needle in text or ("%" in text and needle in unquote(text)):
                    return f"{obj.location} ({type(obj).kind()} {name})"
    return ""


def _objects(values: list[object]) -> Iterator[SpecModel]:
    """Every spec object in `values`, depth first, the innermost first (the most precise)."""
    for value in values:
        if isinstance(value, BaseModel):
            yield from _objects([getattr(value, name) for name in type(value).model_fields])
            if isinstance(value, SpecModel):
                yield value
        elif isinstance(value, tuple | list):
            yield from _objects(list(value))
        elif isinstance(value, dict):
            yield from _objects(list(value.values()))


CHECK = Check(
    "secret/in-output",
    Level.ERROR,
    "a generated file holds something that looks like a secret",
    run,
    scope=Scope.EVERY,
)
