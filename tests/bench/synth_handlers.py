"""The per-handler block of a synthetic service: error-ratio and latency signals and their tiers."""

from __future__ import annotations

from .synth_names import Names

# (method, path suffix, CamelCase word, snake word) of the ten HTTP handlers every service has.
HANDLERS = (
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


def _esc(text: str) -> str:
    """A selector inside a double-quoted Python string."""
    return text.replace('"', '\\"')


def handler_block(n: Names, idx: int) -> str:
    """Spec source of handler `idx` of service `n`: two signals, error and latency tiers."""
    method, suffix, word, snake = HANDLERS[idx]
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
