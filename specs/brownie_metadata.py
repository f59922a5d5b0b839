"""The Brownie Metadata Database: alerts, runbook content and links.

Facts come from the service contract (metric names, who is told) and the incident-response
runbook this spec replaces; every alert carries that runbook's content for it.
"""

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
    Mimir,
    Notify,
    Operator,
    PagerDuty,
    Panel,
    Routing,
    Row,
    Runbook,
    Section,
    Service,
    Signal,
    Slack,
    SlackTarget,
    Step,
    Targets,
    Team,
    Thanos,
    Tier,
    Tiers,
    VMAlert,
)

JOB = "brownie-metadata-app"
NAMESPACE = "brownie-metadata"
SELECT = f'job="{JOB}"'
DOCS = "https://github.com/brownie-metadata/brownie-metadata-database/blob/main/runbooks"

# --- example series (promtool input) ------------------------------------------------------
TARGET = f'job="{JOB}",namespace="{NAMESPACE}",instance="10.0.0.12:8000"'
HTTP_BUCKETS = ("0.05", "0.1", "0.25", "0.5", "1", "2", "5", "10", "+Inf")
RESOLUTION_BUCKETS = ("300", "900", "1800", "3600", "7200", "14400", "+Inf")


def http_traffic(ok_per_min: int, errors_per_min: int) -> dict[str, str]:
    """Requests served per minute, split into 200s and 503s, for 30 minutes."""
    labels = f'{TARGET},method="GET",handler="/api/v1/metadata"'
    return {
        f'brownie_http_requests_total{{{labels},status="200"}}': f"0+{ok_per_min}x30",
        f'brownie_http_requests_total{{{labels},status="503"}}': f"0+{errors_per_min}x30",
    }


def histogram(metric: str, buckets: tuple[str, ...], slowest_le: str, extra: str = "") -> dict[str, str]:
    """A histogram whose observations all fall into the bucket ending at `slowest_le`."""
    first = buckets.index(slowest_le)
    return {
        f'{metric}_bucket{{{TARGET}{extra},le="{le}"}}': "0+10x90" if i >= first else "0x90"
        for i, le in enumerate(buckets)
    }


def latency(slowest_le: str) -> dict[str, str]:
    """Request latency with every request in one bucket."""
    return histogram(
        "brownie_http_request_duration_seconds",
        HTTP_BUCKETS,
        slowest_le,
        ',method="GET",handler="/api/v1/metadata"',
    )


# --- signals --------------------------------------------------------------------------------
target_up = Signal(
    name="target_up",
    title="Target up",
    expr=f"min by (job, namespace, instance) (up{{{SELECT}}})",
    record="job_namespace_instance:up:min",
    unit="bool",
    description="1 while Prometheus scrapes the app's target, 0 when the scrape fails.",
)
error_ratio = Signal(
    name="error_ratio",
    title="Error ratio",
    expr=(
        f'sum by (job, namespace) (rate(brownie_http_requests_total{{{SELECT},status=~"5.."}}[5m]))\n'
        f"/\nsum by (job, namespace) (rate(brownie_http_requests_total{{{SELECT}}}[5m]))"
    ),
    record="job_namespace:brownie_http_requests_errors:ratio_rate5m",
    unit="percentunit",
    description="Share of HTTP responses with a 5xx status over the last 5 minutes.",
)
latency_p95 = Signal(
    name="latency_p95",
    title="p95 response time",
    expr=(
        "histogram_quantile(0.95, sum by (job, namespace, le) "
        f"(rate(brownie_http_request_duration_seconds_bucket{{{SELECT}}}[5m])))"
    ),
    record="job_namespace:brownie_http_request_duration_seconds:p95_rate5m",
    unit="s",
    description="95th percentile of request latency over the last 5 minutes.",
)
db_connections = Signal(
    name="db_connections",
    title="Active database connections",
    expr=f"sum by (job, namespace) (brownie_db_connections_active{{{SELECT}}})",
    record="job_namespace:brownie_db_connections_active:sum",
    unit="short",
    description="Database connections in use, summed over the app's pools and instances.",
)
incidents_created = Signal(
    name="incidents_created",
    title="Incidents created per hour",
    expr=f"sum by (job, namespace) (increase(brownie_incidents_created_total{{{SELECT}}}[1h]))",
    record="job_namespace:brownie_incidents_created:increase1h",
    unit="short",
    description="Incidents the service recorded in the last hour.",
)
resolution_p95 = Signal(
    name="incident_resolution_p95",
    title="p95 incident resolution time",
    expr=(
        "histogram_quantile(0.95, sum by (job, namespace, le) "
        f"(rate(brownie_incident_resolution_duration_seconds_bucket{{{SELECT}}}[1h])))"
    ),
    record="job_namespace:brownie_incident_resolution_duration_seconds:p95_rate1h",
    unit="s",
    description="95th percentile of the time from incident creation to resolution over the last hour.",
)

