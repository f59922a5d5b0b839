# expect: exit 0
# timeout: 5
"""A spec that starts a thread that never ends: alertgen must still finish, with its output."""

import threading
import time

from generator import Alert, Example, Metric, Notify, Runbook, Service, Signal, Slack, Step, Team

TARGET = 'job="shop",instance="10.0.0.1:80"'
errors = Signal(
    name="error_ratio",
    title="Error ratio",
    expr='sum by (job) (rate(shop_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(shop_requests_total[5m]))',
    unit="percentunit",
)
alert = Alert(
    name="ShopHighErrorRate",
    signal=errors,
    severity="critical",
    threshold=0.05,
    for_="5m",
    summary="Shop error rate above 5%",
    runbook=Runbook(actions=(Step(title="Look at the logs"),)),
    examples=(
        Example(
            name="10% fail",
            series={
                f'shop_requests_total{{{TARGET},code="500"}}': "0+1x30",
                f'shop_requests_total{{{TARGET},code="200"}}': "0+9x30",
            },
            at="15m",
            fires=True,
            value=0.1,
        ),
        Example(
            name="all fine",
            series={f'shop_requests_total{{{TARGET},code="200"}}': "0+10x30"},
            at="15m",
            fires=False,
        ),
    ),
)
team = Team(
    name="shop-team",
    receivers=(
        Slack(name="shop-chat", channel="#shop", api_url_file="/etc/alertmanager/secrets/shop-slack"),
    ),
    notify=(Notify(severity="critical", receivers=("shop-chat",)),),
)
service = Service(
    name="shop",
    title="Shop",
    version="1.0.0",
    team="shop-team",
    metrics=(Metric(name="shop_requests_total", type="counter", labels=("code",)),),
    alerts=(alert,),
    runbook_base_url="https://example.com/runbooks/",
)
threading.Thread(target=time.sleep, args=(3600,)).start()
