"""promql/series-missing: a metric or recording rule the rules or dashboards read has no series live.

Runs only with `alertgen check --prometheus URL`. Like pint's series check, it asks the running
Prometheus whether each selector the rules read had any series in the last hour; when the
metric exists but the selector's label matchers match nothing, it names the matcher at fault.
Dashboard panels are checked by series name: their matchers hold Grafana variables.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..promql import Selector, selectors
from .base import Check, Level, Problem, at_rule
from .context import Context, LivePrometheus

LOOKBACK = "1h"
MAX_BODY = 50_000_000
# Series Prometheus makes itself only while alerts are active: absence says nothing.
_BUILTIN = frozenset({"ALERTS", "ALERTS_FOR_STATE"})
# A missing series is what these functions are for.
_ABSENCE = frozenset({"absent", "absent_over_time"})


class PrometheusUnavailable(Exception):
    """The Prometheus given with --prometheus could not answer a query."""


@dataclass
class _Prometheus:
    """Instant queries against one Prometheus, each selector asked once per run."""

    live: LivePrometheus
    _seen: dict[str, bool] = field(default_factory=dict)

    def has_series(self, selector: str) -> bool:
        """Whether any series matched `selector` within the lookback window."""
        if selector not in self._seen:
            query = f"count(last_over_time({selector}[{LOOKBACK}]))"
            self._seen[selector] = bool(self._query(query))
        return self._seen[selector]

    def _query(self, query: str) -> list[object]:
        base = self.live.url
        url = f"{base.rstrip('/')}/api/v1/query?" + urllib.parse.urlencode({"query": query})
        shown = shown_url(base)
        try:
            body = json.loads(_read(url, self.live.timeout))
        except urllib.error.HTTPError as exc:
            raise PrometheusUnavailable(f"{shown} answered {exc.code} to {query!r}") from None
        except (OSError, ValueError, RecursionError) as exc:
            reason = str(exc).replace(base, shown) if isinstance(exc, OSError | ValueError) else "too deep"
            raise PrometheusUnavailable(f"cannot query {shown}: {reason}") from None
        data = body.get("data") if isinstance(body, dict) and body.get("status") == "success" else None
        result = data.get("result") if isinstance(data, dict) else None
        if not isinstance(result, list):
            raise PrometheusUnavailable(f"{shown} did not answer {query!r} with a result")
        return result


def _read(url: str, timeout: float) -> bytes:
    """The body of a GET, within `timeout` seconds in all and MAX_BODY bytes (a server that drips
    its answer, or sends without end, is given up on)."""
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    size = 0
    parts = urllib.parse.urlsplit(url)
    request = urllib.request.Request(url)
    if "@" in parts.netloc:  # user:password@host: sent as basic auth, as curl and Grafana do
        userinfo, _, host = parts.netloc.rpartition("@")
        request = urllib.request.Request(urllib.parse.urlunsplit(parts._replace(netloc=host)))
        token = base64.b64encode(urllib.parse.unquote(userinfo).encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=timeout) as resp:
        while chunk := resp.read1(65536):
            size += len(chunk)
            if size > MAX_BODY:
                raise ValueError(f"answer larger than {MAX_BODY // 1_000_000} MB")
            if time.monotonic() > deadline:
                raise ValueError(f"no complete answer within {timeout:g} s")
            chunks.append(chunk)
    return b"".join(chunks)


def shown_url(url: str) -> str:
    """A URL as messages show it: without `user:password@`."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc="…@" + parts.netloc.rpartition("@")[2]))


def run(ctx: Context) -> Iterator[Problem]:
    """Every selector of the rules and every series of the dashboards has series in Prometheus."""
    if ctx.prometheus is None:
        return
    prom = _Prometheus(ctx.prometheus)
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
        f"{sel.name!r} has series in {shown_url(prom.live.url)}, but none with {shown} "
        f"in the last {LOOKBACK}; "
        "fix the matcher in the spec or the target's labels in the scrape config"
    )


def _absent(prom: _Prometheus, name: str) -> str:
    if ":" in name:
        return (
            f"recording rule {name!r} has no series in {shown_url(prom.live.url)} in the last {LOOKBACK}; "
            "load the generated rule files into this Prometheus (rule_files:)"
        )
    return (
        f"metric {name!r} has no series in {shown_url(prom.live.url)} in the last {LOOKBACK}; "
        "check that the service exports it and that Prometheus scrapes the service"
    )


CHECK = Check("promql/series-missing", Level.ERROR, "a metric or recording rule with no series live", run)
