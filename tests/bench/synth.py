"""A synthetic, realistic spec set for the benchmark: N services x 50 alerts, as spec modules.

Each service is written out as a spec module a team would write by hand: a metric catalog,
ten HTTP handlers with error-ratio and latency tiers, ten single alerts on saturation,
queues, memory and business measures, runbook text for every alert, firing and silent
examples, a dashboard layout, links, documents and an escalation ladder. Series helpers live
in `_helpers.py` beside them, as a team's shared helpers would. The examples are correct:
`tests/test_bench_synth.py` runs them through promtool.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

ALERTS_PER_SERVICE = 50

_DOMAINS = (
    "orders",
    "payments",
    "inventory",
    "search",
    "catalog",
    "shipping",
    "billing",
    "accounts",
    "profiles",
    "notifications",
    "pricing",
    "reviews",
    "carts",
    "ledger",
    "invoices",
    "media",
    "geo",
    "fraud",
    "loyalty",
    "reports",
)
_ROLES = (
    "api",
    "worker",
    "gateway",
    "store",
    "indexer",
    "scheduler",
    "importer",
    "exporter",
    "cache",
    "sync",
)

# (method, path suffix, CamelCase word, snake word) of the ten HTTP handlers every service has.
_HANDLERS = (
    ("GET", "", "List", "list"),
    ("POST", "", "Create", "create"),
    ("GET", "/item", "Get", "get"),
    ("PUT", "/item", "Update", "update"),
    ("DELETE", "/item", "Delete", "delete"),
    ("GET", "/search", "Search", "search"),
    ("GET", "/export", "Export", "export"),
    ("POST", "/import", "Import", "import"),
    ("GET", "/stats", "Stats", "stats"),
    ("POST", "/batch", "Batch", "batch"),
)

# Latency buckets and where a p95 lands when every request falls in one bucket: lower + 0.95 x width.
_BUCKETS = ("0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf")


@dataclass(frozen=True)
class _Names:
    """The spellings of one service's name: kebab for the spec, snake for metrics, Camel for alerts."""

    kebab: str
    snake: str
    camel: str
    domain: str
    team: str