# Plotted on the dashboard, watched by no alert.
request_rate = Signal(
    name="request_rate",
    title="Request rate",
    expr=f"sum by (job, namespace) (rate(brownie_http_requests_total{{{SELECT}}}[5m]))",
    record="job_namespace:brownie_http_requests:rate5m",
    unit="reqps",
    description="HTTP requests served per second over the last 5 minutes.",
)
db_connections_max = Signal(
    name="db_connections_max",
    title="Maximum database connections",
    expr=f"sum by (job, namespace) (brownie_db_connections_max{{{SELECT}}})",
    record="job_namespace:brownie_db_connections_max:sum",
    unit="short",
    description="Configured pool size, summed over the app's pools and instances.",
)

# --- runbook content shared by alerts ---------------------------------------------------------
KUBECTL_LOGS = f"kubectl logs -n {NAMESPACE} -l app={JOB} --tail=100"

service_down = Alert(
    name="ServiceDown",
    changed_in="1.0.0",
    signal=target_up,
    op="==",
    threshold=0,
    absent=True,
    inhibits_service=True,
    for_="1m",
    severity="critical",
    summary="Brownie Metadata Database service is down",
    description=(
        "The Brownie Metadata Database service has been down for more than 1 minute "
        "(job {{ $labels.job }}): its target fails to be scraped or no target exists."
    ),
    runbook=Runbook(
        actions=(
            Step(
                title="Check Service Status",
                commands=(
                    Command(
                        variant="Kubernetes",
                        code=(
                            f"kubectl get pods -n {NAMESPACE} -l app={JOB}\n"
                            f"kubectl describe pod -n {NAMESPACE} <pod-name>\n"
                            f"{KUBECTL_LOGS}"
                        ),
                    ),
                    Command(variant="Docker Compose", code="docker compose ps\ndocker compose logs app"),
                ),
            ),
            Step(
                title="Check Resource Usage",
                commands=(
                    Command(variant="Kubernetes", code=f"kubectl top pods -n {NAMESPACE}"),
                    Command(variant="Docker Compose", code="docker stats"),
                ),
            ),
            Step(
                title="Restart Service",
                commands=(
                    Command(
                        variant="Kubernetes",
                        code=f"kubectl rollout restart deployment/{JOB} -n {NAMESPACE}",
                    ),
                    Command(variant="Docker Compose", code="docker compose restart app"),
                ),
            ),
            Step(
                title="Check Dependencies",
                bullets=("Database connectivity", "Redis connectivity", "Network issues"),
            ),
        ),
        escalation=(
            "If service doesn't start within 5 minutes, escalate to on-call engineer",
            "If database issues, contact DBA team",
            "If infrastructure issues, contact platform team",
        ),
    ),
    examples=(
        Example(
            name="target down for 4 minutes",
            series={f"up{{{TARGET}}}": "1 1 0x10"},
            at="6m",
            fires=True,
        ),
        Example(
            name="no target of the job exists",
            series={'up{job="other-app",namespace="other",instance="10.0.0.99:8000"}': "1x10"},
            at="5m",
            fires=True,
        ),
        Example(name="target up", series={f"up{{{TARGET}}}": "1x10"}, at="5m", fires=False),
        Example(
            name="down for less than a minute",
            series={f"up{{{TARGET}}}": "1x5 0"},
            at="6m",
            fires=False,
        ),
    ),
)

