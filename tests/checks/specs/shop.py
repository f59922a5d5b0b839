"""A small service for the check tests: one tiered signal, one single alert, a histogram."""

from generator import (
    Alert,
    Example,
    Metric,
    Notify,
    PagerDuty,
    Runbook,
    Service,
    Signal,
    Slack,
    Step,
    Team,
    Tier,
    Tiers,
)

TARGET = 'job="shop",namespace="shop",instance="a:80"'

errors = Signal(
    name="error_ratio",
    expr=(
        'sum by (job, namespace) (rate(shop_requests_total{job="shop",code=~"5.."}[5m]))\n'
        '/\nsum by (job, namespace) (rate(shop_requests_total{job="shop"}[5m]))'
    ),
    record="job_namespace:shop_requests_errors:ratio_rate5m",
    unit="percentunit",
)
queue = Signal(
    name="queue_depth",
    expr='max by (job, namespace, queue) (shop_queue_depth{job="shop"})',
    record="job_namespace_queue:shop_queue_depth:max",
    unit="short",
)
RUNBOOK = Runbook(actions=(Step(title="Look at the logs"),))


def traffic(ok: int, bad: int) -> dict[str, str]:
    """Requests per minute: `ok` 200s and `bad` 503s."""
    return {
        f'shop_requests_total{{{TARGET},code="200"}}': f"0+{ok}x30",
        f'shop_requests_total{{{TARGET},code="503"}}': f"0+{bad}x30",
    }


service = Service(
    name="shop",
    title="Shop",
    version="1.0.0",
    team="shop",
    runbook_base_url="https://example.com/runbooks/",
    metrics=(
        Metric(name="shop_requests_total", type="counter", labels=("code",)),
        Metric(name="shop_request_duration_seconds", type="histogram"),
        Metric(name="shop_queue_depth", type="gauge", labels=("queue",)),
    ),
    alerts=(
        Tiers(
            signal=errors,
            warning=Tier(
                name="ShopErrors",
                threshold=0.05,
                for_="5m",
                summary="Errors above 5% in {{ $labels.namespace }}",
                runbook=RUNBOOK,
                examples=(
                    Example(name="7%", series=traffic(93, 7), at="10m", fires=True, value=0.07),
                    Example(name="1%", series=traffic(99, 1), at="10m", fires=False),
                ),
            ),
            critical=Tier(
                name="ShopErrorsCritical",
                threshold=0.1,
                for_="5m",
                summary="Errors above 10% in {{ $labels.namespace }}",
                runbook=RUNBOOK,
                examples=(
                    Example(name="20%", series=traffic(80, 20), at="10m", fires=True, value=0.2),
                    Example(name="7%", series=traffic(93, 7), at="10m", fires=False),
                ),
            ),
        ),
        Alert(
            name="ShopQueueLong",
            signal=queue,
            severity="warning",
            threshold=100,
            summary="Queue {{ $labels.queue }} is long",
            runbook=RUNBOOK,
            examples=(
                Example(
                    name="150 waiting",
                    series={f'shop_queue_depth{{{TARGET},queue="orders"}}': "150x15"},
                    at="10m",
                    fires=True,
                    value=150,
                ),
                Example(
                    name="3 waiting",
                    series={f'shop_queue_depth{{{TARGET},queue="orders"}}': "3x15"},
                    at="10m",
                    fires=False,
                ),
            ),
        ),
    ),
)

team = Team(
    name="shop",
    receivers=(
        PagerDuty(name="shop-pager", routing_key_file="/etc/alertmanager/secrets/shop-pager"),
        Slack(name="shop-chat", channel="#shop", api_url_file="/etc/alertmanager/secrets/shop-chat"),
    ),
    notify=(
        Notify(severity="critical", receivers=("shop-pager", "shop-chat")),
        Notify(severity="warning", receivers=("shop-chat",)),
    ),
)
