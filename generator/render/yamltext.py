"""Block-style YAML text written directly, byte for byte what PyYAML's C emitter writes for it.

`yamlout.dump` builds emitter events for libyaml; at 10,000 alerts that was 2.5 million event
objects, most of a second for the promtool tests alone. The output style is fixed (block
collections, two-space indent, sequences in mappings not indented, `|` blocks for multi-line
text, no line folding), so for the strings that style decides simply this writes the text
itself: plain, single-quoted on one line, or a `|`/`|-` block. Anything else (a string libyaml
would double-quote, a `|+` block, a key that is not simple, an object met twice, another type)
raises `Unhandled` and `dump` takes the event path. tests/test_yamlout.py holds both to PyYAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..artifacts.linedoc import LineDict, LineList


class Unhandled(Exception):
    """Data this writer leaves to libyaml."""


def text(data: Any, plain_implicit: Callable[[str], bool]) -> str:
    """The YAML document of a dict or list; `plain_implicit(s)`: would `s` read back as a string."""
    writer = _Writer(plain_implicit)
    kind = type(data)
    if kind is dict and data:
        writer.mapping(data, 0, "")
    elif kind is list and data:
        writer.sequence(data, 0, "")
    else:
        raise Unhandled
    return "".join(writer.out)


# Styles of a string as a value in block context: plain, single-quoted, or a literal block.
_PLAIN, _SINGLE, _LITERAL_CLIP, _LITERAL_STRIP = 0, 1, 2, 3

# Characters libyaml writes as they are with allow_unicode, outside the line breaks it treats
# specially (NEL, LS, PS); a tab, a control character or a BOM makes it double-quote.
_FOREIGN = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
# Where a plain scalar would be read as structure: `: ` or ` #` inside, or a colon at the end.
_INSIDE = re.compile(r": | #|:$")


def _style(value: str, plain_implicit: Callable[[str], bool]) -> int:
    """How libyaml writes `value` as a block value, given the writer's `|` rule; Unhandled else.

    The rules are libyaml's `yaml_emitter_analyze_scalar` and `select_scalar_style` restricted
    to what this writer handles.
    """
    if not (value.isascii() and value.isprintable()) and _FOREIGN.search(value):
        raise Unhandled
    if "\n" in value:
        # The writer asks for `|` unless the text starts with a space (libyaml would then quote).
        if value[0] in " \n" or value.endswith((" ", "\n\n")) or " \n" in value:
            raise Unhandled
        return _LITERAL_CLIP if value[-1] == "\n" else _LITERAL_STRIP
    if not value or not plain_implicit(value):
        return _SINGLE
    first = value[0]
    followed = len(value) == 1 or value[1] == " "
    if (
        first in " #,[]{}&*!|>'\"%@`"
        or (first in "?:-" and followed)
        or value[-1] == " "
        or value.startswith(("---", "..."))
        or _INSIDE.search(value, 1)
    ):
        return _SINGLE
    return _PLAIN


def float_text(value: float) -> str:
    """SafeRepresenter.represent_float's text."""
    if value != value:
        return ".nan"
    if value == float("inf"):
        return ".inf"
    if value == -float("inf"):
        return "-.inf"
    text = repr(value).lower()
    # repr(1e17) is '1e17', not a valid YAML float: PyYAML writes '1.0e17'.
    return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text


