"""The subset of Prometheus' Go templates alertgen accepts in summaries and descriptions.

Restricting annotations to `{{ $value }}` / `{{ $labels.name }}` with a humanizing pipe keeps
every template valid for Prometheus and lets alertgen expand them itself, which is what the
generated promtool tests need: promtool compares annotations exactly.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

_GO_SPACE = " \t\r\n"  # what Go's text/template trims next to `{{- ` and ` -}}`
_VALUE_RE = re.compile(r"^\$value\Z")
_LABEL_RE = re.compile(r"^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\Z")


def _g4(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return f"{v:.4g}"  # Go's %.4g and C's agree on digits and exponent form.


def humanize(v: float) -> str:
    """Go's `humanize`: SI prefixes, four significant digits."""
    if v == 0 or math.isnan(v) or math.isinf(v):
        return _g4(v)
    if abs(v) >= 1:
        prefix = ""
        for p in ("k", "M", "G", "T", "P", "E", "Z", "Y"):
            if abs(v) < 1000:
                break
            prefix, v = p, v / 1000
        return _g4(v) + prefix
    prefix = ""
    for p in ("m", "u", "n", "p", "f", "a", "z", "y"):
        if abs(v) >= 1:
            break
        prefix, v = p, v * 1000
    return _g4(v) + prefix


def humanize_1024(v: float) -> str:
    """Go's `humanize1024`: binary prefixes."""
    if abs(v) <= 1 or math.isnan(v) or math.isinf(v):
        return _g4(v)
    prefix = ""
    for p in ("ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"):
        if abs(v) < 1024:
            break
        prefix, v = p, v / 1024
    return _g4(v) + prefix


def humanize_percentage(v: float) -> str:
    """Go's `humanizePercentage`: a ratio as a percentage."""
    return _g4(v * 100) + "%"


