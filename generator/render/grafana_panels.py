"""Grafana panels built with grafana-foundation-sdk: one per signal, and the firing-alerts table.

A signal panel queries the recording rules its alerts read, draws each alert's threshold as a
step in the alert's severity colour, and links to the runbook section of each alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from grafana_foundation_sdk.builders import common as common_b
from grafana_foundation_sdk.builders import dashboard as dash_b
from grafana_foundation_sdk.builders import prometheus as prom_b
from grafana_foundation_sdk.builders import table as table_b
from grafana_foundation_sdk.builders import timeseries as ts_b
from grafana_foundation_sdk.cog import builder as cog_builder
from grafana_foundation_sdk.models import common as common_m
from grafana_foundation_sdk.models import dashboard as dash_m
from grafana_foundation_sdk.models import prometheus as prom_m

from .. import conventions as conv
from ..layout import ALERTS_PANEL_ID
from ..model import Recording, ResolvedAlert, ResolvedPanel, ResolvedService
from ..spec.types import Comparison, Unit

# The datasource variable every panel and query reads, so one dashboard serves any Prometheus.
DATASOURCE = dash_m.DataSourceRef(type_val="prometheus", uid="${datasource}")
# Template variables applied as label matchers wherever a query's series keep the label;
# earlier ones narrow the choices of later ones.
VARIABLES = ("cluster", "job", "namespace", "instance")
# Hard axis bounds of units with a fixed range: a ratio never leaves 0..1, so the axis does not
# rescale to make 0.2% look like an outage.
BOUNDS = {Unit.PERCENTUNIT: (0.0, 1.0), Unit.PERCENT: (0.0, 100.0), Unit.BOOL: (0.0, 1.0)}
PANEL_HEIGHT = 8
ALERTS_HEIGHT = 6
GRID_WIDTH = 24

# By urgency (ResolvedAlert.rank): the most urgent red, the next orange, the rest blue.
SEVERITY_COLORS = ("red", "orange", "blue")


def _color(rank: int) -> str:
    return SEVERITY_COLORS[min(rank, len(SEVERITY_COLORS) - 1)]


OK_COLOR = "green"
_ABOVE = {Comparison.GT, Comparison.GE}
_BELOW = {Comparison.LT, Comparison.LE}


def matchers(labels: Iterable[str], variables: Sequence[str]) -> list[str]:
    """`label=~"$label"` for each template variable among `labels`."""
    present = set(labels)
    return [f'{var}=~"${var}"' for var in variables if var in present]


def selector(name: str, labels: Iterable[str], variables: Sequence[str]) -> str:
    """A series selector narrowed by the template variables its series carry."""
    found = matchers(labels, variables)
    return f"{name}{{{','.join(found)}}}" if found else name


def alerts_selector(service: ResolvedService, variables: Sequence[str], *extra: str) -> str:
    """The service's `ALERTS` series, narrowed by the variables.

    An alert whose query drops a variable's label (`absent()` keeps only its equality matchers)
    would vanish under `label=~"$var"`; `$var|` also matches the missing label, so it stays.
    """
    found = [service.alerts_matcher, *extra]
    for var in variables:
        kept = [var in a.runtime_labels for a in service.alerts]
        if kept and all(kept):
            found.append(f'{var}=~"${var}"')
        elif any(kept):
            found.append(f'{var}=~"${var}|"')
    return f"ALERTS{{{','.join(found)}}}"


def threshold_steps(
    alerts: Sequence[ResolvedAlert],
) -> tuple[list[dash_m.Threshold], common_m.GraphThresholdsStyleMode]:
    """One step at each alert's threshold, coloured for the band it starts, and how to draw them.

    Grafana colours a step from its value upwards: above-threshold alerts colour their own band;
    below-threshold ones colour the band under them, so each step takes the next band's colour.
    """
    urgency: dict[float, int] = {}
    lines = [a for a in alerts if a.threshold is not None]  # an expr= alert draws no line
    for alert in lines:
        assert alert.threshold is not None
        prior = urgency.get(alert.threshold)
        if prior is None or alert.rank < prior:
            urgency[alert.threshold] = alert.rank
    values = sorted(urgency)
    ops = {a.op for a in lines}
    if not values:
        return [dash_m.Threshold(value=None, color=OK_COLOR)], common_m.GraphThresholdsStyleMode.OFF
    if ops <= _ABOVE:
        steps = [dash_m.Threshold(value=None, color=OK_COLOR)]
        steps += [dash_m.Threshold(value=v, color=_color(urgency[v])) for v in values]
        return steps, common_m.GraphThresholdsStyleMode.LINE_AND_AREA
    if ops <= _BELOW:
        colors = [_color(urgency[v]) for v in values] + [OK_COLOR]
        steps = [dash_m.Threshold(value=None, color=colors[0])]
        steps += [dash_m.Threshold(value=v, color=colors[i + 1]) for i, v in enumerate(values)]
        return steps, common_m.GraphThresholdsStyleMode.LINE_AND_AREA
    # Equality (`up == 0`) or mixed directions: no band is "bad", so lines only.
    steps = [dash_m.Threshold(value=None, color="transparent")]
    steps += [dash_m.Threshold(value=v, color=_color(urgency[v])) for v in values]
    return steps, common_m.GraphThresholdsStyleMode.DASHED


def describe(panel: ResolvedPanel) -> str:
    """What the panel plots, from which recording rule, and which alerts watch it (Markdown)."""
    parts = [r.signal.description for r in panel.recordings if r.signal.description]
    parts.append("Recording rules: " + ", ".join(f"`{r.name}`" for r in panel.recordings) + ".")
    if panel.alerts:
        watched = [f"{a.name} ({a.severity}: {_condition(a)})" for a in panel.alerts]
        parts.append("Watched by " + ", ".join(watched) + ".")
    else:
        parts.append("No alert watches it.")
    return " ".join(parts)


def _condition(alert: ResolvedAlert) -> str:
    if alert.op is None or alert.threshold is None or alert.signal is None:
        return "its own condition"
    if alert.record is None:
        return f"{alert.op.value} {conv.format_value(alert.threshold, alert.signal.unit)}, among other terms"
    return f"{alert.op.value} {conv.format_value(alert.threshold, alert.signal.unit)}"


def _target(rec: Recording, ref: str, variables: Sequence[str], many: bool) -> prom_b.Dataquery:
    shown = [f"{{{{{v}}}}}" for v in variables if v in rec.kept_labels]
    title = rec.signal.title or conv.title_from_name(rec.signal.name)
    legend = " ".join(([title] if many or not shown else []) + shown)
    return (
        prom_b.Dataquery()
        .ref_id(ref)
        .datasource(DATASOURCE)
        .expr(selector(rec.name, rec.kept_labels, variables))
        .legend_format(legend)
        .range()
    )


def signal_panel(panel: ResolvedPanel, width: int, variables: Sequence[str]) -> ts_b.Panel:
    """A time series of the panel's recording rules with its alerts' thresholds drawn on it."""
    steps, style = threshold_steps(panel.alerts)
    many = len(panel.recordings) > 1
    unit = panel.recordings[0].signal.unit
    builder = (
        ts_b.Panel()
        .id(panel.id)
        .title(panel.title)
        .description(describe(panel))
        .datasource(DATASOURCE)
        .span(width)
        .height(PANEL_HEIGHT)
        .targets([_target(r, chr(ord("A") + i), variables, many) for i, r in enumerate(panel.recordings)])
        .unit(unit.value)
        .thresholds(dash_b.ThresholdsConfig().mode(dash_m.ThresholdsMode.ABSOLUTE).steps(steps))
        .thresholds_style(common_b.GraphThresholdsStyleConfig().mode(style))
        .legend(
            common_b.VizLegendOptions()
            .show_legend(True)
            .display_mode(common_m.LegendDisplayMode.TABLE)
            .placement(common_m.LegendPlacement.BOTTOM)
            .calcs(["lastNotNull", "max"])
        )
        .tooltip(common_b.VizTooltipOptions().mode(common_m.TooltipDisplayMode.MULTI))
    )
    bounds = BOUNDS.get(unit)
    if bounds is not None:
        builder.min(bounds[0]).max(bounds[1])
    else:
        builder.axis_soft_min(0)
        if style is common_m.GraphThresholdsStyleMode.LINE_AND_AREA:
            # Keep the highest threshold in view even while the series stays far below it.
            builder.axis_soft_max(max(s.value for s in steps if s.value is not None))
    links: list[cog_builder.Builder[dash_m.DashboardLink]] = [
        dash_b.DashboardLink(f"Runbook: {a.title}").url(a.runbook_url).target_blank(True)
        for a in panel.alerts
        if a.runbook_url
    ]
    if links:
        builder.links(links)
    return builder


def alerts_panel(service: ResolvedService, variables: Sequence[str]) -> table_b.Panel:
    """A table of the service's alerts firing now, from Prometheus' `ALERTS` series."""
    query = (
        prom_b.Dataquery()
        .ref_id("A")
        .datasource(DATASOURCE)
        .expr(alerts_selector(service, variables, 'alertstate="firing"'))
        .format(prom_m.PromQueryFormat.TABLE)
        .instant()
    )
    hidden = {"Time": True, "Value": True, "__name__": True, "alertstate": True, "service": True}
    return (
        table_b.Panel()
        .id(ALERTS_PANEL_ID)
        .title("Firing alerts")
        .description(f"Alerts of {service.spec.title} firing now (Prometheus `ALERTS` series).")
        .datasource(DATASOURCE)
        .span(GRID_WIDTH)
        .height(ALERTS_HEIGHT)
        .with_target(query)
        .no_value("No alert is firing.")
        # It shows labels, not numbers; "none" says so (dashboard-linter's panel-units-rule).
        .unit("none")
        # Spelled out because decoding fills them in: the file then equals the SDK's model of it.
        .align(common_m.FieldTextAlignment.AUTO)
        .inspect(False)
        .with_transformation(
            dash_m.DataTransformerConfig(
                id_val="organize",
                options={
                    "excludeByName": hidden,
                    "indexByName": {"alertname": 0, "severity": 1},
                },
            )
        )
        .sort_by([common_b.TableSortByFieldState().display_name("severity")])
    )
