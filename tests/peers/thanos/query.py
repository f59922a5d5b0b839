"""Thanos Query's recording rules and alerts (thanos-io/thanos examples/alerts/rules.yaml group
thanos-query.rules; alerts.yaml group thanos-query; its IsDown alert is in component_absent.py),
as the Thanos team would write them in alertgen."""

from _thanos import (
    GRPC_CLIENT,
    GRPC_SERVER,
    HTTP_DURATION,
    HTTP_REQUESTS,
    RUNBOOK_BASE,
    TARGET_LABELS,
    TEAM,
    UP,
    conventions,  # noqa: F401 (the repository's conventions, picked up by alertgen)
    runbook,
)

from generator import Alert, Example, Group, Metric, Service, Signal

HIGH_LATENCY = "Thanos Query has high latency for queries."
FAILING_REQUESTS = "Thanos Query is failing to handle requests."

# Recording rules (thanos-query.rules): failure ratios and p99 latencies per job.
grpc_client_unary_failures = Signal(
    name="grpc_client_unary_failures",
    record=":grpc_client_failures_per_unary:sum_rate",
    expr="""(
  sum by (job) (rate(grpc_client_handled_total{grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded", job=~".*thanos-query.*", grpc_type="unary"}[5m]))
/
  sum by (job) (rate(grpc_client_started_total{job=~".*thanos-query.*", grpc_type="unary"}[5m]))
)
""",
    unit="percentunit",
)
grpc_client_stream_failures = Signal(
    name="grpc_client_stream_failures",
    record=":grpc_client_failures_per_stream:sum_rate",
    expr="""(
  sum by (job) (rate(grpc_client_handled_total{grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded", job=~".*thanos-query.*", grpc_type="server_stream"}[5m]))
/
  sum by (job) (rate(grpc_client_started_total{job=~".*thanos-query.*", grpc_type="server_stream"}[5m]))
)
""",
    unit="percentunit",
)
store_dns_failures = Signal(
    name="store_dns_failures",
    record=":thanos_query_store_apis_dns_failures_per_lookup:sum_rate",
    expr="""(
  sum by (job) (rate(thanos_query_store_apis_dns_failures_total{job=~".*thanos-query.*"}[5m]))
/
  sum by (job) (rate(thanos_query_store_apis_dns_lookups_total{job=~".*thanos-query.*"}[5m]))
)
""",
    unit="percentunit",
)
query_latency_p99 = Signal(
    name="query_latency_p99",
    record=":query_duration_seconds:histogram_quantile",
    expr="""histogram_quantile(0.99,
  sum by (job, le) (rate(http_request_duration_seconds_bucket{job=~".*thanos-query.*", handler="query"}[5m]))
)
""",
    unit="s",
    labels={"quantile": "0.99"},
)
range_query_latency_p99 = Signal(
    name="range_query_latency_p99",
    record=":api_range_query_duration_seconds:histogram_quantile",
    expr="""histogram_quantile(0.99,
  sum by (job, le) (rate(http_request_duration_seconds_bucket{job=~".*thanos-query.*", handler="query_range"}[5m]))
)
""",
    unit="s",
    labels={"quantile": "0.99"},
)

