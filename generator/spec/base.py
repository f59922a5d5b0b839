"""The base of every spec model: frozen, strict, and aware of the spec line that built it."""

from __future__ import annotations

import difflib
import enum
import functools
import re
import sys
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, model_validator

from ..errors import ErrorSink, Location, display_path
from .recognise import secret_kind

_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)
_PYDANTIC_DIR = str(Path(sys.modules["pydantic"].__file__ or "").resolve().parent)

# While specs load, construction errors are collected here instead of raised, so that one
# bad field does not hide the next one: the user sees every error of a run at once.
_SINK: ContextVar[ErrorSink | None] = ContextVar("alertgen_spec_sink", default=None)


@contextmanager
def collecting(sink: ErrorSink) -> Iterator[None]:
    """Collect construction errors of spec objects into `sink` for the duration."""
    token = _SINK.set(sink)
    try:
        yield
    finally:
        _SINK.reset(token)


def caller_location() -> Location:
    """The first frame outside alertgen and pydantic: the spec line that built an object."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if not (name.startswith((_PACKAGE_DIR, _PYDANTIC_DIR)) or name.startswith("<frozen")):
            return Location(display_path(name), frame.f_lineno)
        frame = frame.f_back  # type: ignore[assignment]
    return _UNKNOWN


_UNKNOWN = Location("<unknown>", 0)


class SpecModel(BaseModel):
    """A spec object: immutable, unknown fields rejected, remembering where it was written."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    # Where the object was built; objects pydantic builds from nested dicts say <unknown>.
    _loc: Location = PrivateAttr(default=_UNKNOWN)
    # A stand-in for an object whose errors were reported: the build skips it.
    _invalid: bool = PrivateAttr(default=False)

    def __init__(self, /, **data: Any) -> None:
        loc = caller_location()
        sink = _SINK.get()
        try:
            super().__init__(**data)
        except ValidationError as exc:
            if sink is None:
                raise
            subject = describe(type(self).kind(), data.get("name"))
            for err in exc.errors():
                sink.add(loc, subject, format_validation_error(type(self), err))
            # An inert stand-in lets the spec module keep importing so later errors show too.
            stand_in = type(self).model_construct(**data)
            for attr in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"):
                object.__setattr__(self, attr, getattr(stand_in, attr))
            self._invalid = True
        self._loc = loc

    @model_validator(mode="before")
    @classmethod
    def _encodable_text(cls, data: Any) -> Any:
        # Spec text ends up in UTF-8 files: a lone surrogate ('\ud800') cannot be encoded and
        # would crash the writer, far from the spec line that holds it. Only fields that can hold
        # text are looked at: nested objects were looked at when they were built.
        if isinstance(data, dict):
            for key in text_field_names(cls):
                value = data.get(key)
                if value is not None and _has_surrogate(value):
                    raise ValueError(
                        f"{key}: text holds a lone surrogate such as '\\ud800', which no UTF-8 file can "
                        "hold; write the character itself"
                    )
        return data

    @property
    def location(self) -> Location:
        """The spec file and line where this object was constructed."""
        return self._loc

    @property
    def invalid(self) -> bool:
        """True when construction failed and the error was already reported."""
        return self._invalid

    @property
    def subject(self) -> str:
        """How error messages name this object: `Alert 'HighErrorRate'`."""
        return describe(type(self).kind(), getattr(self, "name", None))

    @classmethod
    def kind(cls) -> str:
        """What messages call objects of this class (a tier is an alert to its author)."""
        return cls.__name__


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(value: object) -> bool:
    # Loops, not generators: this sees every value given to every spec object.
    if isinstance(value, str):
        return not value.isascii() and _SURROGATE.search(value) is not None
    if isinstance(value, (tuple, list)):
        for item in value:
            if _has_surrogate(item):
                return True
    elif isinstance(value, dict):
        for key, item in value.items():
            if _has_surrogate(key) or _has_surrogate(item):
                return True
    return False


@functools.cache
def text_field_names(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class whose values can hold text, in order (by their types)."""
    return tuple(name for name, info in cls.model_fields.items() if _can_hold_text(info.annotation))


def _can_hold_text(annotation: object) -> bool:
    if annotation is str:
        return True
    if annotation in (int, float, bool, type(None)):
        return False
    if isinstance(annotation, type):
        # Enum members are fixed words; nested spec objects are scanned when they are built.
        return not issubclass(annotation, enum.Enum | BaseModel | int | float)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return False
    args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
    if origin is typing.Annotated:
        return _can_hold_text(args[0])
    return not args or any(_can_hold_text(a) for a in args)  # unknown shapes are scanned


def is_stand_in(model: BaseModel) -> bool:
    """True for the inert copy of an object whose errors were already reported.

    Pydantic re-runs `mode="after"` validators when a container receives such a copy; checking it
    again would report the same error twice, or fail on the fields it lacks.
    """
    return isinstance(model, SpecModel) and model.invalid


def describe(kind: str, name: object) -> str:
    """Name a spec object for messages (not by a name that holds a secret: messages never show one)."""
    return f"{kind} {name!r}" if isinstance(name, str) and name and not secret_kind(name) else kind


def format_validation_error(model: type[BaseModel], err: Any) -> str:
    """Turn one pydantic error into a message that says what to change."""
    loc = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        field = str(err["loc"][-1])
        known = sorted(model.model_fields)
        close = difflib.get_close_matches(field, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "known fields: " + ", ".join(known)
        return f"unknown field {field!r}; {hint}"
    if kind == "missing":
        return f"{loc}: missing; this field is required"
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return f"{loc}: {msg}" if loc else msg
