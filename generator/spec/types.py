"""Small typed values of the spec: durations, severities, comparisons, units, names."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, GetCoreSchemaHandler
from pydantic_core import core_schema

from .notify_template import checked_template

_DURATION_RE = re.compile(
    r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?\Z"
)
_UNIT_SECONDS = (365 * 86400, 7 * 86400, 86400, 3600, 60, 1, 0.001)
_UNIT_NAMES = ("y", "w", "d", "h", "m", "s", "ms")
# Prometheus holds durations as Go's time.Duration: int64 nanoseconds.
MAX_SECONDS = (2**63 - 1) // 10**9


class Duration:
    """A Prometheus duration such as `5m` or `1h30m`: validated text plus its length in seconds."""

    __slots__ = ("seconds", "text")

    def __init__(self, text: str) -> None:
        match = _DURATION_RE.match(text) if text else None
        if match is None:
            raise ValueError(
                f"invalid duration {text!r}; write a number and a unit (ms, s, m, h, d, w, y), "
                "largest unit first, e.g. '30s', '5m', '1h30m'"
            )
        self.text = text
        self.seconds = sum(int(g) * u for g, u in zip(match.groups(), _UNIT_SECONDS, strict=True) if g)
        if self.seconds > MAX_SECONDS:
            raise ValueError(f"duration {text!r} is longer than Prometheus accepts (about 292 years)")

    @classmethod
    def of_seconds(cls, seconds: float) -> Duration:
        """The canonical duration text for a number of seconds (`90` -> `1m30s`)."""
        if seconds == 0:
            return cls("0s")
        millis = round(seconds * 1000)
        parts = []
        for unit, name in zip(_UNIT_SECONDS, _UNIT_NAMES, strict=True):
            unit_ms = round(unit * 1000)
            if millis >= unit_ms:
                parts.append(f"{millis // unit_ms}{name}")
                millis %= unit_ms
        return cls("".join(parts))

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Duration({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Duration) and other.seconds == self.seconds

    def __hash__(self) -> int:
        return hash(self.seconds)

    def __bool__(self) -> bool:
        return self.seconds > 0

    @classmethod
    def _validate(cls, value: Any) -> Duration:
        if isinstance(value, Duration):
            return value
        if isinstance(value, str):
            return cls(value)
        raise ValueError(f"durations are strings such as '5m', not {type(value).__name__} {value!r}")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.to_string_ser_schema()
        )


class Severity(StrEnum):
    """How urgent an alert is; routing and runbook grouping follow it."""

    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"


class Category(StrEnum):
    """What an alert is about: the service's health, or a business measure."""

    SERVICE = "service"
    BUSINESS = "business"


class Comparison(StrEnum):
    """The comparison of a signal against an alert's threshold."""

    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    EQ = "=="
    NE = "!="

    @property
    def words(self) -> str:
        """The comparison in prose, for descriptions."""
        return {
            ">": "above",
            ">=": "at or above",
            "<": "below",
            "<=": "at or below",
            "==": "equal to",
            "!=": "not equal to",
        }[self.value]

    def holds(self, value: float, threshold: float) -> bool:
        """Whether `value op threshold` is true."""
        return {
            ">": value > threshold,
            ">=": value >= threshold,
            "<": value < threshold,
            "<=": value <= threshold,
            "==": value == threshold,
            "!=": value != threshold,
        }[self.value]


class Unit(StrEnum):
    """The unit of a signal, named as Grafana names it (dashboards use it as is)."""

    PERCENTUNIT = "percentunit"
    PERCENT = "percent"
    SECONDS = "s"
    MILLISECONDS = "ms"
    SHORT = "short"
    NONE = "none"
    BYTES = "bytes"
    REQPS = "reqps"
    OPS = "ops"
    BOOL = "bool"


class MetricType(StrEnum):
    """The Prometheus type of an exported metric."""

    COUNTER = "counter"
    GAUGE = "gauge"
    HISTOGRAM = "histogram"
    SUMMARY = "summary"


_LABEL_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*\Z")
_METRIC_RE = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
# Prometheus takes any text as an alert name; one printable line keeps every artifact readable.
_ALERT_RE = re.compile(r"^\S(?:[^\x00-\x1f\x7f]*\S)?\Z")
_SEVERITY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_SNAKE_RE = re.compile(r"^[a-z][a-z0-9_]*\Z")
_KEBAB_RE = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]\Z")


def _label_name(value: str) -> str:
    if not _LABEL_RE.match(value) or value.startswith("__"):
        raise ValueError(
            f"invalid label name {value!r}; use letters, digits and underscores, "
            "not starting with a digit or '__'"
        )
    return value


def _metric_name(value: str) -> str:
    if not _METRIC_RE.match(value):
        raise ValueError(f"invalid metric name {value!r}; use letters, digits, '_' and ':'")
    return value


def _alert_name(value: str) -> str:
    if not _ALERT_RE.match(value):
        raise ValueError(
            f"invalid alert name {value!r}; write it on one line without control characters or "
            "surrounding spaces, e.g. 'HighErrorRate'"
        )
    return value


def _severity_name(value: Any) -> Any:
    if isinstance(value, str) and not _SEVERITY_RE.match(value):
        raise ValueError(
            f"invalid severity {value!r}; use letters, digits, '_', '.' and '-', e.g. 'critical' or 'page'"
        )
    return str(value) if isinstance(value, str) else value


def _snake_name(value: str) -> str:
    if not _SNAKE_RE.match(value):
        raise ValueError(f"invalid name {value!r}; use lower_snake_case, e.g. 'error_ratio'")
    return value


def _kebab_name(value: str) -> str:
    # 63: a DNS label's and a Kubernetes label value's limit; names become file names and labels.
    if len(value) > 63:
        raise ValueError(f"name of {len(value)} characters; use at most 63")
    if not _KEBAB_RE.match(value):
        # The whole rule, not just its name: 't' or 'shop-' look like kebab-case to their authors.
        raise ValueError(
            f"invalid name {value!r}; use lower-kebab-case of 2-63 characters (lowercase letters, "
            "digits, '-'; starting with a letter, not ending in '-'), e.g. 'brownie-metadata'"
        )
    return value


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _label_value(value: str) -> str:
    # Static labels are what routing and inhibition match on, so they must arrive as written.
    if not value:
        raise ValueError("empty label value; Prometheus drops a label whose value is empty, so remove it")
    if "{{" in value:
        raise ValueError(
            f"label value {value!r} contains '{{{{', which Prometheus expands as a template; "
            "labels are static here (routing matches them), so remove the braces"
        )
    return value


LabelName = Annotated[str, AfterValidator(_label_name)]
LabelValue = Annotated[str, AfterValidator(_label_value)]
MetricName = Annotated[str, AfterValidator(_metric_name)]
AlertName = Annotated[str, AfterValidator(_alert_name)]
# A severity is a word of the repository's vocabulary (Conventions.severities), checked on build.
SeverityName = Annotated[str, BeforeValidator(_severity_name)]
SnakeName = Annotated[str, AfterValidator(_snake_name)]
KebabName = Annotated[str, AfterValidator(_kebab_name)]
Text = Annotated[str, AfterValidator(_non_empty)]


# Alertmanager notification templates (Slack title, e-mail html, ...): full Go templates that
# Alertmanager only executes when it sends (generator/spec/notify_template.py).
NotifyTemplate = Annotated[str, AfterValidator(checked_template)]
