"""A synthetic, realistic spec set for the benchmark: N services x 50 alerts, as spec modules.

Each service is written out as a spec module a team would write by hand: a metric catalog,
ten HTTP handlers with error-ratio and latency tiers, ten single alerts on saturation,
queues, memory and business measures, runbook text for every alert, firing and silent
examples, a dashboard layout, links, documents and an escalation ladder. Series helpers live
in `_helpers.py` beside them, as a team's shared helpers would. The examples are correct:
`tests/test_bench_synth.py` runs them through promtool. The per-handler block lives in
`synth_handlers.py`, the single alerts in `synth_singles.py`, the service names in `synth_names.py`.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from .synth_handlers import HANDLERS, handler_block
from .synth_names import Names, service_names
from .synth_singles import singles

ALERTS_PER_SERVICE = 50

HELPERS = '''\
"""Series helpers shared by the synthetic services' examples (promtool input)."""

BUCKETS = ("0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf")


def target(job: str) -> str:
    """The target labels of one instance of a job."""
    return f'job="{job}",namespace="{job}",instance="10.1.0.7:8080"'


def http_traffic(metric: str, job: str, method: str, handler: str, ok: int, errors: int) -> dict[str, str]:
    """Requests per minute to one handler, split into 200s and 503s, for 30 minutes."""
    labels = f'{target(job)},method="{method}",handler="{handler}"'
    return {
        f'{metric}{{{labels},status="200"}}': f"0+{ok}x30",
        f'{metric}{{{labels},status="503"}}': f"0+{errors}x30",
    }


def latency(metric: str, job: str, method: str, handler: str, slowest_le: str) -> dict[str, str]:
    """Request latency of one handler with every request in the bucket ending at `slowest_le`."""
    first = BUCKETS.index(slowest_le)
    labels = f'{target(job)},method="{method}",handler="{handler}"'
    return {
        f'{metric}_bucket{{{labels},le="{le}"}}': "0+10x30" if i >= first else "0x30"
        for i, le in enumerate(BUCKETS)
    }


def gauge(metric: str, job: str, value: float, extra: str = "") -> dict[str, str]:
    """A gauge holding `value` for 30 minutes."""
    return {f"{metric}{{{target(job)}{extra}}}": f"{value:g}x30"}


def counter(metric: str, job: str, per_minute: float, extra: str = "", minutes: int = 120) -> dict[str, str]:
    """A counter growing by `per_minute`."""
    return {f"{metric}{{{target(job)}{extra}}}": f"0+{per_minute:g}x{minutes}"}
'''


def _service(n: Names, index: int) -> str:
    handlers = "".join(handler_block(n, i) for i in range(len(HANDLERS)))
    hs = [h[3] for h in HANDLERS]
    s = n.snake
    alerts = ",\n        ".join(
        [f"{h}_error_tiers" for h in hs]
        + [f"{h}_latency_tiers" for h in hs]
        + [
            "target_down",
            "db_connections_high",
            "queue_backlog",
            "job_failures_high",
            "cache_hit_ratio_low",
            "memory_high",
            "replication_lag_high",
            "workers_saturated",
            "throughput_low",
            "rejections_high",
        ]
    )
    errors_row = ", ".join(f"{h}_errors" for h in hs)
    latency_row = ", ".join(f"{h}_latency" for h in hs)
    docs = f"https://docs.example.com/{n.team}/{n.kebab}"
    head = f'''"""{n.kebab}: {n.domain} {n.kebab.split("-")[1]} of the {n.team} team (synthetic benchmark spec)."""

from _helpers import counter, gauge, http_traffic, latency, target

from generator import (
    Alert,
    Category,
    Command,
    Dashboard,
    DocRef,
    Document,
    EscalationLevel,
    Example,
    Link,
    Metric,
    Panel,
    Row,
    Runbook,
    Section,
    Service,
    Signal,
    Step,
    Tier,
    Tiers,
)

