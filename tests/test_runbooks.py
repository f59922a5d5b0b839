"""Runbooks as on-call reads them: every alert's link lands on its section, nothing of the seed lost."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.errors import SpecErrors
from generator.pipeline import Result, run
from generator.render import mermaid, runbooks
from generator.routing import AlertRouting, alert_routing

from . import markdown_doc as md
from .conftest import SHARED

SEED = SHARED / "seed" / "000_677cff6d157f7d42.txt"
RUNBOOK = "runbooks/brownie-metadata.md"
INDEX = "runbooks/README.md"


def _seed() -> str:
    if not SEED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{SEED} is missing: CI lays shared/ beside the checkout")
        pytest.skip(f"{SEED} is missing")
    text = SEED.read_text()
    return text[text.index("# Incident Response Procedures") :]


def test_every_runbook_url_lands_on_a_section_with_severity_and_actions(brownie: Result) -> None:
    rules = yaml.safe_load(brownie.texts["prometheus/rules/brownie-metadata.rules.yml"])
    alerts = [r for g in rules["groups"] for r in g["rules"] if "alert" in r]
    assert len(alerts) == 8
    for rule in alerts:
        url = rule["annotations"]["runbook_url"]
        base = "https://github.com/brownie-metadata/alertgen/blob/main/output/"
        assert url.startswith(base), url
        path, _, anchor = url[len(base) :].partition("#")
        assert path == RUNBOOK
        text = brownie.texts[path]
        assert anchor in [h.anchor for h in md.headings(text)], url
        section = md.section(text, anchor)
        assert f"- **Alert**: `{rule['alert']}`" in section
        assert f"- **Severity**: {rule['labels']['severity'].capitalize()}" in section
        actions = md.section(section, "immediate-actions")
        assert re.search(r"^1\. \*\*\w", actions, re.M), actions
        # What to do comes first; the facts, the expression among them, after it.
        assert section.index("#### Immediate Actions") < section.index("#### Details")
        shown = (
            "".join(b.content for b in md.fences(section) if b.info == "promql")
            .replace(" ", "")
            .replace("\n", "")
        )
        assert rule["expr"].replace(" ", "").replace("\n", "") in shown


def test_every_seed_command_is_in_a_code_block(brownie: Result) -> None:
    generated = {line.strip() for b in md.fences(brownie.texts[RUNBOOK]) for line in b.content.splitlines()}
    seed_lines = set()
    for block in re.findall(r"```\w*\n(.*?)```", _seed(), re.S):
        for line in block.splitlines():
            # The seed's platform comments became labels above separate blocks.
            if line.strip() and line.strip() not in ("# Kubernetes", "# Docker Compose"):
                seed_lines.add(line.strip())
    assert len(seed_lines) > 50
    assert sorted(seed_lines - generated) == []
    for command in (
        "kubectl rollout restart deployment/brownie-metadata-app -n brownie-metadata",
        "kubectl scale deployment brownie-metadata-app --replicas=3 -n brownie-metadata",
        "kubectl scale deployment brownie-metadata-app --replicas=5 -n brownie-metadata",
        "FROM pg_stat_activity",
        "FROM pg_stat_statements",
    ):
        assert command in generated


def test_every_seed_bullet_and_heading_is_kept(brownie: Result) -> None:
    text = brownie.texts[RUNBOOK]
    lines = {line.strip() for line in text.splitlines()}
    seed = _seed()
    bullets = {m.strip() for m in re.findall(r"^\s*(- .+?)\s*$", seed, re.M)}
    assert len(bullets) > 60
    assert sorted(bullets - lines) == []
    heads = {h.text for h in md.headings(text)}
    # Seed H2s start with an emoji (garbled in the seed's encoding): compare the words after it.
    seed_heads = {re.sub(r"^[^\x00-\x7f]\S* ", "", h) for h in re.findall(r"^##+ (.+)$", seed, re.M)}
    plain = {re.sub(r"^[^\x00-\x7f]\S* ", "", h) for h in heads}
    # "Actions" was the seed's heading for warning alerts; every alert now has Immediate Actions.
    assert sorted(seed_heads - plain) == ["Actions"]
    for word in ("Level 1 (0-15 minutes)", "Level 2 (15-30 minutes)", "Level 3 (30+ minutes)"):
        assert word in heads
    # Generated headings carry no emoji (empty boxes without an emoji font); the spec's keep theirs.
    assert {"Escalation Procedures", "📋 Post-Incident Actions", "Useful Links"} <= heads


def test_alerts_grouped_as_in_the_seed(brownie: Result) -> None:
    heads = md.headings(brownie.texts[RUNBOOK])
    groups: dict[str, list[str]] = {}
    current = ""
    for head in heads:
        if head.level == 2:
            current = head.text
        elif head.level == 3 and "Alerts" in current:
            groups.setdefault(current, []).append(head.text)
    assert groups == {
        "Critical Alerts": ["Service Down", "Critical Error Rate", "Critical Response Time"],
        "Warning Alerts": ["High Error Rate", "High Response Time", "Database Connection High"],
        "Business Metrics Alerts": ["High Incident Volume", "Long Incident Resolution"],
    }
    order = [h.text for h in heads if h.level == 2]
    assert order[-4:] == [
        "🔧 Troubleshooting Commands",
        "Escalation Procedures",
        "📋 Post-Incident Actions",
        "Useful Links",
    ]


def test_descriptions_are_worded_from_the_rule(brownie: Result) -> None:
    text = brownie.texts[RUNBOOK]
    for anchor, description in (
        ("service-down", "Target up is equal to 0, or its series is absent, for more than 1 minute."),
        ("critical-error-rate", "Error ratio is above 10% for more than 5 minutes."),
        ("critical-response-time", "p95 response time is above 5 s for more than 5 minutes."),
        ("database-connection-high", "Active database connections is above 80 for more than 5 minutes."),
        ("high-incident-volume", "Incidents created per hour is above 10."),
        (
            "long-incident-resolution",
            "p95 incident resolution time is above 60 min for more than 15 minutes.",
        ),
    ):
        assert f"- **Description**: {description}\n" in md.section(text, anchor)
    assert "- **For**: none: fires at the first evaluation" in md.section(text, "high-incident-volume")


def test_changing_a_threshold_changes_the_runbook(write_specs: Callable[[dict[str, str]], Path]) -> None:
    source = (Path(__file__).parent / "golden" / "specs" / "checkout.py").read_text()
    folder = write_specs({"checkout.py": source.replace("threshold=0.2,", "threshold=0.25,")})
    text = run(folder).texts["runbooks/checkout.md"]
    assert "- **Description**: Stock left is below 25% for more than 10 minutes." in text
    assert "| Stock left < 25% | `10m` |" in text


def test_header_shows_spec_and_generator_versions(brownie: Result) -> None:
    text = brownie.texts[RUNBOOK]
    # The source is `<specs folder>/<file>`: the fixture's folder is tests/fixtures/brownie.
    assert text.startswith(
        "<!-- Generated by alertgen from brownie/brownie_metadata.py (service brownie-metadata 1.0.0"
    )
    assert f"**Service spec version:** `1.0.0` · **alertgen:** `{__version__}`" in text
    assert "- **Last changed in**: service spec `1.0.0`" in md.section(text, "service-down")


def test_generator_facts_per_alert(brownie: Result) -> None:
    text = brownie.texts[RUNBOOK]
    section = md.section(text, "critical-error-rate")
    alert = brownie.model.services[0].alert("CriticalErrorRate")
    assert f"- **Dashboard**: [Error ratio panel]({alert.dashboard_url})" in section
    assert "- **Other tier**: [`HighErrorRate`](#high-error-rate) fires above 5%" in section
    assert "- **For**: `5m`" in section
    assert "```promql\n  sum by (job, namespace) (\n    rate(brownie_http_requests_total" in section
    # Alert-specific escalation first, then the service's ladder.
    escalation = md.section(md.section(text, "service-down"), "escalation")
    assert "- If database issues, contact DBA team\n" in escalation
    assert (
        "- Otherwise follow the [escalation procedures](#escalation-procedures): level 1, On-call engineer (0-15 minutes);"
        in escalation
    )


def test_routing_facts_are_those_of_the_routing_model(brownie: Result) -> None:
    routing = alert_routing(brownie.model)
    text = brownie.texts[RUNBOOK]
    for alert in brownie.model.services[0].alerts:
        facts = routing[("brownie-metadata", alert.anchor)]
        escaped = [d.replace("#", "\\#") for d in facts.destinations]
        pairs = zip(facts.receivers, escaped, strict=True)
        notifies = ", ".join(f"`{receiver}` ({what})" for receiver, what in pairs) or "not routed"
        assert f"- **Notifies**: {notifies}\n" in md.section(text, alert.anchor)
    # What the seed's contract says (shared/brownie-service.md), as the runbook shows it.
    down = md.section(text, "service-down")
    assert (
        "- **Notifies**: `brownie-oncall` (PagerDuty brownie-oncall), `brownie-alerts` (Slack \\#brownie-alerts)"
        in down
    )
    volume = md.section(text, "high-incident-volume")
    assert "- **Notifies**: `brownie-incidents` (Slack \\#brownie-incidents)" in volume
    assert "- **Silenced by**: [`ServiceDown`](#service-down)" in volume


def test_receivers_and_inhibitions_link_to_the_alerts(brownie: Result) -> None:
    routes = {k: AlertRouting() for k in alert_routing(brownie.model)}
    routes[("brownie-metadata", "high-error-rate")] = AlertRouting(
        receivers=("brownie-slack",), inhibited_by=("CriticalErrorRate", "ServiceDown", "Elsewhere")
    )
    routes[("brownie-metadata", "service-down")] = AlertRouting(
        receivers=("brownie-pager", "brownie-slack"), inhibits=("HighErrorRate",)
    )
    model = replace(brownie.model, routes=routes)
    files = {**runbooks.render(model, model.services[0]), **runbooks.render_index(model)}
    high = md.section(files[RUNBOOK], "high-error-rate")
    assert "- **Notifies**: `brownie-slack`\n" in high
    assert (
        "- **Silenced by**: [`CriticalErrorRate`](#critical-error-rate), [`ServiceDown`](#service-down), `Elsewhere`\n"
        in high
    )
    down = md.section(files[RUNBOOK], "service-down")
    assert "- **Notifies**: `brownie-pager`, `brownie-slack`\n" in down
    assert "- **Silences**: [`HighErrorRate`](#high-error-rate)\n" in down
    catalog = md.tables(files[INDEX])[1]
    assert catalog[1][5] == "brownie-pager, brownie-slack"


def test_index_lists_services_references_catalog_and_routing(brownie: Result) -> None:
    text = brownie.texts[INDEX]
    services, catalog = md.tables(text)
    assert services[1] == ["Brownie Metadata Database", "1.0.0", "brownie", "8"]
    assert catalog[0] == ["Alert", "Service", "Severity", "Condition", "For", "Notifies", "Runbook"]
    assert [row[0] for row in catalog[1:]] == [a.name for a in brownie.model.services[0].alerts]
    assert catalog[2] == [
        "CriticalErrorRate",
        "Brownie Metadata Database",
        "Critical",
        "Error ratio > 10%",
        "5m",
        ", ".join(alert_routing(brownie.model)[("brownie-metadata", "critical-error-rate")].receivers)
        or "not routed",
        "Critical Error Rate",
    ]
    links = md.links(text)
    assert "brownie-metadata.md#critical-error-rate" in links
    docs = "https://github.com/brownie-metadata/brownie-metadata-database/blob/main/runbooks/"
    quick = md.section(text, "emergency-procedures")
    assert (
        f"1. **Database Down**: [Disaster Recovery]({docs}RUNBOOK-disaster-recovery.md#complete-database-loss)"
        in quick
    )
    change = md.section(text, "change-management")
    assert f"1. **Schema Changes**: [Database Migration]({docs}RUNBOOK-database-migration.md)" in change
    for name in ("migration", "sharding", "disaster-recovery", "scaling-operations", "db-api-changes"):
        assert any(
            link.endswith(f"RUNBOOK-database-{name}.md") or link.endswith(f"RUNBOOK-{name}.md")
            for link in links
        )
    diagram = [b.content for b in md.fences(text) if b.info == "mermaid"]
    assert diagram == [mermaid.routing_mermaid(brownie.model).strip("\n") + "\n"]


def test_a_heading_whose_anchor_differs_from_the_runbook_url_is_a_bug(brownie: Result) -> None:
    service = brownie.model.services[0]
    alerts = list(service.alerts)
    alerts[1] = dataclasses.replace(alerts[1], anchor="critical-errors")
    model = dataclasses.replace(brownie.model, services=(dataclasses.replace(service, alerts=tuple(alerts)),))
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "runbooks/brownie-metadata.md: heading of CriticalErrorRate has anchor 'critical-error-rate', "
            "but its runbook_url ends in 'critical-errors'"
        ),
    ):
        runbooks.render(model, model.services[0])


BAD = """
from generator import Alert, DocRef, Document, Metric, Runbook, Service, Signal, Step

