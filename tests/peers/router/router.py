"""GOV.UK Router's alerts (govuk-helm-charts), as the platform team would write them in alertgen.

Their Alertmanager routes on `severity` and `destination`, so alertgen adds only `severity` and
neither the service/team/category labels nor the generated runbook and dashboard links.
"""

from generator import Alert, Conventions, Group, Metric, Routing, Service, Signal

conventions = Conventions(
    severities=("page", "critical", "warning"),
    service_label=None,
    team_label=None,
    category_label=None,
    runbook_annotation=None,
    dashboard_annotation=None,
)

requests = Signal(
    name="requests",
    record="global:router_requests:rate5m",
    expr="""sum by (job, backend_id, response_code) (
  rate(router_backend_handler_response_duration_seconds_count{namespace="apps"}[5m])
)""",
    unit="reqps",
)
errors_by_backend = Signal(
    name="errors_by_backend",
    record="global:router_5xx_responses_per_request_by_backend:ratio_rate5m",
    expr="""  sum without (response_code) (global:router_requests:rate5m{response_code=~"5.."})
/
  sum without (response_code) (global:router_requests:rate5m)""",
    unit="percentunit",
)
error_ratio = Signal(
    name="error_ratio",
    record="global:router_5xx_responses_per_request:ratio_rate5m",
    expr="""  sum without (backend_id, response_code) (
    global:router_requests:rate5m{response_code=~"5.."}
  )
/
  sum without (backend_id, response_code) (global:router_requests:rate5m)""",
    unit="percentunit",
)

service = Service(
    name="router",
    title="Router",
    version="1.0.0",
    team="platform-engineering",
    target_labels=("job", "namespace", "instance"),
    metrics=(
        Metric(
            name="router_backend_handler_response_duration_seconds",
            type="histogram",
            labels=("backend_id", "response_code"),
        ),
    ),
    groups=(
        Group(
            name="RouterAlerts",
            rules=(
                requests,
                errors_by_backend,
                error_ratio,
                Alert(
                    name="RouterErrorRatioTooHigh",
                    signal=error_ratio,
                    expr="""  global:router_5xx_responses_per_request:ratio_rate5m{job="router"} > 0.1
and
  sum without (backend_id, response_code) (
    global:router_requests:rate5m{job="router"}
  ) > 1""",
                    for_="10m",
                    severity="page",
                    summary="Router error ratio too high",
                    description=(
                        "More than 10% of HTTP responses from Router were 500-series errors for 10 minutes."
                    ),
                ),
            ),
        ),
    ),
    runbook_base_url="https://docs.publishing.service.gov.uk/manual/alerts/",
)

routing = Routing(
    routes=(),
)