error_tiers = Tiers(
    signal=error_ratio,
    critical=Tier(
        name="CriticalErrorRate",
        changed_in="1.0.0",
        threshold=0.10,
        for_="5m",
        summary="Brownie Metadata Database error rate above 10%",
        description=(
            "Error rate is {{ $value | humanizePercentage }}, above 10% for the last 5 minutes "
            "(job {{ $labels.job }}, namespace {{ $labels.namespace }})."
        ),
        runbook=Runbook(
            actions=(
                Step(
                    title="Check Error Logs",
                    commands=(
                        Command(code=f"kubectl logs -n {NAMESPACE} -l app={JOB} --tail=200 | grep ERROR"),
                    ),
                ),
                Step(
                    title="Identify Error Patterns",
                    text="Break errors down by cause with `brownie_errors_total` (label `type`).",
                    bullets=(
                        "Database connection errors",
                        "Authentication failures",
                        "Validation errors",
                        "External service failures",
                    ),
                ),
                Step(
                    title="Check System Resources",
                    commands=(Command(code=f"kubectl top pods -n {NAMESPACE}\nkubectl describe nodes"),),
                ),
                Step(
                    title="Scale Up if Needed",
                    commands=(Command(code=f"kubectl scale deployment {JOB} --replicas=3 -n {NAMESPACE}"),),
                ),
            ),
            causes=(
                "Database connection pool exhaustion",
                "Memory leaks",
                "High load causing timeouts",
                "External service degradation",
            ),
        ),
        examples=(
            Example(
                name="12% of requests fail",
                series=http_traffic(88, 12),
                at="10m",
                fires=True,
                value=0.12,
            ),
            Example(name="7% of requests fail", series=http_traffic(93, 7), at="10m", fires=False),
        ),
    ),
    warning=Tier(
        name="HighErrorRate",
        changed_in="1.0.0",
        threshold=0.05,
        for_="5m",
        summary="Brownie Metadata Database error rate above 5%",
        description=(
            "Error rate is {{ $value | humanizePercentage }}, above 5% for the last 5 minutes "
            "(job {{ $labels.job }}, namespace {{ $labels.namespace }})."
        ),
        runbook=Runbook(
            actions=(
                Step(
                    title="Monitor Error Trends",
                    commands=(
                        Command(
                            code="# Check error rate over time\ncurl -s http://localhost:8000/metrics | grep errors_total"
                        ),
                    ),
                ),
                Step(
                    title="Check Recent Deployments",
                    bullets=(
                        "Review recent changes",
                        "Check configuration changes",
                        "Verify dependency updates",
                    ),
                ),
                Step(
                    title="Analyze Error Types",
                    bullets=("Categorize errors by type", "Identify root causes", "Plan fixes"),
                ),
            ),
        ),
        examples=(
            Example(
                name="7% of requests fail",
                series=http_traffic(93, 7),
                at="10m",
                fires=True,
                value=0.07,
            ),
            Example(name="2% of requests fail", series=http_traffic(98, 2), at="10m", fires=False),
        ),
    ),
)

