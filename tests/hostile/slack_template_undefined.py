# expect: exit 2
# stderr-re: ^specs/case\.py:45: Slack 'shop-chat': text: .*nonexistent.*$
"""A Slack text calling a template nobody defines: accepted by amtool, fails at send time. Alertmanager's
own templates (slack.default.title, ...) are defined; alertgen writes no template files."""

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
        Slack(  # <- error line
            name="shop-chat",
            channel="#shop",
            api_url_file="/etc/alertmanager/secrets/shop-slack",
            text='{{ template "nonexistent" . }}',
        ),
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
