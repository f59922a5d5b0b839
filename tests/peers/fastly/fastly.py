"""GOV.UK's Fastly CDN alerts (govuk-helm-charts charts/monitoring-config/rules/fastly.yaml), in alertgen.

Daily bandwidth and request totals across all Fastly services, and the share of origin fetches
answered with a 5xx per Fastly service (data.gov.uk's services have their own, looser alert).
Their Alertmanager routes on `severity` and `destination`, so alertgen adds only `severity`.
"""

from generator import Alert, Conventions, Example, Group, Metric, Service, Signal

conventions = Conventions(
    severities=("page", "critical", "warning"),
    service_label=None,
    team_label=None,
    category_label=None,
    runbook_annotation=None,
    dashboard_annotation=None,
)

PLATFORM_SLACK = {"destination": "slack-platform-engineering"}
GRAFANA_PATH = "d/deqpydcv7ottse/fastly-global-traffic?orgId=1&from=now-1h&to=now&timezone=browser"
GLOBAL_TRAFFIC_DASHBOARD = {"grafana_path": GRAFANA_PATH}
# Only the 5xx alerts link a runbook (runbook_url=), kept in Google Docs.
FIVE_XX_RUNBOOK = "https://docs.google.com/document/d/1x7R2Sgpdeqd4kCiwPZp5RaeHJkOWOqgzckcMvn6tIbE/"
FIVE_XX_SUMMARY = (
    "Fastly CDN service {{ $labels.service_name }} is receiving elevated numbers of 5xx responses"
)
FIVE_XX_DESCRIPTION = (
    "The Fastly CDN service is receiving a higher proportion of 5xx responses from the origin than usual.\n"
    "Fastly CDN service: {{ $labels.service_name }} 5xx rate: {{ $value | humanizePercentage }}"
)


def origin_5xx_ratio(service_match: str) -> str:
    """Per Fastly service, the share of origin fetches answered with a 5xx over 2 minutes."""
    return f"""(
  sum by(service_name)(rate(fastly_origin_status_group_total{{status_group="5xx", service_name {service_match}}}[2m]))
/ sum by(service_name)(rate(fastly_rt_origin_fetches_total{{service_name {service_match}}}[2m]))
)"""


def bytes_series(per_hour: int) -> dict[str, str]:
    """Each of the four byte counters of one service growing by `per_hour` for 80 hours."""
    return {
        f'{counter}{{service_name="www"}}': f"0+{per_hour}x80"
        for counter in (
            "fastly_rt_body_size_total",
            "fastly_rt_resp_header_bytes_total",
            "fastly_rt_bereq_body_bytes_total",
            "fastly_rt_bereq_header_bytes_total",
        )
    }


def five_xx_series(service_name: str, per_minute: int) -> dict[str, str]:
    """10,000 origin fetches a minute for 40 minutes, `per_minute` of them answered with a 5xx."""
    return {
        f'fastly_rt_origin_fetches_total{{service_name="{service_name}"}}': "0+10000x40",
        f'fastly_origin_status_group_total{{status_group="5xx", service_name="{service_name}"}}': (
            f"0+{per_minute}x40"
        ),
    }


NOT_DATA_GOV_UK = '!~ ".*data.gov.uk"'
DATA_GOV_UK = '=~ ".*data.gov.uk"'

bandwidth = Signal(
    name="bandwidth",
    record="global:fastly_global_bandwidth_bytes:rate1d",
    expr="""sum(
  increase(fastly_rt_body_size_total[1d])
  + increase(fastly_rt_resp_header_bytes_total[1d])
  + increase(fastly_rt_bereq_body_bytes_total[1d])
  + increase(fastly_rt_bereq_header_bytes_total[1d])
)""",
    unit="bytes",
)
requests = Signal(
    name="requests",
    record="global:fastly_global_requests:rate1d",
    expr="sum(increase(fastly_rt_requests_total[1d]))",
    unit="short",
)

# The Fastly exporter's per-service counters.
_SERVICE = ("service_id", "service_name", "datacenter")

