"""Thanos Store's recording rules and alerts (thanos-io/thanos examples/alerts/rules.yaml group
thanos-store.rules; alerts.yaml group thanos-store; its IsDown alert is in component_absent.py),
as the Thanos team would write them in alertgen."""

from _thanos import (
    BUCKET_LABELS,
    BUCKET_OPERATIONS,
    GRPC_SERVER,
    RUNBOOK_BASE,
    TARGET_LABELS,
    TEAM,
    UP,
    conventions,  # noqa: F401 (the repository's conventions, picked up by alertgen)
    runbook,
)

from generator import Alert, Group, Metric, Service, Signal

# Recording rules (thanos-store.rules): failure ratios and the p99 bucket latency per job.
grpc_server_unary_failures = Signal(
    name="grpc_server_unary_failures",
    record=":thanos_query_store_grpc_server_failures_per_unary:sum_rate",
    expr="""(
  sum by (job) (rate(grpc_server_handled_total{grpc_code=~"Unknown|Internal|Unavailable|DataLoss|DeadlineExceeded", job=~".*thanos-store.*", grpc_type="unary"}[5m]))
/
  sum by (job) (rate(grpc_server_started_total{job=~".*thanos-store.*", grpc_type="unary"}[5m]))
)
""",
    unit="percentunit",
)
grpc_server_stream_failures = Signal(
    name="grpc_server_stream_failures",
    record=":thanos_query_store_grpc_server_failures_per_stream:sum_rate",
    expr="""(
  sum by (job) (rate(grpc_server_handled_total{grpc_code=~"Unknown|Internal|Unavailable|DataLoss|DeadlineExceeded", job=~".*thanos-store.*", grpc_type="server_stream"}[5m]))
/
  sum by (job) (rate(grpc_server_started_total{job=~".*thanos-store.*", grpc_type="server_stream"}[5m]))
)
""",
    unit="percentunit",
)
bucket_failures = Signal(
    name="bucket_failures",
    record=":thanos_objstore_bucket_failures_per_operation:sum_rate",
    expr="""(
  sum by (job) (rate(thanos_objstore_bucket_operation_failures_total{job=~".*thanos-store.*"}[5m]))
/
  sum by (job) (rate(thanos_objstore_bucket_operations_total{job=~".*thanos-store.*"}[5m]))
)
""",
    unit="percentunit",
)
bucket_latency_p99 = Signal(
    name="bucket_latency_p99",
    record=":thanos_objstore_bucket_operation_duration_seconds:histogram_quantile",
    expr="""histogram_quantile(0.99,
  sum by (job, le) (rate(thanos_objstore_bucket_operation_duration_seconds_bucket{job=~".*thanos-store.*"}[5m]))
)
""",
    unit="s",
    labels={"quantile": "0.99"},
)

service = Service(
    name="thanos-store",
    title="Thanos Store",
    version="1.0.0",
    team=TEAM,
    target_labels=TARGET_LABELS,
    metrics=(
        UP,
        *GRPC_SERVER,
        *BUCKET_OPERATIONS,
        Metric(
            name="thanos_objstore_bucket_operation_duration_seconds", type="histogram", labels=BUCKET_LABELS
        ),
        Metric(name="thanos_bucket_store_series_gate_duration_seconds", type="histogram"),
    ),
    groups=(
        Group(
            name="thanos-store.rules",
            rules=(
                grpc_server_unary_failures,
                grpc_server_stream_failures,
                bucket_failures,
                bucket_latency_p99,
            ),
        ),
        Group(
            name="thanos-store",
            rules=(
                Alert(
                    name="ThanosStoreGrpcErrorRate",
                    severity="warning",
                    expr="""(
  sum by (job) (rate(grpc_server_handled_total{grpc_code=~"Unknown|Internal|Unavailable|DataLoss|DeadlineExceeded", job=~".*thanos-store.*"}[5m]))
/
  sum by (job) (rate(grpc_server_started_total{job=~".*thanos-store.*"}[5m]))
* 100 > 5
)
""",
                    for_="5m",
                    summary="Thanos Store is failing to handle gRPC requests.",
                    description="Thanos Store {{$labels.job}} is failing to handle {{$value | humanize}}% of requests.",
                    runbook_url=runbook("ThanosStoreGrpcErrorRate"),
                ),
                Alert(
                    name="ThanosStoreSeriesGateLatencyHigh",
                    severity="warning",
                    expr="""(
  histogram_quantile(0.99, sum by (job, le) (rate(thanos_bucket_store_series_gate_duration_seconds_bucket{job=~".*thanos-store.*"}[5m]))) > 2
and
  sum by (job) (rate(thanos_bucket_store_series_gate_duration_seconds_count{job=~".*thanos-store.*"}[5m])) > 0
)
""",
                    for_="10m",
                    summary="Thanos Store has high latency for store series gate requests.",
                    description=(
                        "Thanos Store {{$labels.job}} has a 99th percentile latency of {{$value}} seconds "
                        "for store series gate requests."
                    ),
                    runbook_url=runbook("ThanosStoreSeriesGateLatencyHigh"),
                ),
                Alert(
                    name="ThanosStoreBucketHighOperationFailures",
                    severity="warning",
                    expr="""(
  sum by (job) (rate(thanos_objstore_bucket_operation_failures_total{job=~".*thanos-store.*"}[5m]))
/
  sum by (job) (rate(thanos_objstore_bucket_operations_total{job=~".*thanos-store.*"}[5m]))
* 100 > 5
)
""",
                    for_="15m",
                    summary="Thanos Store Bucket is failing to execute operations.",
                    description=(
                        "Thanos Store {{$labels.job}} Bucket is failing to execute {{$value | humanize}}% of operations."
                    ),
                    runbook_url=runbook("ThanosStoreBucketHighOperationFailures"),
                ),
                Alert(
                    name="ThanosStoreObjstoreOperationLatencyHigh",
                    severity="warning",
                    expr="""(
  histogram_quantile(0.99, sum by (job, le) (rate(thanos_objstore_bucket_operation_duration_seconds_bucket{job=~".*thanos-store.*"}[5m]))) > 2
and
  sum by (job) (rate(thanos_objstore_bucket_operation_duration_seconds_count{job=~".*thanos-store.*"}[5m])) > 0
)
""",
                    for_="10m",
                    summary="Thanos Store is having high latency for bucket operations.",
                    description=(
                        "Thanos Store {{$labels.job}} Bucket has a 99th percentile latency of {{$value}} seconds "
                        "for the bucket operations."
                    ),
                    runbook_url=runbook("ThanosStoreObjstoreOperationLatencyHigh"),
                ),
            ),
        ),
    ),
    runbook_base_url=RUNBOOK_BASE,
)