def humanize_duration(v: float) -> str:
    """Go's `humanizeDuration`: seconds as `1d 2h 3m 4s`, or with SI prefixes below a second."""
    if math.isnan(v) or math.isinf(v):
        return _g4(v)
    if v == 0:
        return _g4(v) + "s"
    if abs(v) >= 1:
        sign = "-" if v < 0 else ""
        v = abs(v)
        whole = int(v)
        seconds, minutes = whole % 60, (whole // 60) % 60
        hours, days = (whole // 3600) % 24, whole // 86400
        if days:
            return f"{sign}{days}d {hours}h {minutes}m {seconds}s"
        if hours:
            return f"{sign}{hours}h {minutes}m {seconds}s"
        if minutes:
            return f"{sign}{minutes}m {seconds}s"
        return f"{sign}{_g4(v)}s"
    prefix = ""
    for p in ("m", "u", "n", "p", "f", "a", "z", "y"):
        if abs(v) >= 1:
            break
        prefix, v = p, v * 1000
    return f"{_g4(v)}{prefix}s"


def go_float(v: float) -> str:
    """How Go's `{{ $value }}` prints a float64 (%v: shortest digits, exponent past 1e21)."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if v == 0:
        return "0"
    sign, digits, exp = Decimal(repr(v)).normalize().as_tuple()
    assert isinstance(exp, int)
    ds = "".join(map(str, digits))
    point = len(ds) + exp  # position of the decimal point relative to the digits
    e10 = point - 1
    neg = "-" if sign else ""
    if e10 < -4 or e10 >= 21:
        mant = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
        return f"{neg}{mant}e{'+' if e10 >= 0 else '-'}{abs(e10):02d}"
    if point <= 0:
        return f"{neg}0.{'0' * -point}{ds}"
    if point >= len(ds):
        return f"{neg}{ds}{'0' * (point - len(ds))}"
    return f"{neg}{ds[:point]}.{ds[point:]}"


def humanize_timestamp(v: float) -> str:
    """Go's `humanizeTimestamp`: Unix seconds as UTC time, to the millisecond as Prometheus keeps
    it (`1970-01-03 02:05:00 +0000 UTC`), fractional seconds without trailing zeros."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    nanos = int(v * 1e9)
    millis = abs(nanos) // 1_000_000 * (1 if nanos >= 0 else -1)  # Go's division truncates to zero
    when = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=millis)
    frac = f".{when.microsecond // 1000:03d}".rstrip("0") if when.microsecond else ""
    return f"{when:%Y-%m-%d %H:%M:%S}{frac} +0000 UTC"


FILTERS: dict[str, Callable[[float], str]] = {
    "humanize": humanize,
    "humanize1024": humanize_1024,
    "humanizePercentage": humanize_percentage,
    "humanizeDuration": humanize_duration,
    "humanizeTimestamp": humanize_timestamp,
}
_STRING_FILTERS: dict[str, Callable[[str], str]] = {
    "toUpper": str.upper,
    "toLower": str.lower,
    "title": str.title,
}
SUPPORTED = (
    "{{ $value }}, {{ $value | humanize }} (or humanizePercentage, humanizeDuration, "
    "humanize1024, humanizeTimestamp) and {{ $labels.<name> }}"
)


@dataclass(frozen=True, slots=True)
class Template:
    """A parsed annotation template: literal text and actions, in order."""

    parts: tuple[str | tuple[str, str | None, str | None], ...]

    @property
    def uses_value(self) -> bool:
        """Whether `$value` (or `.Value`) appears."""
        return any(
            isinstance(p, tuple)
            and (p[0] == "value" or (p[0] == "other" and _READS_VALUE.search(p[1] or "") is not None))
            for p in self.parts
        )

    @property
    def labels(self) -> frozenset[str]:
        """The `$labels.x` names the template reads."""
        names = {p[1] for p in self.parts if isinstance(p, tuple) and p[0] == "label" and p[1]}
        for p in self.parts:
            if isinstance(p, tuple) and p[0] == "other":
                names.update(_LABEL_USE.findall(p[1] or ""))
        return frozenset(names)

    @property
    def expandable(self) -> bool:
        """Whether alertgen can expand it: no action outside the subset (SUPPORTED)."""
        return not any(isinstance(p, tuple) and p[0] == "other" for p in self.parts)

    @property
    def beyond(self) -> str:
        """The first action alertgen cannot expand, as written ("" when it can expand them all)."""
        return next((p[1] or "" for p in self.parts if isinstance(p, tuple) and p[0] == "other"), "")

    def expand(self, labels: Mapping[str, str], value: float | None) -> str:
        """The text Prometheus would produce for these labels and value."""
        assert self.expandable, "callers check Template.expandable"
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            kind, name, pipe = part
            if kind == "value":
                v = float("nan") if value is None else value
                out.append(FILTERS[pipe](v) if pipe else go_float(v))
            else:
                text = labels.get(name or "", "")
                out.append(_STRING_FILTERS[pipe](text) if pipe else text)
        return "".join(out)


def parse_template(text: str) -> Template:
    """Parse a template; ValueError with what to change when Prometheus would refuse it.

    Actions outside the subset alertgen expands (`{{ printf "%.2f" $value }}`, `{{ range }}`)
    are kept as written and checked for what Prometheus checks first: known functions,
    balanced blocks, closed quotes. Examples of such an alert say their annotations themselves.
    """
    parts: list[str | tuple[str, str | None, str | None]] = []
    blocks: list[str] = []
    pos = 0
    # str.find, not a regex: a lazy `{{.*?}}` rescans the rest of the text from every `{{`,
    # quadratic on long text full of braces (seconds for 10 kB).
    while (start := text.find("{{", pos)) >= 0:
        end = text.find("}}", start + 2)
        if end < 0:
            raise ValueError("unbalanced '{{' in template; close every '{{' with '}}'")
        literal, inner = text[pos:start], text[start + 2 : end]
        # Go's trim markers, `{{- ` and ` -}}` (the space is part of them), eat the white space
        # of the text next to the action: Prometheus never shows it.
        if len(inner) >= 2 and inner[0] == "-" and inner[1] in _GO_SPACE:
            literal, inner = literal.rstrip(_GO_SPACE), inner[1:]
        trim_right = len(inner) >= 2 and inner[-1] == "-" and inner[-2] in _GO_SPACE
        if trim_right:
            inner = inner[:-1]
        if literal:
            parts.append(literal)
        parts.append(_action(text[start : end + 2], inner.strip(), blocks))
        pos = end + 2
        if trim_right:
            while pos < len(text) and text[pos] in _GO_SPACE:
                pos += 1
    if pos < len(text):
        parts.append(text[pos:])
    if blocks:
        raise ValueError(f"'{{{{ {blocks[-1]} ... }}}}' is never closed; add '{{{{ end }}}}'")
    return Template(tuple(parts))


def _action(raw: str, body: str, blocks: list[str]) -> tuple[str, str | None, str | None]:
    pieces = [p.strip() for p in body.split("|")]
    head, pipe = pieces[0], (pieces[1] if len(pieces) == 2 else None)
    if len(pieces) <= 2 and _VALUE_RE.match(head) and (pipe is None or pipe in FILTERS):
        return ("value", None, pipe)
    label = _LABEL_RE.match(head)
    if len(pieces) <= 2 and label and (pipe is None or pipe in _STRING_FILTERS):
        return ("label", label.group(1), pipe)
    _check_other(raw, body, blocks)
    return ("other", raw, None)


# Go's text/template keywords and builtins, and the functions Prometheus adds for rule templates.
_KEYWORDS = frozenset(
    {"if", "else", "end", "range", "with", "define", "block", "template", "break", "continue"}
)
_FUNCTIONS = frozenset(
    {
        "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
        "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne", "query", "first", "label", "value",
        "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title", "toUpper", "toLower",
        "graphLink", "tableLink", "sortByLabel", "stripPort", "stripDomain", "humanize",
        "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime",
        "toDuration", "pathPrefix", "externalURL", "parseDuration", "now",
    }
)  # fmt: skip
_READS_VALUE = re.compile(r"\$value\b|(?<![\w$])\.Value\b")
_LABEL_USE = re.compile(r"\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERAND = re.compile(
    r"^(?:\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*|\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)?|[-+]?[0-9][0-9.eExXa-fA-F_+-]*|true|false|nil|\(.*|'.'|\$?[A-Za-z0-9_]+\s*:?=.*)$",
    re.S,
)


def _check_other(raw: str, body: str, blocks: list[str]) -> None:
    """What Prometheus would refuse in an action outside the subset: raises ValueError."""
    if body.startswith("/*"):
        return  # a comment
    bare = _STRING.sub('""', body)
    if '"' in bare.replace('""', "") or "`" in bare:
        raise ValueError(f"unclosed quote in template action {raw!r}")
    words = bare.split()
    if not words:
        raise ValueError(f"empty template action {raw!r}; remove it")
    first = words[0]
    if first in ("if", "range", "with", "define", "block"):
        blocks.append(first)
    elif first == "end":
        if not blocks:
            raise ValueError(f"{raw!r} closes no if, range, with, define or block; remove it")
        blocks.pop()
    elif first == "else" and (not blocks or blocks[-1] not in ("if", "range", "with")):
        raise ValueError(f"{raw!r} outside an if, range or with; remove it")
    for segment in bare.split("|"):
        parts = segment.split()
        head = parts[0] if parts else ""
        if head in _KEYWORDS:
            head = parts[1] if len(parts) > 1 else ""
        if not head or head == '""' or _OPERAND.match(head):
            continue
        if _WORD.fullmatch(head) and head not in _FUNCTIONS:
            close = difflib.get_close_matches(head, sorted(_FUNCTIONS), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "see Prometheus' template reference"
            raise ValueError(f"unknown template function {head!r} in {raw!r}; {hint}")
        if not _WORD.fullmatch(head):
            raise ValueError(f"template action {raw!r} does not parse: {head!r} is no operand or function")
