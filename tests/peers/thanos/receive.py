"""Thanos Receive's recording rules and alerts (thanos-io/thanos examples/alerts/rules.yaml group
thanos-receive.rules; alerts.yaml group thanos-receive; its IsDown alert is in
component_absent.py), as the Thanos team would write them in alertgen."""

from _thanos import (
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

INSTANCE = 'job="thanos-receive", namespace="monitoring", instance="receive-0", pod="receive-0"'

# Recording rules (thanos-receive.rules): failure ratios and the p99 write latency per job.
grpc_server_unary_failures = Signal(
    name="grpc_server_unary_failures",
    record=":thanos_query_receive_grpc_server_failures_per_unary:sum_rate",
    expr="""(
  sum by (job) (rate(grpc_server_handled_total{grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded", job=~".*thanos-receive.*", grpc_type="unary"}[5m]))
/
  sum by (job) (rate(grpc_server_started_total{job=~".*thanos-receive.*", grpc_type="unary"}[5m]))
)
""",
    unit="percentunit",
)
grpc_server_stream_failures = Signal(
    name="grpc_server_stream_failures",
    record=":thanos_query_receive_grpc_server_failures_per_stream:sum_rate",
    expr="""(
  sum by (job) (rate(grpc_server_handled_total{grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded", job=~".*thanos-receive.*", grpc_type="server_stream"}[5m]))
/
  sum by (job) (rate(grpc_server_started_total{job=~".*thanos-receive.*", grpc_type="server_stream"}[5m]))
)
""",
    unit="percentunit",
)
# The mixin's name says failures, but it counts the non-5xx share; kept as the mixin has it.
http_failures = Signal(
    name="http_failures",
    record=":http_failure_per_request:sum_rate",
    expr="""(
  sum by (job) (rate(http_requests_total{handler="receive", job=~".*thanos-receive.*", code!~"5.."}[5m]))
/
  sum by (job) (rate(http_requests_total{handler="receive", job=~".*thanos-receive.*"}[5m]))
)
""",
    unit="percentunit",
)
http_latency_p99 = Signal(
    name="http_latency_p99",
    record=":http_request_duration_seconds:histogram_quantile",
    expr="""histogram_quantile(0.99,
  sum by (job, le) (rate(http_request_duration_seconds_bucket{handler="receive", job=~".*thanos-receive.*"}[5m]))
)
""",
    unit="s",
    labels={"quantile": "0.99"},
)
replication_failures = Signal(
    name="replication_failures",
    record=":thanos_receive_replication_failure_per_requests:sum_rate",
    expr="""(
  sum by (job) (rate(thanos_receive_replications_total{result="error", job=~".*thanos-receive.*"}[5m]))
/
  sum by (job) (rate(thanos_receive_replications_total{job=~".*thanos-receive.*"}[5m]))
)
""",
    unit="percentunit",
)
forward_failures = Signal(
    name="forward_failures",
    record=":thanos_receive_forward_failure_per_requests:sum_rate",
    expr="""(
  sum by (job) (rate(thanos_receive_forward_requests_total{result="error", job=~".*thanos-receive.*"}[5m]))
/
  sum by (job) (rate(thanos_receive_forward_requests_total{job=~".*thanos-receive.*"}[5m]))
)
""",
    unit="percentunit",
)
hashring_file_failures = Signal(
    name="hashring_file_failures",
    record=":thanos_receive_hashring_file_failure_per_refresh:sum_rate",
    expr="""(
  sum by (job) (rate(thanos_receive_hashrings_file_errors_total{job=~".*thanos-receive.*"}[5m]))
/
  sum by (job) (rate(thanos_receive_hashrings_file_refreshes_total{job=~".*thanos-receive.*"}[5m]))
)
""",
    unit="percentunit",
)

service = Service(
    name="thanos-receive",
    title="Thanos Receive",
    version="1.0.0",
    team=TEAM,
    target_labels=TARGET_LABELS,
    metrics=(
        UP,
        HTTP_REQUESTS,
        HTTP_DURATION,
        *GRPC_SERVER,
        Metric(name="thanos_receive_replication_factor", type="gauge"),
        Metric(name="thanos_receive_replications_total", type="counter", labels=("result",)),
        Metric(name="thanos_receive_hashring_nodes", type="gauge", labels=("name",)),
        Metric(name="thanos_receive_forward_requests_total", type="counter", labels=("result",)),
        Metric(name="thanos_receive_hashrings_file_errors_total", type="counter", labels=("path",)),
        Metric(name="thanos_receive_hashrings_file_refreshes_total", type="counter", labels=("path",)),
        Metric(name="thanos_receive_config_last_reload_successful", type="gauge"),
        Metric(name="thanos_shipper_uploads_total", type="counter"),
        Metric(name="thanos_receive_limits_config_reload_err_total", type="counter"),
        Metric(name="thanos_receive_metamonitoring_failed_queries_total", type="counter"),
        Metric(name="thanos_receive_head_series_limited_requests_total", type="counter", labels=("tenant",)),
    ),
    groups=(
        Group(
            name="thanos-receive.rules",
            rules=(
                grpc_server_unary_failures,
                grpc_server_stream_failures,
                http_failures,
                http_latency_p99,
                replication_failures,
                forward_failures,
                hashring_file_failures,
            ),
        ),
        Group(
            name="thanos-receive",
            rules=(
                Alert(
                    name="ThanosReceiveHttpRequestErrorRateHigh",
                    severity="critical",
                    expr="""(
  sum by (job) (rate(http_requests_total{code=~"5..", job=~".*thanos-receive.*", handler="receive"}[5m]))
/
  sum by (job) (rate(http_requests_total{job=~".*thanos-receive.*", handler="receive"}[5m]))
) * 100 > 5
""",
                    for_="5m",
                    summary="Thanos Receive is failing to handle requests.",
                    description="Thanos Receive {{$labels.job}} is failing to handle {{$value | humanize}}% of requests.",
                    runbook_url=runbook("ThanosReceiveHttpRequestErrorRateHigh"),
                ),
                Alert(
                    name="ThanosReceiveHttpRequestLatencyHigh",
                    severity="critical",
                    expr="""(
  histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{job=~".*thanos-receive.*", handler="receive"}[5m]))) > 10
and
  sum by (job) (rate(http_request_duration_seconds_count{job=~".*thanos-receive.*", handler="receive"}[5m])) > 0
)
""",
                    for_="10m",
                    summary="Thanos Receive has high HTTP requests latency.",
                    description=(
                        "Thanos Receive {{$labels.job}} has a 99th percentile latency of {{ $value }} seconds for requests."
                    ),
                    runbook_url=runbook("ThanosReceiveHttpRequestLatencyHigh"),
                ),
                Alert(
                    name="ThanosReceiveHighReplicationFailures",
                    severity="warning",
                    expr="""thanos_receive_replication_factor > 1
  and
(
  (
    sum by (job) (rate(thanos_receive_replications_total{result="error", job=~".*thanos-receive.*"}[5m]))
  /
    sum by (job) (rate(thanos_receive_replications_total{job=~".*thanos-receive.*"}[5m]))
  )
  >
  (
    max by (job) (floor((thanos_receive_replication_factor{job=~".*thanos-receive.*"}+1) / 2))
  /
    max by (job) (thanos_receive_hashring_nodes{job=~".*thanos-receive.*"})
  )
) * 100
""",
                    for_="5m",
                    summary="Thanos Receive is having high number of replication failures.",
                    description="Thanos Receive {{$labels.job}} is failing to replicate {{$value | humanize}}% of requests.",
                    runbook_url=runbook("ThanosReceiveHighReplicationFailures"),
                ),
                Alert(
                    name="ThanosReceiveHighForwardRequestFailures",
                    severity="info",
                    expr="""(
  sum by (job) (rate(thanos_receive_forward_requests_total{result="error", job=~".*thanos-receive.*"}[5m]))
/
  sum by (job) (rate(thanos_receive_forward_requests_total{job=~".*thanos-receive.*"}[5m]))
) * 100 > 20
""",
                    for_="5m",
                    summary="Thanos Receive is failing to forward requests.",
                    description="Thanos Receive {{$labels.job}} is failing to forward {{$value | humanize}}% of requests.",
                    runbook_url=runbook("ThanosReceiveHighForwardRequestFailures"),
                ),
                Alert(
                    name="ThanosReceiveHighHashringFileRefreshFailures",
                    severity="warning",
                    expr="""(
  sum by (job) (rate(thanos_receive_hashrings_file_errors_total{job=~".*thanos-receive.*"}[5m]))
/
  sum by (job) (rate(thanos_receive_hashrings_file_refreshes_total{job=~".*thanos-receive.*"}[5m]))
> 0
)
""",
                    for_="15m",
                    summary="Thanos Receive is failing to refresh hasring file.",
                    description=(
                        "Thanos Receive {{$labels.job}} is failing to refresh hashring file, "
                        "{{$value | humanize}} of attempts failed."
                    ),
                    runbook_url=runbook("ThanosReceiveHighHashringFileRefreshFailures"),
                ),
                Alert(
                    name="ThanosReceiveConfigReloadFailure",
                    severity="warning",
                    expr='avg by (job) (thanos_receive_config_last_reload_successful{job=~".*thanos-receive.*"}) != 1',
                    for_="5m",
                    summary="Thanos Receive has not been able to reload configuration.",
                    description="Thanos Receive {{$labels.job}} has not been able to reload hashring configurations.",
                    runbook_url=runbook("ThanosReceiveConfigReloadFailure"),
                    examples=(
                        Example(
                            name="last reload failed",
                            series={
                                f"thanos_receive_config_last_reload_successful{{{INSTANCE}}}": "1x3 0x10"
                            },
                            at="12m",
                            fires=True,
                        ),
                        Example(
                            name="last reload succeeded",
                            series={
                                f"thanos_receive_config_last_reload_successful{{{INSTANCE}}}": "0x3 1x10"
                            },
                            at="12m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="ThanosReceiveNoUpload",
                    severity="critical",
                    expr="""(up{job=~".*thanos-receive.*"} - 1)
+ on (job, instance) # filters to only alert on current instance last 3h
(sum by (job, instance) (increase(thanos_shipper_uploads_total{job=~".*thanos-receive.*"}[3h])) == 0)
""",
                    for_="3h",
                    summary="Thanos Receive has not uploaded latest data to object storage.",
                    description="Thanos Receive {{$labels.instance}} has not uploaded latest data to object storage.",
                    runbook_url=runbook("ThanosReceiveNoUpload"),
                ),
                Alert(
                    name="ThanosReceiveLimitsConfigReloadFailure",
                    severity="warning",
                    expr=(
                        "sum by(job) (increase(thanos_receive_limits_config_reload_err_total"
                        '{job=~".*thanos-receive.*"}[5m])) > 0'
                    ),
                    for_="5m",
                    summary="Thanos Receive has not been able to reload the limits configuration.",
                    description="Thanos Receive {{$labels.job}} has not been able to reload the limits configuration.",
                    runbook_url=runbook("ThanosReceiveLimitsConfigReloadFailure"),
                ),
                Alert(
                    name="ThanosReceiveLimitsHighMetaMonitoringQueriesFailureRate",
                    severity="warning",
                    expr=(
                        "(sum by(job) (increase(thanos_receive_metamonitoring_failed_queries_total"
                        '{job=~".*thanos-receive.*"}[5m])) / 20) * 100 > 20'
                    ),
                    for_="5m",
                    summary="Thanos Receive has not been able to update the number of head series.",
                    description=(
                        "Thanos Receive {{$labels.job}} is failing for {{$value | humanize}}% of meta monitoring queries."
                    ),
                    runbook_url=runbook("ThanosReceiveLimitsHighMetaMonitoringQueriesFailureRate"),
                ),
                Alert(
                    name="ThanosReceiveTenantLimitedByHeadSeries",
                    severity="warning",
                    expr=(
                        "sum by(job, tenant) (increase(thanos_receive_head_series_limited_requests_total"
                        '{job=~".*thanos-receive.*"}[5m])) > 0'
                    ),
                    for_="5m",
                    summary="A Thanos Receive tenant is limited by head series.",
                    description="Thanos Receive tenant {{$labels.tenant}} is limited by head series.",
                    runbook_url=runbook("ThanosReceiveTenantLimitedByHeadSeries"),
                ),
            ),
        ),
    ),
    runbook_base_url=RUNBOOK_BASE,
)