latency_tiers = Tiers(
    signal=latency_p95,
    critical=Tier(
        name="CriticalResponseTime",
        changed_in="1.0.0",
        threshold=5,
        for_="5m",
        summary="Brownie Metadata Database p95 response time above 5 s",
        description=(
            "95th percentile response time is {{ $value | humanizeDuration }}, above 5 seconds "
            "for the last 5 minutes (job {{ $labels.job }})."
        ),
        runbook=Runbook(
            actions=(
                Step(
                    title="Check Database Performance",
                    commands=(
                        Command(
                            lang="sql",
                            code=(
                                "-- Check active queries\n"
                                "SELECT pid, state, query_start, query\n"
                                "FROM pg_stat_activity\n"
                                "WHERE state = 'active'\n"
                                "ORDER BY query_start;\n"
                                "\n"
                                "-- Check slow queries\n"
                                "SELECT query, mean_time, calls\n"
                                "FROM pg_stat_statements\n"
                                "ORDER BY mean_time DESC\n"
                                "LIMIT 10;"
                            ),
                        ),
                    ),
                ),
                Step(
                    title="Check Application Metrics",
                    commands=(Command(code="curl http://localhost:8000/metrics | grep request_duration"),),
                ),
                Step(
                    title="Scale Resources",
                    commands=(
                        Command(
                            code=(
                                "# Scale up replicas\n"
                                f"kubectl scale deployment {JOB} --replicas=5 -n {NAMESPACE}\n"
                                "\n"
                                "# Increase resource limits\n"
                                f"kubectl patch deployment {JOB} -n {NAMESPACE} -p "
                                '\'{"spec":{"template":{"spec":{"containers":[{"name":"app",'
                                '"resources":{"limits":{"cpu":"1000m","memory":"2Gi"}}}]}}}}\''
                            ),
                        ),
                    ),
                ),
            ),
        ),
        examples=(
            Example(name="requests take 5-10 s", series=latency("10"), at="10m", fires=True, value=9.75),
            Example(name="requests take 2-5 s", series=latency("5"), at="10m", fires=False),
        ),
    ),
    warning=Tier(
        name="HighResponseTime",
        changed_in="1.0.0",
        threshold=2,
        for_="5m",
        summary="Brownie Metadata Database p95 response time above 2 s",
        description=(
            "95th percentile response time is {{ $value | humanizeDuration }}, above 2 seconds "
            "for the last 5 minutes (job {{ $labels.job }})."
        ),
        runbook=Runbook(
            actions=(
                Step(
                    title="Performance Analysis",
                    commands=(
                        Command(
                            code=(
                                "# Check response time percentiles\n"
                                "curl -s http://localhost:8000/metrics | grep request_duration_seconds"
                            )
                        ),
                    ),
                ),
                Step(
                    title="Database Optimization",
                    bullets=(
                        "Check for missing indexes",
                        "Analyze query performance",
                        "Consider query optimization",
                    ),
                ),
                Step(
                    title="Resource Monitoring",
                    bullets=(
                        "Monitor CPU usage",
                        "Check memory consumption",
                        "Review network latency",
                    ),
                ),
            ),
        ),
        examples=(
            Example(name="requests take 2-5 s", series=latency("5"), at="10m", fires=True, value=4.85),
            Example(name="requests take 0.25-0.5 s", series=latency("0.5"), at="10m", fires=False),
        ),
    ),
)

database_connection_high = Alert(
    name="DatabaseConnectionHigh",
    changed_in="1.0.0",
    signal=db_connections,
    threshold=80,
    for_="5m",
    severity="warning",
    summary="Brownie Metadata Database has more than 80 active connections",
    description=(
        "Database has {{ $value | humanize }} active connections, more than 80 for the last "
        "5 minutes (job {{ $labels.job }})."
    ),
    runbook=Runbook(
        actions=(
            Step(
                title="Check Connection Pool",
                commands=(
                    Command(
                        code=(
                            "# Check active connections\n"
                            "curl -s http://localhost:8000/metrics | grep db_connections_active"
                        )
                    ),
                ),
            ),
            Step(
                title="Database Analysis",
                commands=(
                    Command(
                        lang="sql",
                        code=(
                            "-- Check connection count\n"
                            "SELECT count(*) FROM pg_stat_activity;\n"
                            "\n"
                            "-- Check idle connections\n"
                            "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle';"
                        ),
                    ),
                ),
            ),
            Step(
                title="Optimize Connections",
                bullets=(
                    "Review connection pool settings",
                    "Check for connection leaks",
                    "Consider connection pooling",
                ),
            ),
        ),
    ),
    examples=(
        Example(
            name="85 connections in use",
            series={f'brownie_db_connections_active{{{TARGET},pool="primary"}}': "85x15"},
            at="10m",
            fires=True,
            value=85,
        ),
        Example(
            name="40 connections in use",
            series={f'brownie_db_connections_active{{{TARGET},pool="primary"}}': "40x15"},
            at="10m",
            fires=False,
        ),
    ),
)

