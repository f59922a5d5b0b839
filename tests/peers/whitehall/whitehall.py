"""GOV.UK Whitehall's alerts (govuk-helm-charts charts/monitoring-config/rules/whitehall.yaml), in alertgen.

Whitehall Publisher's 5xx ratio on the admin app, and its scheduled publishing queue. Their
Alertmanager routes on `severity` and `destination`, so alertgen adds only `severity`; every alert
links its page of the GOV.UK developer docs as `runbook_url`.
"""

from generator import Alert, Conventions, Example, Group, Metric, Service, Signal

conventions = Conventions(
    severities=("page", "critical", "warning"),
    service_label=None,
    team_label=None,
    category_label=None,
    dashboard_annotation=None,
)

ALERTS_MANUAL = "https://docs.publishing.service.gov.uk/manual/alerts/"
SCHEDULED_PUBLISHING_RUNBOOK = f"{ALERTS_MANUAL}whitehall-scheduled-publishing.html"
requests = Signal(
    name="requests",
    record="global:whitehall_requests:rate5m",
    expr="""sum by (status) (
  rate(http_requests_total{namespace="apps", job="whitehall-admin", controller!="other"}[5m])
)""",
    unit="reqps",
)
error_ratio = Signal(
    name="error_ratio",
    record="global:whitehall_5xx_responses:ratio_rate5m",
    expr="""sum (global:whitehall_requests:rate5m{status=~"5.."})
/
sum (global:whitehall_requests:rate5m)""",
    unit="percentunit",
)


def admin_requests(ok_per_minute: int, errors_per_minute: int) -> dict[str, str]:
    """Whitehall admin's editions controller answering 200s and 500s at steady rates for 15m."""
    series = (
        'http_requests_total{{namespace="apps", job="whitehall-admin", controller="editions", status="{}"}}'
    )
    return {
        series.format("200"): f"0+{ok_per_minute}x15",
        series.format("500"): f"0+{errors_per_minute}x15",
    }


service = Service(
    name="whitehall",
    title="Whitehall",
    version="1.0.0",
    team="whitehall",
    target_labels=("job", "namespace", "instance"),
    metrics=(
        Metric(name="http_requests_total", type="counter", labels=("controller", "action", "status")),
        Metric(name="whitehall_scheduled_publishing_overdue", type="gauge"),
        Metric(name="whitehall_unenqueued_scheduled_publications", type="gauge"),
    ),
    groups=(
        Group(
            name="WhitehallAlerts",
            rules=(
                requests,
                error_ratio,
                Alert(
                    name="WhitehallErrorRatioTooHigh",
                    signal=error_ratio,
                    # Whitehall usually receives more than 0.5 requests per second during working hours.
                    # We only alert if it's receiving more than 0.2 requests per second to avoid noise.
                    expr="""sum (global:whitehall_5xx_responses:ratio_rate5m) > 0.1
and
sum (global:whitehall_requests:rate5m) > 0.2""",
                    for_="10m",
                    severity="critical",
                    summary="Whitehall error ratio too high",
                    description=(
                        "More than 10% of HTTP responses from Whitehall were 500-series errors for 10 minutes."
                    ),
                    labels={"destination": "slack-whitehall-notifications"},
                    runbook_url=f"{ALERTS_MANUAL}whitehall-error-ratio-too-high.html",
                    examples=(
                        Example(
                            name="a quarter of 2 requests a second fail",
                            series=admin_requests(ok_per_minute=90, errors_per_minute=30),
                            at="15m",
                            fires=True,
                        ),
                        Example(
                            name="too few requests to tell",
                            series=admin_requests(ok_per_minute=3, errors_per_minute=2),
                            at="15m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="WhitehallScheduledPublicationsOverdue",
                    expr="whitehall_scheduled_publishing_overdue > 0",
                    for_="10m",
                    severity="page",
                    summary="Whitehall scheduled publications are overdue",
                    description=(
                        "There are scheduled editions which have passed their publication due date "
                        "but haven't been published by the scheduled publishing workers"
                    ),
                    runbook_url=SCHEDULED_PUBLISHING_RUNBOOK,
                    examples=(
                        Example(
                            name="an edition overdue for 15 minutes",
                            series={
                                'whitehall_scheduled_publishing_overdue{job="whitehall-admin"}': "0 1x15"
                            },
                            at="15m",
                            fires=True,
                        ),
                        Example(
                            name="nothing overdue",
                            series={'whitehall_scheduled_publishing_overdue{job="whitehall-admin"}': "0x15"},
                            at="15m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="WhitehallUnenqueuedScheduledPublications",
                    expr="whitehall_unenqueued_scheduled_publications > 0",
                    for_="10m",
                    severity="page",
                    summary="Scheduled publications in Whitehall not queued",
                    description=(
                        "The number of editions in the database which are scheduled to be published in the "
                        "future is different from the number currently in the queue"
                    ),
                    runbook_url=SCHEDULED_PUBLISHING_RUNBOOK,
                    examples=(
                        Example(
                            name="an edition scheduled but not queued for 15 minutes",
                            series={
                                'whitehall_unenqueued_scheduled_publications{job="whitehall-admin"}': "1x15"
                            },
                            at="15m",
                            fires=True,
                        ),
                        Example(
                            name="a mismatch that clears within 10 minutes",
                            series={
                                'whitehall_unenqueued_scheduled_publications{job="whitehall-admin"}': "0 1x5 0x9"
                            },
                            at="15m",
                            fires=False,
                        ),
                    ),
                ),
            ),
        ),
    ),
    # Where alertgen's own runbooks would be published. Every alert links its page of the GOV.UK
    # alerts manual instead, which must not be under this URL (alertgen would look for it among
    # the runbooks it generates).
    runbook_base_url=ALERTS_MANUAL,
)
