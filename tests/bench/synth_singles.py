"""The service-wide signals and ten single alerts of a synthetic service."""

from __future__ import annotations

from .synth_names import Names


def singles(n: Names) -> str:
    """Spec source of the service-wide signals and the ten single alerts of service `n`."""
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