high_incident_volume = Alert(
    name="HighIncidentVolume",
    changed_in="1.0.0",
    signal=incidents_created,
    threshold=10,
    severity="warning",
    category=Category.BUSINESS,
    summary="More than 10 Brownie incidents created in the last hour",
    description="{{ $value | humanize }} incidents were created in the last hour (more than 10).",
    runbook=Runbook(
        actions=(
            Step(
                title="Analyze Incident Patterns",
                bullets=("Check incident types", "Identify common causes", "Review user reports"),
            ),
            Step(
                title="Check System Health",
                bullets=(
                    "Verify all services are running",
                    "Check for recent issues",
                    "Review error logs",
                ),
            ),
            Step(
                title="Communication",
                bullets=("Update status page", "Notify stakeholders", "Prepare incident report"),
            ),
        ),
    ),
    examples=(
        Example(
            name="30 incidents in an hour",
            series={f'brownie_incidents_created_total{{{TARGET},severity="high"}}': "0+0.5x120"},
            at="90m",
            fires=True,
            value=30,
        ),
        Example(
            name="6 incidents in an hour",
            series={f'brownie_incidents_created_total{{{TARGET},severity="high"}}': "0+0.1x120"},
            at="90m",
            fires=False,
        ),
    ),
)

long_incident_resolution = Alert(
    name="LongIncidentResolution",
    changed_in="1.0.0",
    signal=resolution_p95,
    threshold=3600,
    for_="15m",
    severity="warning",
    category=Category.BUSINESS,
    summary="Brownie incidents take more than 60 minutes to resolve (p95)",
    description=(
        "95th percentile incident resolution time is {{ $value | humanizeDuration }}, above 60 minutes "
        "for the last 15 minutes."
    ),
    runbook=Runbook(
        actions=(
            Step(
                title="Review Active Incidents",
                bullets=("Check incident age", "Identify blockers", "Assign additional resources"),
            ),
            Step(
                title="Process Improvement",
                bullets=(
                    "Review resolution procedures",
                    "Update documentation",
                    "Train team members",
                ),
            ),
        ),
    ),
    examples=(
        Example(
            name="incidents take 1-2 hours",
            series=histogram("brownie_incident_resolution_duration_seconds", RESOLUTION_BUCKETS, "7200"),
            at="40m",
            fires=True,
            value=7020,
        ),
        Example(
            name="incidents take 15-30 minutes",
            series=histogram("brownie_incident_resolution_duration_seconds", RESOLUTION_BUCKETS, "1800"),
            at="40m",
            fires=False,
        ),
    ),
)

dashboard = Dashboard(
    rows=(
        Row(title="Overview", panels=(target_up, request_rate, error_ratio, latency_p95)),
        Row(
            title="Database",
            panels=(Panel(title="Active vs. max connections", signals=(db_connections, db_connections_max)),),
        ),
        Row(title="Business", panels=(incidents_created, resolution_p95)),
    )
)