service = Service(
    name="fastly",
    title="Fastly CDN",
    version="1.0.0",
    team="platform-engineering",
    target_labels=("job", "namespace", "instance"),
    metrics=(
        Metric(name="fastly_rt_body_size_total", type="counter", labels=_SERVICE),
        Metric(name="fastly_rt_resp_header_bytes_total", type="counter", labels=_SERVICE),
        Metric(name="fastly_rt_bereq_body_bytes_total", type="counter", labels=_SERVICE),
        Metric(name="fastly_rt_bereq_header_bytes_total", type="counter", labels=_SERVICE),
        Metric(name="fastly_rt_requests_total", type="counter", labels=_SERVICE),
        Metric(name="fastly_rt_origin_fetches_total", type="counter", labels=_SERVICE),
        Metric(
            name="fastly_origin_status_group_total",
            type="counter",
            labels=(*_SERVICE, "origin", "status_group"),
        ),
    ),
    groups=(
        Group(
            name="FastlyAlerts",
            rules=(
                bandwidth,
                requests,
                Alert(
                    name="HighBandwidthUsage",
                    expr="global:fastly_global_bandwidth_bytes:rate1d > 7.5 * (10 ^ 12)",
                    for_="2d",
                    severity="warning",
                    summary="Fastly global bandwidth exceeds typical daily usage",
                    description=(
                        "The global daily bandwidth usage rate for Fastly services has exceeded the expected "
                        "threshold of 7.5 TB. This may indicate abnormal traffic patterns."
                    ),
                    labels=PLATFORM_SLACK,
                    annotations=GLOBAL_TRAFFIC_DASHBOARD,
                    examples=(
                        Example(
                            name="9.6 TB a day for two days",
                            series=bytes_series(per_hour=100_000_000_000),
                            at="76h",
                            interval="1h",
                            fires=True,
                        ),
                        Example(
                            name="4.8 TB a day",
                            series=bytes_series(per_hour=50_000_000_000),
                            at="76h",
                            interval="1h",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="HighRequestRate",
                    expr="global:fastly_global_requests:rate1d > 2.2 * (10 ^ 8)",
                    for_="2d",
                    severity="warning",
                    summary="Fastly global request rate exceeds typical daily usage",
                    description=(
                        "The global daily request rate for Fastly has exceeded the expected threshold of "
                        "220 million requests. This may indicate abnormal traffic patterns or unexpected "
                        "spikes in usage."
                    ),
                    labels=PLATFORM_SLACK,
                    annotations=GLOBAL_TRAFFIC_DASHBOARD,
                    examples=(
                        Example(
                            name="240 million requests a day for two days",
                            series={'fastly_rt_requests_total{service_name="www"}': "0+10000000x80"},
                            at="76h",
                            interval="1h",
                            fires=True,
                        ),
                        Example(
                            name="120 million requests a day",
                            series={'fastly_rt_requests_total{service_name="www"}': "0+5000000x80"},
                            at="76h",
                            interval="1h",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="High5xxRate",
                    expr=f"{origin_5xx_ratio(NOT_DATA_GOV_UK)} >= 0.0125",
                    for_="6m",
                    severity="warning",
                    summary=FIVE_XX_SUMMARY,
                    description=FIVE_XX_DESCRIPTION,
                    labels=PLATFORM_SLACK,
                    annotations=GLOBAL_TRAFFIC_DASHBOARD,
                    runbook_url=FIVE_XX_RUNBOOK,
                    examples=(
                        Example(
                            name="1.5% of origin fetches fail",
                            series=five_xx_series("www", per_minute=150),
                            at="20m",
                            fires=True,
                            value=0.015,
                        ),
                        Example(
                            name="data.gov.uk services have their own alert",
                            series=five_xx_series("environment data.gov.uk", per_minute=150),
                            at="20m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="High5xxRate_DataGovUk",
                    expr=f"{origin_5xx_ratio(DATA_GOV_UK)} >= 0.10",
                    for_="20m",
                    severity="warning",
                    summary=FIVE_XX_SUMMARY,
                    description=FIVE_XX_DESCRIPTION,
                    labels=PLATFORM_SLACK,
                    annotations=GLOBAL_TRAFFIC_DASHBOARD,
                    runbook_url=FIVE_XX_RUNBOOK,
                    examples=(
                        Example(
                            name="15% of a data.gov.uk service's origin fetches fail",
                            series=five_xx_series("environment data.gov.uk", per_minute=1500),
                            at="40m",
                            fires=True,
                            value=0.15,
                        ),
                        Example(
                            name="5% is within data.gov.uk's tolerance",
                            series=five_xx_series("environment data.gov.uk", per_minute=500),
                            at="40m",
                            fires=False,
                        ),
                    ),
                ),
            ),
        ),
    ),
    runbook_base_url="https://docs.publishing.service.gov.uk/manual/alerts/",
)
