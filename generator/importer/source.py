"""What `alertgen import` reads, as read: rule groups and promtool test cases, with their lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Where:
    """A place in an input file: its path as given and a 1-based line (0: the file)."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class SourceRule:
    """One recording or alerting rule as its file has it (durations as written, None when absent)."""

    kind: str  # "record" or "alert"
    name: str
    expr: str
    where: Where
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    for_: str | None = None
    keep_firing_for: str | None = None


@dataclass(frozen=True)
class SourceGroup:
    """A rule group as its file has it."""

    name: str
    where: Where
    rules: tuple[SourceRule, ...]
    interval: str | None = None
    limit: int = 0
    # Keys the group has that alertgen does not write (Thanos' partial_response_strategy, a
    # query_offset, ...): kept here so that the import can say what it drops.
    other: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceFile:
    """One rule document: a Prometheus rule file, a PrometheusRule object or a Mimir namespace."""

    path: str
    kind: str  # "prometheus", "prometheusrule" or "mimir"
    groups: tuple[SourceGroup, ...]
    # The object's metadata.name (PrometheusRule) or the namespace (Mimir), when there is one.
    name: str | None = None
    # A PrometheusRule's metadata.namespace and metadata.labels (what Prometheus selects it by).
    namespace: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    # The line of what names it (`metadata:`, `namespace:`); 0 when nothing does.
    line: int = 0

    @property
    def where(self) -> Where:
        """The file, at the line of what names it."""
        return Where(self.path, self.line)


@dataclass(frozen=True)
class Expected:
    """One alert a promtool test expects: its labels and annotations."""

    labels: Mapping[str, str]
    annotations: Mapping[str, str]


@dataclass(frozen=True)
class SourceCase:
    """One `alert_rule_test` entry with its test's input: an example of the alert it names."""

    alertname: str
    series: Mapping[str, str]  # input series selector -> values, as written
    interval: str  # the test's interval (its file's evaluation_interval when it has none)
    eval_time: str
    expected: tuple[Expected, ...]
    where: Where
    test_name: str | None = None