service = Service(
    name="brownie-metadata",
    title="Brownie Metadata Database",
    version="1.0.0",
    team="brownie",
    description="Metadata database for Brownie: an HTTP API on PostgreSQL and Redis.",
    metrics=(
        Metric(name="up", type="gauge", help="1 while the target is scraped (from Prometheus)"),
        Metric(
            name="brownie_http_requests_total",
            type="counter",
            labels=("method", "handler", "status"),
            help="HTTP requests served; status is the code",
        ),
        Metric(
            name="brownie_http_request_duration_seconds",
            type="histogram",
            labels=("method", "handler"),
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
            help="Request latency",
        ),
        Metric(
            name="brownie_errors_total",
            type="counter",
            labels=("type",),
            help="Errors by cause: database, auth, validation, external",
        ),
        Metric(
            name="brownie_db_connections_active",
            type="gauge",
            labels=("pool",),
            help="Active database connections",
        ),
        Metric(
            name="brownie_db_connections_max",
            type="gauge",
            labels=("pool",),
            help="Configured pool size",
        ),
        Metric(
            name="brownie_incidents_created_total",
            type="counter",
            labels=("severity",),
            help="Incidents recorded by the service",
        ),
        Metric(
            name="brownie_incident_resolution_duration_seconds",
            type="histogram",
            buckets=(300, 900, 1800, 3600, 7200, 14400),
            help="Time from incident creation to resolution",
        ),
    ),
    signals=(request_rate, db_connections_max),
    alerts=(
        service_down,
        error_tiers,
        latency_tiers,
        database_connection_high,
        high_incident_volume,
        long_incident_resolution,
    ),
    runbook_base_url="https://github.com/brownie-metadata/alertgen/blob/main/output/runbooks/",
    grafana_url="http://localhost:3000",
    dashboard=dashboard,
    links=(
        Link(title="Grafana Dashboard", url="http://localhost:3000"),
        Link(title="Prometheus Metrics", url="http://localhost:9090"),
        Link(title="AlertManager", url="http://localhost:9093"),
        Link(title="Database Admin", url="http://localhost:8080/admin"),
        Link(title="API Documentation", url="http://localhost:8000/docs"),
        Link(title="Health Check", url="http://localhost:8000/health"),
        Link(title="Metrics Endpoint", url="http://localhost:8000/metrics"),
    ),
    documents=(
        Document(
            name="database-migration",
            title="Database Migration",
            url=f"{DOCS}/RUNBOOK-database-migration.md",
            description="Safe database schema changes and migrations",
        ),
        Document(
            name="database-sharding",
            title="Database Sharding",
            url=f"{DOCS}/RUNBOOK-database-sharding.md",
            description="Horizontal scaling and sharding strategies",
        ),
        Document(
            name="disaster-recovery",
            title="Disaster Recovery",
            url=f"{DOCS}/RUNBOOK-disaster-recovery.md",
            description="Backup, restore, and failover procedures",
        ),
        Document(
            name="scaling-operations",
            title="Scaling Operations",
            url=f"{DOCS}/RUNBOOK-scaling-operations.md",
            description="Vertical and horizontal scaling",
        ),
        Document(
            name="db-api-changes",
            title="Database-API Changes",
            url=f"{DOCS}/RUNBOOK-db-api-changes.md",
            description="Coordinating changes between database and API repositories",
        ),
    ),
    quick_reference=(
        DocRef(title="Database Down", doc="disaster-recovery", anchor="complete-database-loss"),
        DocRef(title="Migration Failed", doc="database-migration", anchor="rollback-procedures"),
        DocRef(title="Performance Issues", doc="scaling-operations", anchor="performance-monitoring"),
    ),
    change_management=(
        DocRef(title="Schema Changes", doc="database-migration"),
        DocRef(title="API Compatibility", doc="db-api-changes"),
        DocRef(title="Production Deployment", doc="disaster-recovery", anchor="full-system-recovery"),
    ),
    escalation=(
        EscalationLevel(
            level=1,
            window="0-15 minutes",
            who="On-call engineer",
            duties=("Basic troubleshooting", "Service restart"),
        ),
        EscalationLevel(
            level=2,
            window="15-30 minutes",
            who="Senior engineer",
            duties=("Advanced troubleshooting", "Configuration changes"),
        ),
        EscalationLevel(
            level=3,
            window="30+ minutes",
            who="Engineering manager",
            duties=("Architecture review", "External vendor support"),
        ),
    ),
    sections=(
        Section(
            title="🔧 Troubleshooting Commands",
            numbered=False,
            steps=(
                Step(
                    title="General Health Checks",
                    commands=(
                        Command(
                            code=(
                                "# Service status\n"
                                f"kubectl get pods -n {NAMESPACE}\n"
                                f"kubectl get svc -n {NAMESPACE}\n"
                                "\n"
                                "# Logs\n"
                                f"{KUBECTL_LOGS}\n"
                                "\n"
                                "# Metrics\n"
                                "curl http://localhost:8000/metrics\n"
                                "\n"
                                "# Health check\n"
                                "curl http://localhost:8000/health"
                            )
                        ),
                    ),
                ),
                Step(
                    title="Database Commands",
                    commands=(
                        Command(
                            code=(
                                "# Connect to database\n"
                                f"kubectl exec -it -n {NAMESPACE} <postgres-pod> -- psql -U brownie -d brownie_metadata\n"
                                "\n"
                                "# Check database size\n"
                                f"kubectl exec -it -n {NAMESPACE} <postgres-pod> -- psql -U brownie -d brownie_metadata "
                                "-c \"SELECT pg_size_pretty(pg_database_size('brownie_metadata'));\"\n"
                                "\n"
                                "# Check table sizes\n"
                                f"kubectl exec -it -n {NAMESPACE} <postgres-pod> -- psql -U brownie -d brownie_metadata "
                                '-c "SELECT schemaname,tablename,pg_size_pretty(pg_total_relation_size('
                                "schemaname||'.'||tablename)) as size FROM pg_tables WHERE schemaname = 'public' "
                                "ORDER BY pg_total_relation_size(schemaname||'.'||tablename) DESC;\""
                            )
                        ),
                    ),
                ),
                Step(
                    title="Performance Analysis",
                    commands=(
                        Command(
                            code=(
                                "# Check resource usage\n"
                                f"kubectl top pods -n {NAMESPACE}\n"
                                "kubectl top nodes\n"
                                "\n"
                                "# Check network connectivity\n"
                                f"kubectl exec -it -n {NAMESPACE} <app-pod> -- curl -I http://postgres:5432\n"
                                f"kubectl exec -it -n {NAMESPACE} <app-pod> -- curl -I http://redis:6379\n"
                                "\n"
                                "# Check disk usage\n"
                                f"kubectl exec -it -n {NAMESPACE} <postgres-pod> -- df -h"
                            )
                        ),
                    ),
                ),
            ),
        ),
        Section(
            title="📋 Post-Incident Actions",
            follow_up=True,
            steps=(
                Step(
                    title="Incident Review",
                    bullets=("Document timeline", "Identify root cause", "Note lessons learned"),
                ),
                Step(
                    title="Action Items",
                    bullets=("Fix identified issues", "Update monitoring", "Improve documentation"),
                ),
                Step(
                    title="Follow-up",
                    bullets=("Schedule post-mortem", "Update runbooks", "Share learnings"),
                ),
            ),
        ),
    ),
)

