"""What checks read: the rendered files parsed back (lazily, once) and the model's intent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

from .. import conventions as conv
from ..model import Model, ResolvedAlert, ResolvedService
from ..render.readback import ReadBack
from ..spec.types import MetricType
from .alertmanager import AlertmanagerFile, is_alertmanager_config, parse_alertmanager
from .base import Problem
from .dashboards import Dashboard, parse_dashboard
from .inhibitflow import InhibitIndex
from .labelflow import LabelIndex
from .routeflow import RouteFlow
from .rules import TESTS_SUFFIX, Examples, ExamplesRead, Rule, parse_rules, parse_tests, service_of
from .runbooks import Runbook, parse_runbook

# The artifact kinds, each a lazily parsed attribute of Context.
ARTIFACTS = ("rules", "examples", "dashboards", "runbooks", "alertmanagers")


class Context:
    """The output tree under check (`{relative path: text}`) and the specs that should explain it.

    Artifacts are parsed on first use, so a check run pays only for what its checks read.
    Optional inputs (a live Prometheus for `promql/series-missing`) ride along as attributes.
    """

    def __init__(
        self,
        model: Model,
        files: Mapping[str, str | bytes],
        prometheus_url: str | None = None,
        artifacts: Sequence[str] = ARTIFACTS,
        written: dict[str, ReadBack] | None = None,
    ) -> None:
        self.model = model
        self.files = files
        # What files rendered in this run read back as, when recorded (render_all's `written`).
        self.written = written or {}
        self.prometheus_url = prometheus_url
        self.artifacts = tuple(artifacts)
        self.invalid: list[Problem] = []

    def _text(self, path: str) -> str:
        """A file's text (files handed over, or done with, may hold the bytes to write instead)."""
        content = self.files[path]
        return content.decode() if isinstance(content, bytes) else content

    def _yaml(self, path: str) -> tuple[str, Any]:
        """A YAML file's text, and None: the parsers read the text itself."""
        return self._text(path), None

    @cached_property
    def services(self) -> dict[str, ResolvedService]:
        """The model's services by name."""
        return {s.name: s for s in self.model.services}

    @cached_property
    def intended(self) -> dict[tuple[str, str], ResolvedAlert]:
        """The model's alerts by `(service, alert name)`."""
        return {(s.name, a.name): a for s in self.model.services for a in s.alerts}

    @cached_property
    def rules(self) -> list[Rule]:
        """Every rule of every rules file, in file order."""
        out: list[Rule] = []
        for path in sorted(self.files):
            if service_of(path, conv.RULES_DIR, ".yml") is None:
                continue
            try:
                out.extend(parse_rules(path, *self._yaml(path)))
            except ValueError as exc:
                self.invalid.append(Problem(path, None, f"cannot be read as a Prometheus rules file: {exc}"))
        return out

    @cached_property
    def alerts(self) -> list[Rule]:
        """The alerting rules."""
        return [r for r in self.rules if r.is_alert]

    @cached_property
    def records(self) -> dict[str, Rule]:
        """Recording rules by name (the first definition of a name)."""
        out: dict[str, Rule] = {}
        for rule in self.rules:
            if not rule.is_alert:
                out.setdefault(rule.name, rule)
        return out

    @cached_property
    def alert_rules(self) -> dict[str, list[Rule]]:
        """Alerting rules by alert name (a name may be defined more than once)."""
        out: dict[str, list[Rule]] = defaultdict(list)
        for rule in self.alerts:
            out[rule.name].append(rule)
        return dict(out)

    @cached_property
    def examples(self) -> dict[str, dict[str, Examples]]:
        """Per service, the promtool cases of each alert."""
        out: dict[str, dict[str, Examples]] = {}
        for path in sorted(self.files):
            service = service_of(path, conv.TESTS_DIR, TESTS_SUFFIX)
            if service is None:
                continue
            try:
                read = self.written.get(path)
                if isinstance(read, ExamplesRead):
                    out[service] = read.examples
                else:
                    out[service] = parse_tests(self._text(path))
            except ValueError as exc:
                self.invalid.append(Problem(path, None, f"cannot be read as a promtool test file: {exc}"))
        return out

    @cached_property
    def labels(self) -> LabelIndex:
        """Which labels each rule's result carries."""
        return LabelIndex(self)

    @cached_property
    def series_types(self) -> dict[str, dict[str, MetricType]]:
        """Per service, the type of each series name: histogram and summary parts included."""
        out: dict[str, dict[str, MetricType]] = {}
        for service in self.model.services:
            types: dict[str, MetricType] = {}
            for metric in service.spec.metrics:
                if metric.type in (MetricType.HISTOGRAM, MetricType.SUMMARY):
                    # _bucket, _count and _sum only grow: counters as far as rate() is concerned.
                    histogram = metric.type is MetricType.HISTOGRAM
                    for part in ("_bucket", "_count", "_sum") if histogram else ("_count", "_sum"):
                        types[metric.name + part] = MetricType.COUNTER
                    if not histogram:
                        types[metric.name] = MetricType.GAUGE
                else:
                    types[metric.name] = metric.type
            out[service.name] = types
        return out

    @cached_property
    def dashboards(self) -> dict[str, Dashboard]:
        """Every Grafana dashboard file by path."""
        out: dict[str, Dashboard] = {}
        for path in sorted(self.files):
            if service_of(path, conv.GRAFANA_DIR, ".json") is None:
                continue
            try:
                out[path] = parse_dashboard(path, self._text(path))
            except ValueError as exc:
                self.invalid.append(Problem(path, None, f"cannot be read as a Grafana dashboard: {exc}"))
        return out

    @cached_property
    def dashboards_by_uid(self) -> dict[str, Dashboard]:
        """Dashboards by uid (the first file of a uid)."""
        out: dict[str, Dashboard] = {}
        for board in self.dashboards.values():
            out.setdefault(board.uid, board)
        return out

    @cached_property
    def dashboard_series(self) -> frozenset[str]:
        """Series names that dashboard panels query."""
        return frozenset(name for b in self.dashboards.values() for p in b.panels for name in p.series)

    @cached_property
    def runbooks(self) -> dict[str, Runbook]:
        """Every Markdown file under the runbooks folder, by path."""
        head = conv.RUNBOOKS_DIR + "/"
        out: dict[str, Runbook] = {}
        for path in sorted(self.files):
            if path.startswith(head) and path.endswith(".md"):
                read = self.written.get(path)
                out[path] = read if isinstance(read, Runbook) else parse_runbook(path, self._text(path))
        return out

    @cached_property
    def runbook_bases(self) -> tuple[str, ...]:
        """The distinct runbook base URLs of the services, longest first."""
        return tuple(
            sorted({s.spec.runbook_base_url for s in self.model.services}, key=lambda b: (-len(b), b))
        )

    def runbook_target(self, url: str) -> tuple[str, str] | None:
        """`(output path, anchor)` of a URL under some service's runbook_base_url, else None."""
        for base in self.runbook_bases:
            if url.startswith(base):
                page, _, anchor = url[len(base) :].partition("#")
                return f"{conv.RUNBOOKS_DIR}/{page}", anchor
        return None

    @cached_property
    def alertmanagers(self) -> dict[str, AlertmanagerFile]:
        """Every environment's Alertmanager config by path."""
        out: dict[str, AlertmanagerFile] = {}
        production = conv.alertmanager_path("production")
        for path in sorted(
            (p for p in self.files if is_alertmanager_config(p)), key=lambda p: (p != production, p)
        ):
            try:
                out[path] = parse_alertmanager(path, *self._yaml(path))
            except ValueError as exc:
                self.invalid.append(Problem(path, None, f"cannot be read as an Alertmanager config: {exc}"))
        return out

    @cached_property
    def route_flows(self) -> dict[str, RouteFlow]:
        """Per Alertmanager config, where the rendered alerts go."""
        return {path: RouteFlow(self, config) for path, config in self.alertmanagers.items()}

    @cached_property
    def inhibit_index(self) -> InhibitIndex:
        """Alerts indexed for matching the sides of inhibit rules."""
        return InhibitIndex(self)

    def adopt(self, kind: str, parsed: Any, invalid: Sequence[Problem]) -> None:
        """Take artifacts of `kind` as another process parsed them (the same files, the same parser),
        with the problems it found reading them."""
        if kind not in ARTIFACTS:
            raise ValueError(f"unknown artifact kind {kind!r}")
        self.__dict__[kind] = parsed  # where cached_property keeps what it computed
        self.invalid.extend(invalid)

    def parse_all(self) -> None:
        """Parse every artifact (of `artifacts`) now, so that `invalid` lists every unreadable file."""
        for name in self.artifacts:
            getattr(self, name)

    def intent(self, rule: Rule) -> ResolvedAlert | None:
        """The spec's alert a rendered alerting rule stands for."""
        return self.intended.get((rule.service, rule.name))
