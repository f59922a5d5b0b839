"""What every Thanos component's spec shares: conventions, runbook links, the common metrics and
the "component disappeared" alert (used by component_absent.py). A helper module (leading `_`):
not loaded as a spec itself.

Source: thanos-io/thanos examples/alerts/{alerts,rules}.yaml (the mixin's rendered output).
"""

from generator import Alert, Conventions, Example, Metric

# The mixin's alerts carry only `severity` and a runbook_url to the mixin's runbook.md.
conventions = Conventions(
    severities=("critical", "warning", "info"),
    service_label=None,
    team_label=None,
    category_label=None,
    dashboard_annotation=None,
)

TEAM = "thanos"
# Where alertgen's generated per-service runbooks go; the alerts link the mixin's hand-written
# runbook.md instead (runbook_url=), kept outside this base.
RUNBOOK_BASE = "https://github.com/thanos-io/thanos/tree/main/mixin/runbooks/"
MIXIN_RUNBOOK = "https://github.com/thanos-io/thanos/tree/main/mixin/runbook.md"


def runbook(alert: str) -> str:
    """The mixin runbook's section for an alert: `#alert-name-<alert in lower case>`."""
    return f"{MIXIN_RUNBOOK}#alert-name-{alert.lower()}"


# Labels every scraped series carries (the examples run on Kubernetes: pod and namespace).
TARGET_LABELS = ("job", "namespace", "instance", "pod")

UP = Metric(name="up", type="gauge")
HTTP_REQUESTS = Metric(name="http_requests_total", type="counter", labels=("code", "handler", "method"))
HTTP_DURATION = Metric(
    name="http_request_duration_seconds", type="histogram", labels=("code", "handler", "method")
)
GRPC_LABELS = ("grpc_method", "grpc_service", "grpc_type")
GRPC_SERVER = (
    Metric(name="grpc_server_handled_total", type="counter", labels=("grpc_code", *GRPC_LABELS)),
    Metric(name="grpc_server_started_total", type="counter", labels=GRPC_LABELS),
)
GRPC_CLIENT = (
    Metric(name="grpc_client_handled_total", type="counter", labels=("grpc_code", *GRPC_LABELS)),
    Metric(name="grpc_client_started_total", type="counter", labels=GRPC_LABELS),
)
BUCKET_LABELS = ("bucket", "operation")
BUCKET_OPERATIONS = (
    Metric(name="thanos_objstore_bucket_operation_failures_total", type="counter", labels=BUCKET_LABELS),
    Metric(name="thanos_objstore_bucket_operations_total", type="counter", labels=BUCKET_LABELS),
)


def is_down(component: str, job: str) -> Alert:
    """`Thanos<Component>IsDown`: no target of the component's job (`.*<job>.*`) is up, or none
    is discovered."""
    name = f"Thanos{component}IsDown"
    target = f'up{{job="{job}", namespace="monitoring", instance="{job}-0", pod="{job}-0"}}'
    return Alert(
        name=name,
        severity="critical",
        expr=f'absent(up{{job=~".*{job}.*"}} == 1)\n',
        for_="5m",
        summary="Thanos component has disappeared.",
        description=(
            f"Thanos{component} has disappeared. Prometheus target for the component cannot be discovered."
        ),
        runbook_url=runbook(name),
        examples=(
            Example(
                name="its only target is down", series={target: "1x2 0x10"}, at="10m", fires=True, labels={}
            ),
            Example(name="its target is up", series={target: "1x10"}, at="10m", fires=False),
        ),
    )
