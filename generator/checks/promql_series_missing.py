"""promql/series-missing: a metric or recording rule the rules or dashboards read has no series live.

Runs only with `alertgen check --prometheus URL`. Like pint's series check, it asks the running
Prometheus whether each selector the rules read had any series in the last hour; when the
metric exists but the selector's label matchers match nothing, it names the matcher at fault.
Dashboard panels are checked by series name: their matchers hold Grafana variables.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..promql import Selector, selectors
from .base import Check, Level, Problem, at_rule
from .context import Context

LOOKBACK = "1h"
TIMEOUT_SECONDS = 30.0
# Series Prometheus makes itself only while alerts are active: absence says nothing.
_BUILTIN = frozenset({"ALERTS", "ALERTS_FOR_STATE"})
# A missing series is what these functions are for.
_ABSENCE = frozenset({"absent", "absent_over_time"})


class PrometheusUnavailable(Exception):
    """The Prometheus given with --prometheus could not answer a query."""


@dataclass
class _Prometheus:
    """Instant queries against one Prometheus, each selector asked once per run."""

    url: str
    _seen: dict[str, bool] = field(default_factory=dict)

    def has_series(self, selector: str) -> bool:
        """Whether any series matched `selector` within the lookback window."""
        if selector not in self._seen:
            query = f"count(last_over_time({selector}[{LOOKBACK}]))"
            self._seen[selector] = bool(self._query(query))
        return self._seen[selector]

    def _query(self, query: str) -> list[object]:
        url = f"{self.url.rstrip('/')}/api/v1/query?" + urllib.parse.urlencode({"query": query})
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as resp:
                body = json.load(resp)
        except urllib.error.HTTPError as exc:
            raise PrometheusUnavailable(f"{self.url} answered {exc.code} to {query!r}") from None
        except (OSError, ValueError) as exc:
            raise PrometheusUnavailable(f"cannot query {self.url}: {exc}") from None
        if not isinstance(body, dict) or body.get("status") != "success":
            raise PrometheusUnavailable(f"{self.url} did not answer {query!r} with a result")
        result = body.get("data", {}).get("result")
        return result if isinstance(result, list) else []


def run(ctx: Context) -> Iterator[Problem]:
    """Every selector of the rules and every series of the dashboards has series in Prometheus."""
    if ctx.prometheus_url is None:
        return
    prom = _Prometheus(ctx.prometheus_url)
    for rule in ctx.rules:
        ast = rule.ast
        if ast is None:
            continue
        reported: set[str] = set()
        for sel in selectors(ast):
            if not sel.name or sel.name in _BUILTIN or sel.function in _ABSENCE:
                continue
            message = _missing(prom, sel)
            if message and message not in reported:
                reported.add(message)
                yield at_rule(rule, message, rule.expr_line)
    for board in ctx.dashboards.values():
        for panel in board.panels:
            for name in sorted(panel.series - _BUILTIN):
                if not prom.has_series(name):
                    yield Problem(
                        board.path,
                        panel.line,
                        f"{panel.label}: {_absent(prom, name)}",
                        service=board.service,
                    )


def _missing(prom: _Prometheus, sel: Selector) -> str | None:
    """Why `sel` finds nothing, or None when it finds series."""
    if not prom.has_series(sel.name):
        return _absent(prom, sel.name)
    if not sel.matchers or prom.has_series(sel.text()):
        return None
    bad = [m for m in sel.matchers if not prom.has_series(Selector(sel.name, (m,), None, None).text())]
    shown = Selector("", tuple(bad or sel.matchers), None, None).text()
    return (
        f"{sel.name!r} has series in {prom.url}, but none with {shown} in the last {LOOKBACK}; "
        "fix the matcher in the spec or the target's labels in the scrape config"
    )


def _absent(prom: _Prometheus, name: str) -> str:
    if ":" in name:
        return (
            f"recording rule {name!r} has no series in {prom.url} in the last {LOOKBACK}; "
            "load the generated rule files into this Prometheus (rule_files:)"
        )
    return (
        f"metric {name!r} has no series in {prom.url} in the last {LOOKBACK}; "
        "check that the service exports it and that Prometheus scrapes the service"
    )


CHECK = Check("promql/series-missing", Level.ERROR, "a metric or recording rule with no series live", run)
