"""Golden fixture: a second service exercising what Brownie does not (`<` tiers, info, labels)."""

from generator import (
    Alert,
    Example,
    Metric,
    Mimir,
    Operator,
    Runbook,
    Service,
    Signal,
    Step,
    Targets,
    Thanos,
    Tier,
    Tiers,
)

TARGET = 'job="checkout",namespace="shop",instance="10.1.0.5:9000"'

free_stock = Signal(
    name="stock_ratio",
    title="Stock left",
    expr='min by (job, namespace, warehouse) (checkout_stock_items{job="checkout"} / checkout_stock_capacity{job="checkout"})',
    unit="percentunit",
    description="The emptiest warehouse's fill ratio.",
)
queue = Signal(
    name="queue_depth",
    expr='max by (job, namespace) (checkout_queue_depth{job="checkout"})',
    unit="short",
)
LOOK = Runbook(
    actions=(Step(title="Check the warehouse feed", text="Stock | capacity come from the `inventory` job."),),
    causes=("Supplier delay",),
)

stock = Tiers(
    signal=free_stock,
    op="<",
    warning=Tier(
        name="CheckoutStockLow",
        threshold=0.2,
        for_="10m",
        keep_firing_for="5m",
        summary="Warehouse {{ $labels.warehouse }} below 20% stock",
        runbook=LOOK,
        labels={"component": "inventory"},
        examples=(
            Example(
                name="15% left",
                series={
                    f'checkout_stock_items{{{TARGET},warehouse="berlin"}}': "15x20",
                    f'checkout_stock_capacity{{{TARGET},warehouse="berlin"}}': "100x20",
                },
                at="15m",
                fires=True,
                value=0.15,
            ),
            Example(
                name="50% left",
                series={
                    f'checkout_stock_items{{{TARGET},warehouse="berlin"}}': "50x20",
                    f'checkout_stock_capacity{{{TARGET},warehouse="berlin"}}': "100x20",
                },
                at="15m",
                fires=False,
            ),
        ),
    ),
    critical=Tier(
        name="CheckoutStockEmpty",
        threshold=0.05,
        for_="5m",
        summary="Warehouse {{ $labels.warehouse }} nearly empty",
        description="Only {{ $value | humanizePercentage }} of capacity left in {{ $labels.warehouse | title }}.",
        runbook=LOOK,
        examples=(
            Example(
                name="2% left",
                series={
                    f'checkout_stock_items{{{TARGET},warehouse="berlin"}}': "2x20",
                    f'checkout_stock_capacity{{{TARGET},warehouse="berlin"}}': "100x20",
                },
                at="10m",
                fires=True,
                value=0.02,
            ),
            Example(
                name="15% left",
                series={
                    f'checkout_stock_items{{{TARGET},warehouse="berlin"}}': "15x20",
                    f'checkout_stock_capacity{{{TARGET},warehouse="berlin"}}': "100x20",
                },
                at="10m",
                fires=False,
            ),
        ),
    ),
)

queue_backlog = Alert(
    name="CheckoutQueueBacklog",
    signal=queue,
    threshold=1000,
    severity="info",
    summary="Checkout queue above 1000 orders",
    runbook=LOOK,
    examples=(
        Example(
            name="1500 queued",
            series={f"checkout_queue_depth{{{TARGET}}}": "1500x5"},
            at="2m",
            fires=True,
            value=1500,
        ),
        Example(name="10 queued", series={f"checkout_queue_depth{{{TARGET}}}": "10x5"}, at="2m", fires=False),
    ),
)

service = Service(
    name="checkout",
    title="Checkout",
    version="2.3.1",
    team="shop",
    labels={"tier": "frontend"},
    metrics=(
        Metric(name="checkout_stock_items", type="gauge", labels=("warehouse",)),
        Metric(name="checkout_stock_capacity", type="gauge", labels=("warehouse",)),
        Metric(name="checkout_queue_depth", type="gauge"),
    ),
    alerts=(stock, queue_backlog),
    scrape_interval="30s",
    evaluation_interval="30s",
    runbook_base_url="https://git.example.com/shop/runbooks/",
    grafana_url="https://grafana.example.com",
)

# The targets, with settings other than the defaults. Not vmalert: this service keeps firing
# (keep_firing_for), which the vmalert `make test` runs (Debian's 1.79) does not read.
targets = Targets(
    operator=Operator(namespace="shop", labels={"release": "kube-prometheus-stack"}),
    thanos=Thanos(),
    mimir=Mimir(namespace="shop-checkout"),
)