JOB = "{n.kebab}"
TARGET = target(JOB)

# --- runbook steps several alerts share ----------------------------------------------------
CHECK_LOGS = Step(
    title="Read the logs",
    commands=(Command(code="kubectl logs -n {n.kebab} -l app={n.kebab} --tail=200 | grep -i error"),),
)
ROLLBACK = Step(
    title="Roll back a bad deploy",
    text="If the errors started with a deploy, roll it back first and investigate after.",
    commands=(Command(code="kubectl rollout undo deployment/{n.kebab} -n {n.kebab}"),),
)
SCALE_UP = Step(
    title="Scale up",
    commands=(Command(code="kubectl scale deployment/{n.kebab} -n {n.kebab} --replicas=6"),),
)
'''
    tail = f'''

service = Service(
    name="{n.kebab}",
    title="{n.domain.capitalize()} {n.kebab.split("-")[1]}",
    version="2.{index % 7}.{index % 13}",
    team="{n.team}",
    description="The {n.domain} {n.kebab.split("-")[1]}: HTTP API, job queue and database.",
    metrics=(
        Metric(name="up", type="gauge", help="1 while the target is scraped"),
        Metric(name="{s}_http_requests_total", type="counter", labels=("method", "handler", "status")),
        Metric(
            name="{s}_http_request_duration_seconds",
            type="histogram",
            labels=("method", "handler"),
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        ),
        Metric(name="{s}_db_connections_active", type="gauge", labels=("pool",)),
        Metric(name="{s}_db_connections_max", type="gauge", labels=("pool",)),
        Metric(name="{s}_queue_depth", type="gauge", labels=("queue",)),
        Metric(name="{s}_jobs_processed_total", type="counter", labels=("queue",)),
        Metric(name="{s}_jobs_failed_total", type="counter", labels=("queue",)),
        Metric(name="{s}_cache_hits_total", type="counter", labels=("cache",)),
        Metric(name="{s}_cache_misses_total", type="counter", labels=("cache",)),
        Metric(name="{s}_process_resident_memory_bytes", type="gauge"),
        Metric(name="{s}_replication_lag_seconds", type="gauge", labels=("replica",)),
        Metric(name="{s}_workers_busy", type="gauge"),
        Metric(name="{s}_workers_total", type="gauge"),
        Metric(name="{s}_{n.domain}_processed_total", type="counter"),
        Metric(name="{s}_rejections_total", type="counter", labels=("reason",)),
    ),
    signals=(db_connections_max,),
    alerts=(
        {alerts},
    ),
    runbook_base_url="https://git.example.com/monitoring/blob/main/output/runbooks/",
    grafana_url="https://grafana.example.com",
    dashboard=Dashboard(
        rows=(
            Row(title="Availability", panels=(target_up, Panel(signals=(workers,)))),
            Row(title="Errors", panels=({errors_row})),
            Row(title="Latency", panels=({latency_row})),
            Row(
                title="Resources",
                panels=(
                    Panel(title="Database connections", signals=(db_connections, db_connections_max)),
                    queue_depth,
                    job_failures,
                    cache_hits,
                    memory,
                    replication_lag,
                ),
            ),
            Row(title="Business", panels=(throughput, rejections)),
        )
    ),
    links=(
        Link(title="Dashboard", url="https://grafana.example.com/d/{n.kebab}"),
        Link(title="Logs", url="https://logs.example.com/{n.kebab}"),
        Link(title="Repository", url="https://git.example.com/{n.team}/{n.kebab}"),
    ),
    documents=(
        Document(name="architecture", title="Architecture", url="{docs}/architecture.md"),
        Document(name="disaster-recovery", title="Disaster recovery", url="{docs}/dr.md", description="Restore from backup"),
    ),
    quick_reference=(DocRef(title="Database down", doc="disaster-recovery", anchor="restore"),),
    change_management=(DocRef(title="How it fits together", doc="architecture"),),
    escalation=(
        EscalationLevel(level=1, window="0-15 minutes", who="On-call engineer of {n.team}", duties=("Triage", "Restart")),
        EscalationLevel(level=2, window="15-45 minutes", who="{n.team} lead", duties=("Rollback decisions",)),
        EscalationLevel(level=3, window="45+ minutes", who="Engineering manager", duties=("Vendor escalation",)),
    ),
    sections=(
        Section(
            title="Troubleshooting",
            numbered=False,
            steps=(
                Step(title="Health", commands=(Command(code="curl -s http://{n.kebab}.{n.kebab}.svc:8080/healthz"),)),
                Step(title="Metrics", commands=(Command(code="curl -s http://{n.kebab}.{n.kebab}.svc:8080/metrics | head"),)),
            ),
        ),
        Section(
            title="After the incident",
            follow_up=True,
            steps=(Step(title="Write the review", bullets=("Timeline", "Root cause", "Action items")),),
        ),
    ),
)
'''
    return head + handlers + singles(n) + tail


def _teams(names: list[Names]) -> str:
    teams = sorted({n.team for n in names})
    blocks = []
    for i, team in enumerate(teams):
        short = team.removeprefix("team-")
        secret = f"{{SECRETS}}/slack-{short}"
        # Every fourth team mutes its warnings at night.
        night = i % 4 == 0
        mute = f'\n            mute_time_intervals=("{short}-night",),' if night else ""
        # Time interval names are global in Alertmanager, like receiver names.
        interval = f'TimeInterval(name="{short}-night", times=(TimeRange(start="22:00", end="24:00"),))'
        intervals = f"\n    time_intervals=({interval},)," if night else ""
        blocks.append(f'''
{short}_team = Team(
    name="{team}",
    receivers=(
        PagerDuty(name="{short}-oncall", routing_key_file=f"{{SECRETS}}/pagerduty-{short}"),
        Slack(name="{short}-alerts", channel="#{short}-alerts", api_url_file=f"{secret}"),
        Slack(name="{short}-business", channel="#{short}-business", api_url_file=f"{secret}"),
    ),
    notify=(
        Notify(category=Category.BUSINESS, receivers=("{short}-business",)),
        Notify(severity="critical", receivers=("{short}-oncall", "{short}-alerts")),
        Notify(
            severity="warning",
            receivers=("{short}-alerts",),
            grouping=Grouping(group_by=("alertname", "service"), repeat_interval="12h"),{mute}
        ),
    ),{intervals}
)
''')
    return f'''"""Teams of the synthetic benchmark services, the DBA team, and Alertmanager-wide routing."""