# --- who is told (brownie-service.md) ---------------------------------------------------------
# Secrets stay out of the spec: Alertmanager reads them from files mounted beside its config.
SECRETS = "/etc/alertmanager/secrets"

brownie_team = Team(
    name="brownie",
    receivers=(
        PagerDuty(name="brownie-oncall", routing_key_file=f"{SECRETS}/pagerduty-brownie-oncall"),
        Slack(
            name="brownie-alerts",
            channel="#brownie-alerts",
            api_url_file=f"{SECRETS}/slack-brownie-alerts",
            staging=SlackTarget(channel="#brownie-staging", api_url_file=f"{SECRETS}/slack-brownie-staging"),
        ),
        Slack(
            name="brownie-incidents",
            channel="#brownie-incidents",
            api_url_file=f"{SECRETS}/slack-brownie-incidents",
            staging=SlackTarget(channel="#brownie-staging", api_url_file=f"{SECRETS}/slack-brownie-staging"),
        ),
    ),
    # The first matching entry wins: business alerts reach #brownie-incidents only, never on-call.
    notify=(
        Notify(category=Category.BUSINESS, receivers=("brownie-incidents",)),
        Notify(severity="critical", receivers=("brownie-oncall", "brownie-alerts")),
        Notify(severity="warning", receivers=("brownie-alerts",)),
    ),
)

routing = Routing(
    default_receiver=Slack(
        name="default",
        channel="#alerts-unrouted",
        api_url_file=f"{SECRETS}/slack-alerts-unrouted",
        staging=SlackTarget(channel="#alerts-staging", api_url_file=f"{SECRETS}/slack-alerts-staging"),
    ),
)

# Every rule format alertgen writes, so that CI checks each one (docs/scale-out.md).
targets = Targets(
    operator=Operator(namespace="monitoring", labels={"prometheus": "main", "role": "alert-rules"}),
    thanos=Thanos(partial_response_strategy="warn"),
    mimir=Mimir(),
    vmalert=VMAlert(),
)