service = Service(
    name="svc",
    title="Svc",
    version="1.2.0",
    team="ops",
    metrics=(Metric(name="m", type="gauge"),),
    alerts=(
        Alert(
            name="SvcHigh",
            signal=Signal(name="m_max", expr="max(m)", unit="short"),
            threshold=1,
            severity="warning",
            summary="high",
            changed_in="1.10.0",
            runbook=Runbook(actions=(Step(title="Look"),)),
        ),
    ),
    runbook_base_url="https://x.example.com/",
    documents=(Document(name="dr", title="DR", url="https://x.example.com/dr.md"),),
    quick_reference=(DocRef(title="Down", doc="disaster-recovery"),),
)
"""


def test_spec_errors_for_versions_and_documents(write_specs: Callable[[dict[str, str]], Path]) -> None:
    folder = write_specs({"svc.py": BAD})
    with pytest.raises(SpecErrors) as caught:
        run(folder)
    assert [(e.location.line, f"{e.subject}: {e.message}") for e in caught.value.errors] == [
        (
            11,
            "Alert 'SvcHigh': changed_in '1.10.0' is newer than the service version '1.2.0'; "
            "bump Service.version or fix changed_in",
        ),
        (
            23,
            "DocRef 'Down': document 'disaster-recovery' is not declared in documents= of service 'svc'; "
            "declared: dr",
        ),
    ]