service = Service(
    name="thanos-query",
    title="Thanos Query",
    version="1.0.0",
    team=TEAM,
    target_labels=TARGET_LABELS,
    metrics=(
        UP,
        HTTP_REQUESTS,
        HTTP_DURATION,
        *GRPC_SERVER,
        *GRPC_CLIENT,
        Metric(name="thanos_query_store_apis_dns_failures_total", type="counter"),
        Metric(name="thanos_query_store_apis_dns_lookups_total", type="counter"),
        Metric(name="thanos_query_concurrent_gate_queries_max", type="gauge"),
        Metric(name="thanos_query_concurrent_gate_queries_in_flight", type="gauge"),
    ),
    groups=(
        Group(
            name="thanos-query.rules",
            rules=(
                grpc_client_unary_failures,
                grpc_client_stream_failures,
                store_dns_failures,
                query_latency_p99,
                range_query_latency_p99,
            ),
        ),
        Group(
            name="thanos-query",
            rules=(
                Alert(
                    name="ThanosQueryHttpRequestQueryErrorRateHigh",
                    severity="critical",
                    expr="""(
  sum by (job) (rate(http_requests_total{code=~"5..", job=~".*thanos-query.*", handler="query"}[5m]))
/
  sum by (job) (rate(http_requests_total{job=~".*thanos-query.*", handler="query"}[5m]))
) * 100 > 5
""",
                    for_="5m",
                    summary=FAILING_REQUESTS,
                    description='Thanos Query {{$labels.job}} is failing to handle {{$value | humanize}}% of "query" requests.',
                    runbook_url=runbook("ThanosQueryHttpRequestQueryErrorRateHigh"),
                ),
                Alert(
                    name="ThanosQueryHttpRequestQueryRangeErrorRateHigh",
                    severity="critical",
                    expr="""(
  sum by (job) (rate(http_requests_total{code=~"5..", job=~".*thanos-query.*", handler="query_range"}[5m]))
/
  sum by (job) (rate(http_requests_total{job=~".*thanos-query.*", handler="query_range"}[5m]))
) * 100 > 5
""",
                    for_="5m",
                    summary=FAILING_REQUESTS,
                    description=(
                        'Thanos Query {{$labels.job}} is failing to handle {{$value | humanize}}% of "query_range" requests.'
                    ),
                    runbook_url=runbook("ThanosQueryHttpRequestQueryRangeErrorRateHigh"),
                ),
                Alert(
                    name="ThanosQueryGrpcServerErrorRate",
                    severity="warning",
                    expr="""(
  sum by (job) (rate(grpc_server_handled_total{grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded", job=~".*thanos-query.*"}[5m]))
/
  sum by (job) (rate(grpc_server_started_total{job=~".*thanos-query.*"}[5m]))
* 100 > 5
)
""",
                    for_="5m",
                    summary=FAILING_REQUESTS,
                    description="Thanos Query {{$labels.job}} is failing to handle {{$value | humanize}}% of requests.",
                    runbook_url=runbook("ThanosQueryGrpcServerErrorRate"),
                ),
                Alert(
                    name="ThanosQueryGrpcClientErrorRate",
                    severity="warning",
                    expr="""(
  sum by (job) (rate(grpc_client_handled_total{grpc_code!="OK", job=~".*thanos-query.*"}[5m]))
/
  sum by (job) (rate(grpc_client_started_total{job=~".*thanos-query.*"}[5m]))
) * 100 > 5
""",
                    for_="5m",
                    summary="Thanos Query is failing to send requests.",
                    description="Thanos Query {{$labels.job}} is failing to send {{$value | humanize}}% of requests.",
                    runbook_url=runbook("ThanosQueryGrpcClientErrorRate"),
                ),
                Alert(
                    name="ThanosQueryHighDNSFailures",
                    severity="warning",
                    expr="""(
  sum by (job) (rate(thanos_query_store_apis_dns_failures_total{job=~".*thanos-query.*"}[5m]))
/
  sum by (job) (rate(thanos_query_store_apis_dns_lookups_total{job=~".*thanos-query.*"}[5m]))
) * 100 > 1
""",
                    for_="15m",
                    summary="Thanos Query is having high number of DNS failures.",
                    description=(
                        "Thanos Query {{$labels.job}} have {{$value | humanize}}% of failing DNS queries for store endpoints."
                    ),
                    runbook_url=runbook("ThanosQueryHighDNSFailures"),
                ),
                Alert(
                    name="ThanosQueryInstantLatencyHigh",
                    severity="critical",
                    expr="""(
  histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{job=~".*thanos-query.*", handler="query"}[5m]))) > 40
and
  sum by (job) (rate(http_request_duration_seconds_bucket{job=~".*thanos-query.*", handler="query"}[5m])) > 0
)
""",
                    for_="10m",
                    summary=HIGH_LATENCY,
                    description=(
                        "Thanos Query {{$labels.job}} has a 99th percentile latency of {{$value}} seconds for instant queries."
                    ),
                    runbook_url=runbook("ThanosQueryInstantLatencyHigh"),
                ),
                Alert(
                    name="ThanosQueryRangeLatencyHigh",
                    severity="critical",
                    expr="""(
  histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{job=~".*thanos-query.*", handler="query_range"}[5m]))) > 90
and
  sum by (job) (rate(http_request_duration_seconds_count{job=~".*thanos-query.*", handler="query_range"}[5m])) > 0
)
""",
                    for_="10m",
                    summary=HIGH_LATENCY,
                    description=(
                        "Thanos Query {{$labels.job}} has a 99th percentile latency of {{$value}} seconds for range queries."
                    ),
                    runbook_url=runbook("ThanosQueryRangeLatencyHigh"),
                ),
                Alert(
                    name="ThanosQueryOverload",
                    severity="warning",
                    expr="""(
  max_over_time(thanos_query_concurrent_gate_queries_max[5m]) - avg_over_time(thanos_query_concurrent_gate_queries_in_flight[5m]) < 1
)
""",
                    for_="15m",
                    summary="Thanos query reaches its maximum capacity serving concurrent requests.",
                    description=(
                        "Thanos Query {{$labels.job}} has been overloaded for more than 15 minutes. This may be a "
                        "symptom of excessive simultaneous complex requests, low performance of the Prometheus API, "
                        "or failures within these components. Assess the health of the Thanos query instances, the "
                        "connected Prometheus instances, look for potential senders of these requests and then "
                        "contact support."
                    ),
                    runbook_url=runbook("ThanosQueryOverload"),
                    examples=(
                        Example(
                            name="all 20 query slots busy",
                            series={
                                'thanos_query_concurrent_gate_queries_max{job="thanos-query", namespace="monitoring", instance="q-0", pod="q-0"}': "20x30",
                                'thanos_query_concurrent_gate_queries_in_flight{job="thanos-query", namespace="monitoring", instance="q-0", pod="q-0"}': "20x30",
                            },
                            at="25m",
                            fires=True,
                        ),
                        Example(
                            name="half the slots free",
                            series={
                                'thanos_query_concurrent_gate_queries_max{job="thanos-query", namespace="monitoring", instance="q-0", pod="q-0"}': "20x30",
                                'thanos_query_concurrent_gate_queries_in_flight{job="thanos-query", namespace="monitoring", instance="q-0", pod="q-0"}': "10x30",
                            },
                            at="25m",
                            fires=False,
                        ),
                    ),
                ),
            ),
        ),
    ),
    runbook_base_url=RUNBOOK_BASE,
)