def service_names(count: int) -> list[_Names]:
    """`count` distinct, realistic service names (domain x role), ten services per team."""
    out = []
    for i in range(count):
        domain = _DOMAINS[i % len(_DOMAINS)]
        role = _ROLES[(i // len(_DOMAINS)) % len(_ROLES)]
        kebab = f"{domain}-{role}"
        if i >= len(_DOMAINS) * len(_ROLES):
            kebab += f"-{i // (len(_DOMAINS) * len(_ROLES)) + 1}"
        parts = kebab.split("-")
        out.append(
            _Names(
                kebab=kebab,
                snake="_".join(parts),
                camel="".join(p.capitalize() for p in parts),
                domain=domain,
                team=f"team-{domain}",
            )
        )
    return out


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


def _q(text: str) -> str:
    return repr(text)


def _handler_block(n: _Names, idx: int) -> str:
    method, suffix, word, snake = _HANDLERS[idx]
    path = f"/v1/{n.domain}{suffix}"
    strict = idx % 3 == 0  # every third handler has tighter error thresholds
    warn, crit = (0.02, 0.05) if strict else (0.05, 0.10)
    # (ok, errors) per minute for: critical firing, critical silent, warning firing, warning silent
    c_fire, c_quiet, w_fire, w_quiet = (
        ((92, 8), (97, 3), (97, 3), (99, 1))
        if strict
        else (
            (88, 12),
            (93, 7),
            (93, 7),
            (98, 2),
        )
    )
    sel = f'job="{n.kebab}",handler="{path}"'
    req = f"{n.snake}_http_requests_total"
    dur = f"{n.snake}_http_request_duration_seconds"
    title = f"{method} {path}"
    return f'''
# --- {title} ------------------------------------------------------------------
{snake}_errors = Signal(
    name="{snake}_error_ratio",
    title="{title} error ratio",
    expr=(
        'sum by (job, namespace) (rate({req}{{{sel},status=~"5.."}}[5m]))\\n'
        "/\\nsum by (job, namespace) (rate({req}{{{_esc(sel)}}}[5m]))"
    ),
    unit="percentunit",
    description="Share of {title} responses with a 5xx status over the last 5 minutes.",
)
{snake}_latency = Signal(
    name="{snake}_latency_p95",
    title="{title} p95 latency",
    expr=(
        "histogram_quantile(0.95, sum by (job, namespace, le) "
        "(rate({dur}_bucket{{{_esc(sel)}}}[5m])))"
    ),
    unit="s",
    description="95th percentile latency of {title} over the last 5 minutes.",
)

{snake}_error_tiers = Tiers(
    signal={snake}_errors,
    critical=Tier(
        name="{n.camel}{word}CriticalErrorRate",
        threshold={crit},
        for_="5m",
        summary="{n.kebab}: {title} fails more than {crit:.0%} of requests",
        description=(
            "{title} error rate is {{{{ $value | humanizePercentage }}}}, above {crit:.0%} for 5 minutes "
            "(job {{{{ $labels.job }}}}, namespace {{{{ $labels.namespace }}}})."
        ),
        runbook=Runbook(
            actions=(
                CHECK_LOGS,
                Step(
                    title="Find the failing dependency",
                    text="Errors of {title} usually come from its database or a downstream call.",
                    commands=(
                        Command(code="kubectl logs -n {n.kebab} -l app={n.kebab} --tail=500 | grep '{path}' | grep -c ' 5[0-9][0-9] '"),
                    ),
                    bullets=("Database errors", "Downstream timeouts", "Bad deploy"),
                ),
                ROLLBACK,
            ),
            causes=("A bad deploy of {n.kebab}", "Database connection pool exhaustion", "A failing downstream service"),
            escalation=("After 15 minutes page the {n.team} lead", "If a dependency fails, page its owner"),
        ),
        examples=(
            Example(
                name="{c_fire[1]}% of requests fail",
                series=http_traffic("{req}", JOB, "{method}", "{path}", {c_fire[0]}, {c_fire[1]}),
                at="10m",
                fires=True,
                value={c_fire[1] / 100},
            ),
            Example(
                name="{c_quiet[1]}% of requests fail",
                series=http_traffic("{req}", JOB, "{method}", "{path}", {c_quiet[0]}, {c_quiet[1]}),
                at="10m",
                fires=False,
            ),
        ),
    ),
    warning=Tier(
        name="{n.camel}{word}HighErrorRate",
        threshold={warn},
        for_="10m",
        summary="{n.kebab}: {title} fails more than {warn:.0%} of requests",
        description=(
            "{title} error rate is {{{{ $value | humanizePercentage }}}}, above {warn:.0%} for 10 minutes "
            "(job {{{{ $labels.job }}}})."
        ),
        runbook=Runbook(
            actions=(
                CHECK_LOGS,
                Step(
                    title="Check recent changes",
                    bullets=("Deploys of {n.kebab} in the last hour", "Feature flags flipped", "Config changes"),
                ),
            ),
            causes=("A partial outage of a dependency", "Clients sending bad requests"),
        ),
        examples=(
            Example(
                name="{w_fire[1]}% of requests fail",
                series=http_traffic("{req}", JOB, "{method}", "{path}", {w_fire[0]}, {w_fire[1]}),
                at="15m",
                fires=True,
                value={w_fire[1] / 100},
            ),
            Example(
                name="{w_quiet[1]}% of requests fail",
                series=http_traffic("{req}", JOB, "{method}", "{path}", {w_quiet[0]}, {w_quiet[1]}),
                at="15m",
                fires=False,
            ),
        ),
    ),
)

{snake}_latency_tiers = Tiers(
    signal={snake}_latency,
    critical=Tier(
        name="{n.camel}{word}CriticalLatency",
        threshold=2.5,
        for_="5m",
        summary="{n.kebab}: {title} p95 latency above 2.5 s",
        description=(
            "p95 latency of {title} is {{{{ $value | humanizeDuration }}}}, above 2.5 s for 5 minutes "
            "(job {{{{ $labels.job }}}})."
        ),
        runbook=Runbook(
            actions=(
                Step(
                    title="Check the database",
                    commands=(
                        Command(
                            lang="sql",
                            code="SELECT query, mean_exec_time, calls\\nFROM pg_stat_statements\\nORDER BY mean_exec_time DESC\\nLIMIT 10;",
                        ),
                    ),
                ),
                SCALE_UP,
            ),
            causes=("Slow queries after a schema change", "CPU throttling", "A slow downstream call"),
        ),
        examples=(
            Example(
                name="requests take 2.5-5 s",
                series=latency("{dur}", JOB, "{method}", "{path}", "5"),
                at="10m",
                fires=True,
                value=4.875,
            ),
            Example(
                name="requests take 1-2.5 s",
                series=latency("{dur}", JOB, "{method}", "{path}", "2.5"),
                at="10m",
                fires=False,
            ),
        ),
    ),
    warning=Tier(
        name="{n.camel}{word}HighLatency",
        threshold=1,
        for_="10m",
        summary="{n.kebab}: {title} p95 latency above 1 s",
        description=(
            "p95 latency of {title} is {{{{ $value | humanizeDuration }}}}, above 1 s for 10 minutes "
            "(job {{{{ $labels.job }}}})."
        ),
        runbook=Runbook(
            actions=(
                Step(
                    title="Compare with the traffic",
                    text="A latency rise with traffic is load; without it, look at dependencies.",
                    bullets=("Request rate of {title}", "Saturation of the worker pool"),
                ),
                SCALE_UP,
            ),
        ),
        examples=(
            Example(
                name="requests take 1-2.5 s",
                series=latency("{dur}", JOB, "{method}", "{path}", "2.5"),
                at="15m",
                fires=True,
                value=2.425,
            ),
            Example(
                name="requests take 0.5-1 s",
                series=latency("{dur}", JOB, "{method}", "{path}", "1"),
                at="15m",
                fires=False,
            ),
        ),
    ),
)
'''


def _esc(text: str) -> str:
    """A selector inside a double-quoted Python string."""
    return text.replace('"', '\\"')


def _singles(n: _Names) -> str:
    s, job = n.snake, n.kebab
    sel = f'job=\\"{job}\\"'
    return f'''
# --- service-wide signals and alerts ----------------------------------------------------
target_up = Signal(
    name="target_up",
    title="Target up",
    expr="min by (job, namespace, instance) (up{{{sel}}})",
    # Every service has this signal: its own record name keeps the recording rules apart.
    record="job_namespace_instance:{s}_up:min",
    unit="bool",
    description="1 while Prometheus scrapes the target, 0 when the scrape fails.",
)
db_connections = Signal(
    name="db_connections",
    title="Active database connections",
    expr="sum by (job, namespace) ({s}_db_connections_active{{{sel}}})",
    unit="short",
)
db_connections_max = Signal(
    name="db_connections_max",
    title="Database pool size",
    expr="sum by (job, namespace) ({s}_db_connections_max{{{sel}}})",
    unit="short",
)
queue_depth = Signal(
    name="queue_depth",
    title="Queue depth",
    expr="max by (job, namespace) ({s}_queue_depth{{{sel}}})",
    unit="short",
)
job_failures = Signal(
    name="job_failure_ratio",
    title="Job failure ratio",
    expr=(
        "sum by (job, namespace) (rate({s}_jobs_failed_total{{{sel}}}[10m]))\\n"
        "/\\nsum by (job, namespace) (rate({s}_jobs_processed_total{{{sel}}}[10m]))"
    ),
    unit="percentunit",
)
cache_hits = Signal(
    name="cache_hit_ratio",
    title="Cache hit ratio",
    expr=(
        "sum by (job, namespace) (rate({s}_cache_hits_total{{{sel}}}[5m]))\\n"
        "/\\n(sum by (job, namespace) (rate({s}_cache_hits_total{{{sel}}}[5m]))"
        " + sum by (job, namespace) (rate({s}_cache_misses_total{{{sel}}}[5m])))"
    ),
    unit="percentunit",
)
memory = Signal(
    name="memory_rss",
    title="Resident memory",
    expr="max by (job, namespace, instance) ({s}_process_resident_memory_bytes{{{sel}}})",
    unit="bytes",
)
replication_lag = Signal(
    name="replication_lag",
    title="Replication lag",
    expr="max by (job, namespace) ({s}_replication_lag_seconds{{{sel}}})",
    unit="s",
)
workers = Signal(
    name="worker_saturation",
    title="Worker pool saturation",
    expr="sum by (job, namespace) ({s}_workers_busy{{{sel}}})\\n/\\nsum by (job, namespace) ({s}_workers_total{{{sel}}})",
    unit="percentunit",
)
throughput = Signal(
    name="{n.domain}_per_hour",
    title="{n.domain.capitalize()} per hour",
    expr="sum by (job, namespace) (increase({s}_{n.domain}_processed_total{{{sel}}}[1h]))",
    unit="short",
)
rejections = Signal(
    name="rejections_per_hour",
    title="Rejections per hour",
    expr="sum by (job, namespace) (increase({s}_rejections_total{{{sel}}}[1h]))",
    unit="short",
)

target_down = Alert(
    name="{n.camel}TargetDown",
    signal=target_up,
    op="==",
    threshold=0,
    absent=True,
    for_="1m",
    severity="critical",
    inhibits_service=True,
    summary="{job} is down",
    description="{job} has been down for more than 1 minute (job {{{{ $labels.job }}}}): no target or failed scrapes.",
    runbook=Runbook(
        actions=(
            Step(
                title="Check the pods",
                commands=(
                    Command(variant="Kubernetes", code="kubectl get pods -n {job} -l app={job}\\nkubectl describe pod -n {job} <pod-name>"),
                    Command(variant="Docker Compose", code="docker compose ps\\ndocker compose logs {job}"),
                ),
            ),
            CHECK_LOGS,
            Step(
                title="Restart",
                commands=(Command(code="kubectl rollout restart deployment/{job} -n {job}"),),
            ),
        ),
        causes=("Crash loop after a deploy", "Node failure", "Scrape configuration changed"),
        escalation=("If it does not start within 5 minutes, page the {n.team} lead",),
    ),
    examples=(
        Example(name="target down for 4 minutes", series={{f"up{{{{{{TARGET}}}}}}": "1 1 0x10"}}, at="6m", fires=True),
        Example(
            name="no target of the job exists",
            series={{'up{{job="other",namespace="other",instance="10.9.9.9:8080"}}': "1x10"}},
            at="5m",
            fires=True,
        ),
        Example(name="target up", series={{f"up{{{{{{TARGET}}}}}}": "1x10"}}, at="5m", fires=False),
    ),
)

db_connections_high = Alert(
    name="{n.camel}DatabaseConnectionsHigh",
    team="dba",
    signal=db_connections,
    threshold=80,
    for_="5m",
    severity="warning",
    summary="{job} holds more than 80 database connections",
    description="{job} holds {{{{ $value | humanize }}}} database connections, more than 80 for 5 minutes.",
    runbook=Runbook(
        actions=(
            Step(
                title="Count connections",
                commands=(Command(lang="sql", code="SELECT state, count(*) FROM pg_stat_activity GROUP BY state;"),),
            ),
            Step(title="Look for leaks", bullets=("Idle in transaction sessions", "Pool size per replica")),
        ),
        causes=("Connection leak", "Pool size raised without database capacity"),
    ),
    examples=(
        Example(
            name="85 connections in use",
            series=gauge("{s}_db_connections_active", JOB, 85, ',pool="primary"'),
            at="10m",
            fires=True,
            value=85,
        ),
        Example(
            name="40 connections in use",
            series=gauge("{s}_db_connections_active", JOB, 40, ',pool="primary"'),
            at="10m",
            fires=False,
        ),
    ),
)

queue_backlog = Alert(
    name="{n.camel}QueueBacklog",
    signal=queue_depth,
    threshold=1000,
    for_="15m",
    severity="warning",
    summary="{job} has more than 1000 queued jobs",
    description="The deepest queue of {job} holds {{{{ $value | humanize }}}} jobs, more than 1000 for 15 minutes.",
    runbook=Runbook(
        actions=(
            Step(title="Check the consumers", bullets=("Consumer replicas running", "Consumer error logs")),
            SCALE_UP,
        ),
    ),
    examples=(
        Example(name="1500 queued", series=gauge("{s}_queue_depth", JOB, 1500, ',queue="default"'), at="20m", fires=True, value=1500),
        Example(name="200 queued", series=gauge("{s}_queue_depth", JOB, 200, ',queue="default"'), at="20m", fires=False),
    ),
)

job_failures_high = Alert(
    name="{n.camel}JobFailuresHigh",
    signal=job_failures,
    threshold=0.1,
    for_="10m",
    severity="critical",
    summary="{job} fails more than 10% of its jobs",
    description="{{{{ $value | humanizePercentage }}}} of the jobs of {job} fail (more than 10% for 10 minutes).",
    runbook=Runbook(
        actions=(
            CHECK_LOGS,
            Step(title="Retry or park", text="Park the failing jobs in the dead-letter queue if one input fails them all."),
        ),
        causes=("A poison message", "A failing downstream service"),
    ),
    examples=(
        Example(
            name="20% of jobs fail",
            series={{
                **counter("{s}_jobs_failed_total", JOB, 2, ',queue="default"'),
                **counter("{s}_jobs_processed_total", JOB, 10, ',queue="default"'),
            }},
            at="30m",
            fires=True,
            value=0.2,
        ),
        Example(
            name="5% of jobs fail",
            series={{
                **counter("{s}_jobs_failed_total", JOB, 0.5, ',queue="default"'),
                **counter("{s}_jobs_processed_total", JOB, 10, ',queue="default"'),
            }},
            at="30m",
            fires=False,
        ),
    ),
)

cache_hit_ratio_low = Alert(
    name="{n.camel}CacheHitRatioLow",
    signal=cache_hits,
    op="<",
    threshold=0.8,
    for_="15m",
    severity="warning",
    summary="{job} cache hit ratio below 80%",
    description="The cache of {job} answers {{{{ $value | humanizePercentage }}}} of lookups (below 80% for 15 minutes).",
    runbook=Runbook(
        actions=(Step(title="Check evictions", bullets=("Cache memory limit", "Key cardinality after a deploy")),),
    ),
    examples=(
        Example(
            name="60% hits",
            series={{
                **counter("{s}_cache_hits_total", JOB, 6, ',cache="local"'),
                **counter("{s}_cache_misses_total", JOB, 4, ',cache="local"'),
            }},
            at="30m",
            fires=True,
            value=0.6,
        ),
        Example(
            name="90% hits",
            series={{
                **counter("{s}_cache_hits_total", JOB, 9, ',cache="local"'),
                **counter("{s}_cache_misses_total", JOB, 1, ',cache="local"'),
            }},
            at="30m",
            fires=False,
        ),
    ),
)

memory_high = Alert(
    name="{n.camel}MemoryHigh",
    signal=memory,
    threshold=2000000000,
    for_="10m",
    severity="warning",
    summary="{job} uses more than 2 GB of memory",
    description="Instance {{{{ $labels.instance }}}} of {job} uses {{{{ $value | humanize }}}}B of memory (more than 2 GB).",
    runbook=Runbook(
        actions=(
            Step(title="Profile the heap", commands=(Command(code="kubectl exec -n {job} <pod-name> -- curl -s localhost:8080/debug/heap > heap.out"),)),
            Step(title="Restart if it keeps growing", commands=(Command(code="kubectl delete pod -n {job} <pod-name>"),)),
        ),
        causes=("Memory leak", "An unbounded cache"),
    ),
    examples=(
        Example(name="3 GB resident", series=gauge("{s}_process_resident_memory_bytes", JOB, 3000000000), at="15m", fires=True, value=3000000000),
        Example(name="1 GB resident", series=gauge("{s}_process_resident_memory_bytes", JOB, 1000000000), at="15m", fires=False),
    ),
)

replication_lag_high = Alert(
    name="{n.camel}ReplicationLagHigh",
    team="dba",
    signal=replication_lag,
    threshold=30,
    for_="10m",
    severity="critical",
    summary="{job} replicas lag more than 30 s",
    description="The slowest replica of {job} lags {{{{ $value | humanizeDuration }}}} behind (more than 30 s for 10 minutes).",
    runbook=Runbook(
        actions=(Step(title="Check the replica", commands=(Command(lang="sql", code="SELECT now() - pg_last_xact_replay_timestamp();"),)),),
    ),
    examples=(
        Example(name="45 s behind", series=gauge("{s}_replication_lag_seconds", JOB, 45, ',replica="r1"'), at="15m", fires=True, value=45),
        Example(name="5 s behind", series=gauge("{s}_replication_lag_seconds", JOB, 5, ',replica="r1"'), at="15m", fires=False),
    ),
)

workers_saturated = Alert(
    name="{n.camel}WorkersSaturated",
    signal=workers,
    threshold=0.9,
    for_="10m",
    severity="critical",
    summary="{job} has more than 90% of its workers busy",
    description="{{{{ $value | humanizePercentage }}}} of the workers of {job} are busy (more than 90% for 10 minutes).",
    runbook=Runbook(actions=(SCALE_UP,), causes=("Traffic spike", "Slow dependency holding workers")),
    examples=(
        Example(
            name="19 of 20 busy",
            series={{**gauge("{s}_workers_busy", JOB, 19), **gauge("{s}_workers_total", JOB, 20)}},
            at="15m",
            fires=True,
            value=0.95,
        ),
        Example(
            name="10 of 20 busy",
            series={{**gauge("{s}_workers_busy", JOB, 10), **gauge("{s}_workers_total", JOB, 20)}},
            at="15m",
            fires=False,
        ),
    ),
)

throughput_low = Alert(
    name="{n.camel}ThroughputLow",
    signal=throughput,
    op="<",
    threshold=10,
    severity="warning",
    category=Category.BUSINESS,
    summary="{job} processed fewer than 10 {n.domain} in the last hour",
    description="{job} processed fewer than 10 {n.domain} in the last hour; customers may be blocked.",
    runbook=Runbook(
        actions=(
            Step(title="Check upstream traffic", bullets=("Storefront traffic", "Partner integrations")),
            Step(title="Tell the business owner", bullets=("Post in the incident channel",)),
        ),
    ),
    examples=(
        Example(name="6 in an hour", series=counter("{s}_{n.domain}_processed_total", JOB, 0.1), at="90m", fires=True),
        Example(name="30 in an hour", series=counter("{s}_{n.domain}_processed_total", JOB, 0.5), at="90m", fires=False),
    ),
)

rejections_high = Alert(
    name="{n.camel}RejectionsHigh",
    signal=rejections,
    threshold=10,
    severity="warning",
    category=Category.BUSINESS,
    summary="{job} rejected more than 10 requests in the last hour",
    description="{{{{ $value | humanize }}}} requests were rejected by {job} in the last hour (more than 10).",
    runbook=Runbook(actions=(Step(title="Break rejections down", bullets=("By reason", "By client")),)),
    examples=(
        Example(name="30 in an hour", series=counter("{s}_rejections_total", JOB, 0.5, ',reason="invalid"'), at="90m", fires=True, value=30),
        Example(name="6 in an hour", series=counter("{s}_rejections_total", JOB, 0.1, ',reason="invalid"'), at="90m", fires=False),
    ),
)
'''


def _service(n: _Names, index: int) -> str:
    handlers = "".join(_handler_block(n, i) for i in range(len(_HANDLERS)))
    hs = [h[3] for h in _HANDLERS]
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
    return head + handlers + _singles(n) + tail


def _teams(names: list[_Names]) -> str:
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
