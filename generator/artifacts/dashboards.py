"""Grafana dashboard files read back: panels with their queries, thresholds, links and lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .. import conventions as conv
from ..promql import PromQLError, Selector, parse_uncached, selectors
from .rules import service_of

_RECORDED = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]+")


@dataclass(frozen=True, slots=True)
class Panel:
    """One panel: what it queries, the threshold steps it draws and where it is in the file."""

    id: int
    title: str
    kind: str
    exprs: tuple[str, ...]
    # The selectors of each expression (None where Grafana macros stop the parser): read once, in
    # whichever process reads the dashboard.
    expr_selectors: tuple[tuple[Selector, ...] | None, ...]
    series: frozenset[str]
    thresholds: tuple[float, ...]
    links: tuple[str, ...]
    line: int | None

    @property
    def label(self) -> str:
        """How messages name the panel: `panel 'Error ratio' (id 753753)`."""
        return f"panel {self.title!r} (id {self.id})"


@dataclass(frozen=True, slots=True)
class Dashboard:
    """A dashboard file: its uid and every panel, rows' nested panels included."""

    path: str
    service: str
    uid: str
    title: str
    panels: tuple[Panel, ...]

    def panel(self, panel_id: int) -> Panel | None:
        """The panel with this id."""
        return next((p for p in self.panels if p.id == panel_id), None)


def parse_dashboard(path: str, text: str) -> Dashboard:
    """Read a dashboard's JSON model; ValueError when it is not one."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("panels"), list):
        raise ValueError("no `panels` list; not a Grafana dashboard")
    lines = _id_lines(text)
    panels = tuple(_panel(p, lines) for p in _walk(doc["panels"]))
    return Dashboard(
        path=path,
        service=service_of(path, conv.GRAFANA_DIR, ".json") or "",
        uid=str(doc.get("uid", "")),
        title=str(doc.get("title", "")),
        panels=panels,
    )


def _walk(panels: list[Any]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        if isinstance(panel, dict):
            yield panel
            yield from _walk(panel.get("panels") or [])  # a collapsed row holds its panels


def _id_lines(text: str) -> dict[int, int]:
    """The line of the first `"id": N` of each number: panels are found by their id."""
    out: dict[int, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = _ID_LINE.match(line) if '"id": ' in line else None
        if m:
            out.setdefault(int(m.group(1)), number)
    return out


_ID_LINE = re.compile(r'\s*"id": (\d+),?$')


def _panel(raw: dict[str, Any], lines: dict[int, int]) -> Panel:
    exprs = tuple(str(t["expr"]) for t in raw.get("targets") or () if isinstance(t, dict) and t.get("expr"))
    steps = (((raw.get("fieldConfig") or {}).get("defaults") or {}).get("thresholds") or {}).get("steps")
    values = tuple(
        float(s["value"]) for s in steps or () if isinstance(s, dict) and s.get("value") is not None
    )
    links = tuple(
        str(link["url"]) for link in raw.get("links") or () if isinstance(link, dict) and link.get("url")
    )
    panel_id = raw.get("id")
    read = tuple(_selectors(e) for e in exprs)
    return Panel(
        id=panel_id if isinstance(panel_id, int) else -1,
        title=str(raw.get("title", "")),
        kind=str(raw.get("type", "")),
        exprs=exprs,
        expr_selectors=read,
        # Series the queries read; recorded names by pattern where Grafana macros stop the parser.
        series=frozenset(
            name
            for e, sels in zip(exprs, read, strict=True)
            for name in ([s.name for s in sels if s.name] if sels is not None else _RECORDED.findall(e))
        ),
        thresholds=values,
        links=links,
        line=lines.get(panel_id) if isinstance(panel_id, int) else None,
    )


def _selectors(expr: str) -> tuple[Selector, ...] | None:
    # A panel's queries are read here, once, for their selectors: their trees are not kept.
    try:
        return tuple(selectors(parse_uncached(expr)))
    except PromQLError:
        return None


@dataclass(frozen=True, slots=True)
class DashboardLink:
    """A URL that points into a dashboard: uid, panel, and the Grafana it is on."""

    base: str
    uid: str
    panel: int | None


def dashboard_link(url: str) -> DashboardLink | None:
    """Split `http://grafana/d/<uid>/<slug>?viewPanel=N`; None for other URLs."""
    parts = urlsplit(url)
    m = re.match(r"^(.*?)/d/([^/?#]+)(/[^?#]*)?$", parts.path)
    if not m:
        return None
    panel = parse_qs(parts.query).get("viewPanel", [None])[0]
    base = f"{parts.scheme}://{parts.netloc}{m.group(1)}"
    return DashboardLink(base, m.group(2), int(panel) if panel and panel.isdigit() else None)