class _Writer:
    """The pieces of one document and what it has seen (a container met twice is an alias)."""

    def __init__(self, plain_implicit: Callable[[str], bool]) -> None:
        self.out: list[str] = []
        self._plain_implicit = plain_implicit
        self._seen: set[int] = set()
        self._styles: dict[str, int] = {}
        self._keys: dict[str, str] = {}

    def _enter(self, container: object) -> None:
        if id(container) in self._seen:
            raise Unhandled
        self._seen.add(id(container))

    def key(self, key: Any) -> str:
        """A simple key as written, colon included."""
        if type(key) is not str:
            return self.scalar(key) + ":"
        known = self._keys.get(key)
        if known is None:
            # A simple key is one line shorter than 128 bytes; libyaml counts UTF-8 bytes.
            if not key or len(key.encode()) >= 128 or "\n" in key:
                raise Unhandled
            style = _style(key, self._plain_implicit)
            known = (key if style == _PLAIN else "'" + key.replace("'", "''") + "'") + ":"
            self._keys[key] = known
        return known

    def scalar(self, value: Any) -> str:
        """A scalar other than a string, as SafeRepresenter writes it (always plain)."""
        kind = type(value)
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            return str(value)
        if kind is float:
            return float_text(value)
        if value is None:
            return "null"
        raise Unhandled

    def value(self, value: Any, indent: int, lead: str) -> None:
        """`value` after `lead` (`:` of a key or `-` of an item) whose block content sits at `indent`."""
        out = self.out
        kind = type(value)
        if kind is str:
            style = self._styles.get(value)
            if style is None:
                style = self._styles[value] = _style(value, self._plain_implicit)
            if style == _PLAIN:
                out.append(f"{lead} {value}\n")
            elif style == _SINGLE:
                quoted = value.replace("'", "''")
                out.append(f"{lead} '{quoted}'\n")
            else:
                self._literal(value, indent, lead, style)
        elif kind is dict:
            if not value:
                out.append(f"{lead} {{}}\n")
            elif lead == "-":
                self.mapping(value, indent, "- ")
            else:
                out.append(lead + "\n")
                self.mapping(value, indent, " " * indent)
        elif kind is list:
            if not value:
                out.append(f"{lead} []\n")
            elif lead == "-":
                self.sequence(value, indent, "- ")
            else:
                out.append(lead + "\n")
                self.sequence(value, indent - 2, " " * (indent - 2))  # not indented in a mapping
        else:
            out.append(f"{lead} {self.scalar(value)}\n")

    def _literal(self, value: str, indent: int, lead: str, style: int) -> None:
        pad = " " * indent
        body = value[:-1] if style == _LITERAL_CLIP else value
        lines = [pad + line if line else "" for line in body.split("\n")]
        self.out.append(f"{lead} |{'' if style == _LITERAL_CLIP else '-'}\n" + "\n".join(lines) + "\n")

    def mapping(self, data: dict[Any, Any], indent: int, first: str) -> None:
        """A non-empty block mapping whose keys sit at `indent`; `first` goes before its first key."""
        self._enter(data)
        pad = " " * indent
        out = self.out
        inner = indent + 2
        for key, item in data.items():
            out.append(first)
            first = pad
            out.append(self.key(key))
            self.value(item, inner, "")

    def sequence(self, data: list[Any], indent: int, first: str) -> None:
        """A non-empty block sequence whose dashes sit at `indent`; `first` goes before the first."""
        self._enter(data)
        pad = " " * indent
        out = self.out
        inner = indent + 2
        for item in data:
            out.append(first)
            first = pad
            self.value(item, inner, "-")


@dataclass(frozen=True, slots=True)
class Written:
    """A document this writer wrote: its data, the line its body starts on, and what it reads back as.

    The text reads back as data equal to `data` (PyYAML's loader) and, with lines, as `with_lines()`
    (the checks' loader): tests/test_yamlout.py holds both, so checks of a file rendered in the
    same run need not parse it again.
    """

    data: Any
    first_line: int
    plain_implicit: Callable[[str], bool]

    def with_lines(self) -> Any:
        """The document as `checks.yamlnodes.load` reads the text: LineDicts and LineLists."""
        return _Lines(self.plain_implicit, self.first_line).item(self.data, True)


class _Lines:
    """Walks data as `_Writer` writes it, counting lines instead of writing them."""

    def __init__(self, plain_implicit: Callable[[str], bool], line: int) -> None:
        self.line = line
        self._plain_implicit = plain_implicit
        self._styles: dict[str, int] = {}

    def item(self, value: Any, here: bool) -> Any:
        """The view of `value` written after a key or dash; `here`: a collection starts on this line."""
        kind = type(value)
        if kind is str:
            style = self._styles.get(value)
            if style is None:
                style = self._styles[value] = _style(value, self._plain_implicit)
            if style == _LITERAL_CLIP:
                self.line += 1 + value.count("\n")  # `|`, then the lines before the last break
            elif style == _LITERAL_STRIP:
                self.line += 2 + value.count("\n")
            else:
                self.line += 1
            return value
        if kind is dict:
            if value and not here:
                self.line += 1
            return self.mapping(value)
        if kind is list:
            if value and not here:
                self.line += 1
            return self.sequence(value)
        self.line += 1
        return value

    def mapping(self, data: dict[Any, Any]) -> LineDict:
        """A mapping starting on the current line (`{}` when empty)."""
        view = LineDict()
        view.line = self.line
        view.key_lines = {}
        if not data:
            self.line += 1
        for key, item in data.items():
            name = str(key)
            view.key_lines[name] = self.line
            view[name] = self.item(item, False)
        return view

    def sequence(self, data: list[Any]) -> LineList:
        """A sequence starting on the current line (`[]` when empty)."""
        view = LineList()
        view.line = self.line
        if not data:
            self.line += 1
        for item in data:
            view.append(self.item(item, True))
        return view