from generator import Category, Grouping, Notify, PagerDuty, Routing, Slack, Team, TimeInterval, TimeRange

SECRETS = "/etc/alertmanager/secrets"
{"".join(blocks)}
dba_team = Team(
    name="dba",
    receivers=(
        PagerDuty(name="dba-oncall", routing_key_file=f"{{SECRETS}}/pagerduty-dba"),
        Slack(name="dba-alerts", channel="#dba-alerts", api_url_file=f"{{SECRETS}}/slack-dba"),
    ),
    notify=(
        Notify(severity="critical", receivers=("dba-oncall", "dba-alerts")),
        Notify(receivers=("dba-alerts",)),
    ),
)

routing = Routing(
    default_receiver=Slack(name="default", channel="#alerts-unrouted", api_url_file=f"{{SECRETS}}/slack-unrouted"),
)
'''


def write_specs(folder: Path, services: int) -> int:
    """Write `services` spec modules, their teams and helpers into `folder`; returns the alert count."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_helpers.py").write_text(HELPERS)
    (folder / "teams.py").write_text(_teams(service_names(services)))
    for i, names in enumerate(service_names(services)):
        (folder / f"{names.snake}.py").write_text(textwrap.dedent(_service(names, i)))
    return services * ALERTS_PER_SERVICE
