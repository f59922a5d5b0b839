"""The Brownie dashboard as Grafana and an on-call engineer see it, read back from rendered files."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import promql_parser as pp
import pytest
import yaml
from grafana_foundation_sdk.cog import plugins
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import dashboard as dash_m

from generator import conventions as conv
from generator.pipeline import Result
from generator.promql import selectors, walk_nodes

DASHBOARD = "grafana/dashboards/brownie-metadata.json"
RULES = "prometheus/rules/brownie-metadata.rules.yml"
# Keys the SDK's AnnotationQuery has no field for (docs/grafana.md: what the SDK cannot express).
HAND_BUILT_ANNOTATION_KEYS = {"titleFormat", "textFormat", "tagKeys", "step", "useValueForTime"}
SEED_THRESHOLDS = {
    "ServiceDown": 0,
    "HighErrorRate": 0.05,
    "CriticalErrorRate": 0.10,
    "HighResponseTime": 2,
    "CriticalResponseTime": 5,
    "DatabaseConnectionHigh": 80,
    "HighIncidentVolume": 10,
    "LongIncidentResolution": 3600,
}


@pytest.fixture(scope="module")
def board(brownie: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(brownie.texts[DASHBOARD])
    return data


@pytest.fixture(scope="module")
def alert_rules(brownie: Result) -> list[dict[str, Any]]:
    groups = yaml.safe_load(brownie.texts[RULES])["groups"]
    return [r for g in groups for r in g["rules"] if "alert" in r]


# Panel ids: 1 the firing-alerts table, then the signals alerts watch in alert order, then the
# others (signals=); db_connections_max (9) shares panel 5 and has none of its own.
PANEL = {"firing-alerts": 1, "target_up": 2, "error_ratio": 3, "latency_p95": 4, "db_connections": 5}
PANEL |= {"incidents_created": 6, "incident_resolution_p95": 7, "request_rate": 8}


def panels_by_id(board: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {p["id"]: p for p in board["panels"]}


def steps(panel: dict[str, Any]) -> list[tuple[float | None, str]]:
    return [(s["value"], s["color"]) for s in panel["fieldConfig"]["defaults"]["thresholds"]["steps"]]


def concrete(expr: str) -> str:
    """A query with its template variables replaced as Grafana does for "All"."""
    return re.sub(r"\$\{?(cluster|job|namespace|instance)\}?", ".+", expr)


def series_read(expr: str) -> set[str]:
    """Series names a query reads, also from `{__name__=~"a|b"}` selectors."""
    out: set[str] = set()
    for node, _ in walk_nodes(pp.parse(concrete(expr))):
        if isinstance(node, pp.VectorSelector):
            if node.name:
                out.add(node.name)
            for m in node.matchers.matchers:
                if m.name == "__name__":
                    out |= set(m.value.split("|"))
    return out


def test_dashboard_decodes_into_the_sdk_model_and_back(board: dict[str, Any]) -> None:
    plugins.register_default_plugins()
    model = dash_m.Dashboard.from_json(board)
    assert model.uid == "brownie-metadata"
    assert model.schema_version == 41  # the Grafana 11.6 build of the SDK
    again = json.loads(json.dumps(model, cls=JSONEncoder))
    original = json.loads(json.dumps(board))
    for annotation in original["annotations"]["list"]:
        for key in HAND_BUILT_ANNOTATION_KEYS:
            annotation.pop(key)
    assert again == original


def test_every_seed_alert_has_a_panel_with_a_step_at_exactly_its_threshold(
    board: dict[str, Any], alert_rules: list[dict[str, Any]]
) -> None:
    panels = panels_by_id(board)
    found = {}
    for rule in alert_rules:
        # The alert's own quantity and threshold, as Prometheus evaluates them.
        comparison = pp.parse(rule["expr"])
        while isinstance(comparison, pp.BinaryExpr) and str(comparison.op) == "or":
            comparison = comparison.lhs
        record, threshold = comparison.lhs.name, comparison.rhs.val
        view = int(parse_qs(urlparse(rule["annotations"]["dashboard_url"]).query)["viewPanel"][0])
        panel = panels[view]
        plotted = {s.name for t in panel["targets"] for s in selectors(pp.parse(concrete(t["expr"])))}
        assert record in plotted, rule["alert"]
        assert threshold in [value for value, _ in steps(panel)], rule["alert"]
        found[rule["alert"]] = threshold
    assert found == SEED_THRESHOLDS


def test_tiers_are_drawn_orange_and_red_as_lines_and_areas(board: dict[str, Any]) -> None:
    panel = panels_by_id(board)[PANEL["error_ratio"]]
    assert steps(panel) == [(None, "green"), (0.05, "orange"), (0.1, "red")]
    assert panel["fieldConfig"]["defaults"]["custom"]["thresholdsStyle"] == {"mode": "line+area"}
    # `up == 0` has no "bad side": a dashed red line at 0 only.
    up = panels_by_id(board)[PANEL["target_up"]]
    assert steps(up) == [(None, "transparent"), (0, "red")]
    assert up["fieldConfig"]["defaults"]["custom"]["thresholdsStyle"] == {"mode": "dashed"}


def test_each_alert_dashboard_url_opens_an_existing_dashboard_and_panel(
    brownie: Result, alert_rules: list[dict[str, Any]]
) -> None:
    boards = {
        json.loads(text)["uid"]: json.loads(text)
        for path, text in brownie.texts.items()
        if path.startswith("grafana/dashboards/")
    }
    for rule in alert_rules:
        url = urlparse(rule["annotations"]["dashboard_url"])
        assert f"{url.scheme}://{url.netloc}" == "http://localhost:3000"
        _, d, uid, slug = url.path.split("/")
        assert d == "d"
        board = boards[uid]
        assert slug == conv.grafana_slug(board["title"])
        panel = panels_by_id(board)[int(parse_qs(url.query)["viewPanel"][0])]
        assert panel["type"] == "timeseries", rule["alert"]


def test_uids_and_panel_ids_are_unique(brownie: Result, board: dict[str, Any]) -> None:
    uids = [json.loads(t)["uid"] for p, t in brownie.texts.items() if p.startswith("grafana/dashboards/")]
    assert len(uids) == len(set(uids))
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids)) == 11
    assert all(isinstance(i, int) and i > 0 for i in ids)


def test_panels_tile_the_24_column_grid_without_overlap(board: dict[str, Any]) -> None:
    cells: dict[tuple[int, int], str] = {}
    for panel in board["panels"]:
        g = panel["gridPos"]
        assert g["x"] >= 0 and g["w"] > 0 and g["x"] + g["w"] <= 24, panel["title"]
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                assert (x, y) not in cells, f"{panel['title']} overlaps {cells[(x, y)]}"
                cells[(x, y)] = panel["title"]


def test_rows_hold_the_panels_the_spec_places_in_them(board: dict[str, Any]) -> None:
    layout: list[tuple[str, list[str]]] = [("", [])]
    for panel in sorted(board["panels"], key=lambda p: (p["gridPos"]["y"], p["gridPos"]["x"])):
        if panel["type"] == "row":
            layout.append((panel["title"], []))
        else:
            layout[-1][1].append(panel["title"])
    assert layout == [
        ("", ["Firing alerts"]),
        ("Overview", ["Target up", "Request rate", "Error ratio", "p95 response time"]),
        ("Database", ["Active vs. max connections"]),
        ("Business", ["Incidents created per hour", "p95 incident resolution time"]),
    ]


def test_every_query_parses_and_reads_only_recording_rules_or_catalog_metrics(
    brownie: Result, board: dict[str, Any]
) -> None:
    service = brownie.model.services[0]
    records = {r.name for r in service.recordings}
    known = records | set(service.catalog) | {"ALERTS"}
    exprs = [t["expr"] for p in board["panels"] for t in p.get("targets", [])]
    exprs += [a["expr"] for a in board["annotations"]["list"]]
    exprs += [
        re.fullmatch(r"label_values\((.*), \w+\)", v["query"]).group(1)  # type: ignore[union-attr]
        for v in board["templating"]["list"]
        if v["type"] == "query"
    ]
    read = {name for expr in exprs for name in series_read(expr)}
    assert read <= known
    assert "ALERTS" in read
    # Signal panels read recording rules, never raw metrics.
    signal_exprs = [t["expr"] for p in board["panels"] if p["type"] == "timeseries" for t in p["targets"]]
    assert {s.name for e in signal_exprs for s in selectors(pp.parse(concrete(e)))} == records


def test_variables_narrow_queries_only_by_labels_their_series_keep(
    brownie: Result, board: dict[str, Any]
) -> None:
    kept = {r.name: r.kept_labels for r in brownie.model.services[0].recordings}
    names = [v["name"] for v in board["templating"]["list"]]
    # No cluster variable: no series of Brownie carries a cluster label.
    assert names == ["datasource", "job", "namespace", "instance"]
    for panel in board["panels"]:
        for target in panel.get("targets", []):
            assert target["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
            if panel["type"] != "timeseries":
                continue
            (sel,) = selectors(pp.parse(concrete(target["expr"])))
            applied = {n for n, _, _ in sel.matchers}
            assert applied == {"job", "namespace", "instance"} & kept[sel.name], target["expr"]
    up = panels_by_id(board)[PANEL["target_up"]]["targets"][0]["expr"]
    assert up == 'job_namespace_instance:up:min{job=~"$job",namespace=~"$namespace",instance=~"$instance"}'


def test_panels_show_unit_legend_description_and_runbook_links(
    brownie: Result, board: dict[str, Any]
) -> None:
    service = brownie.model.services[0]
    panel = panels_by_id(board)[PANEL["latency_p95"]]
    assert panel["fieldConfig"]["defaults"]["unit"] == "s"
    assert panel["options"]["legend"]["showLegend"] is True
    assert (
        "Watched by CriticalResponseTime (critical: > 5 s), HighResponseTime (warning: > 2 s)."
        in (panel["description"])
    )
    assert [(link["title"], link["url"]) for link in panel["links"]] == [
        ("Runbook: Critical Response Time", service.alert("CriticalResponseTime").runbook_url),
        ("Runbook: High Response Time", service.alert("HighResponseTime").runbook_url),
    ]
    assert service.alert("HighResponseTime").runbook_url.endswith("brownie-metadata.md#high-response-time")
    units = {
        p["title"]: p["fieldConfig"]["defaults"].get("unit") for p in board["panels"] if p["type"] != "row"
    }
    assert units["Error ratio"] == "percentunit"
    assert units["Request rate"] == "reqps"
    rate = panels_by_id(board)[PANEL["request_rate"]]
    assert "No alert watches it." in rate["description"]
    assert "links" not in rate


def test_active_and_max_connections_share_one_panel(board: dict[str, Any]) -> None:
    panel = panels_by_id(board)[PANEL["db_connections"]]
    assert [(t["refId"], t["expr"], t["legendFormat"]) for t in panel["targets"]] == [
        (
            "A",
            'job_namespace:brownie_db_connections_active:sum{job=~"$job",namespace=~"$namespace"}',
            "Active database connections {{job}} {{namespace}}",
        ),
        (
            "B",
            'job_namespace:brownie_db_connections_max:sum{job=~"$job",namespace=~"$namespace"}',
            "Maximum database connections {{job}} {{namespace}}",
        ),
    ]
    assert steps(panel) == [(None, "green"), (80, "orange")]


def test_alert_state_annotation_and_firing_alerts_table(board: dict[str, Any]) -> None:
    (annotation,) = board["annotations"]["list"]
    # ServiceDown's absent() drops `namespace`: `$namespace|` keeps such alerts visible.
    assert annotation["expr"] == 'ALERTS{service="brownie-metadata",job=~"$job",namespace=~"$namespace|"}'
    assert annotation["titleFormat"] == "{{alertname}} ({{alertstate}})"
    assert annotation["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
    table = panels_by_id(board)[PANEL["firing-alerts"]]
    assert table["type"] == "table"
    assert table["targets"][0]["expr"] == (
        'ALERTS{service="brownie-metadata",alertstate="firing",job=~"$job",namespace=~"$namespace|"}'
    )
    assert table["targets"][0]["instant"] is True


def test_provisioning_file_points_grafana_at_the_dashboards(brownie: Result) -> None:
    config = yaml.safe_load(brownie.texts[conv.GRAFANA_PROVISIONING])
    (provider,) = config["providers"]
    assert config["apiVersion"] == 1
    assert provider["type"] == "file"
    # output/grafana is mounted at GRAFANA_MOUNT: the path must be where the JSON files land.
    mounted = provider["options"]["path"].removeprefix(conv.GRAFANA_MOUNT + "/")
    assert f"grafana/{mounted}/brownie-metadata.json" == DASHBOARD
    assert DASHBOARD in brownie.texts


def test_dashboard_bytes_are_sorted_json_with_a_final_newline(brownie: Result) -> None:
    text = brownie.texts[DASHBOARD]
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_dashboard_uids_of_long_names_alike_in_40_characters_differ() -> None:
    from generator.conventions import dashboard_uid

    first, second = "payments-" + "x" * 40, "payments-" + "x" * 39 + "y"
    assert first[:40] == second[:40]
    assert len(dashboard_uid(first)) == len(dashboard_uid(second)) == 40
    assert dashboard_uid(first) != dashboard_uid(second)
    assert dashboard_uid("brownie-metadata") == "brownie-metadata"  # short names stay readable
