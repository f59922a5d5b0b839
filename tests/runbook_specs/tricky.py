"""Runbook fixture: spec text that would break Markdown or collide with generated headings.

Two services, so links between runbooks and the index are exercised too.
"""

from generator import (
    Alert,
    Category,
    Command,
    DocRef,
    Document,
    EscalationLevel,
    Link,
    Metric,
    Runbook,
    Section,
    Service,
    Signal,
    Step,
    Tier,
    Tiers,
)

queue = Signal(
    name="queue_depth",
    title="Queue | depth",
    expr='max by (job) (edge_queue_depth{job=~"edge|edge-canary"})',
    unit="short",
    description="Orders waiting | not yet *picked*.",
)
latency = Signal(
    name="latency_p99",
    title="p99 `latency`",
    expr="histogram_quantile(0.99, sum by (job, le) (rate(edge_request_seconds_bucket[5m])))",
    unit="s",
)

TRICKY_RUNBOOK = Runbook(
    actions=(
        Step(
            title="# Not a heading | really",
            text="# also not a heading\nbut one line | with a pipe",
            commands=(
                Command(code="echo '```' | wc -c\n\n\techo done   ", variant="Bash & co"),
                Command(code="SELECT 1 | 2;", lang="sql"),
            ),
            bullets=("1. not a nested list", "- nor this", "> nor a quote", "`a | b` in code"),
        ),
        Step(title="_Emphasis_ and <b>tags</b> [stay] literal"),
    ),
    causes=("Pipes | everywhere",),
    escalation=("Page #edge-oncall",),
)

backlog = Tiers(
    signal=queue,
    warning=Tier(
        name="EdgeBacklogHigh",
        # The same title as the critical tier and as a generated subheading: anchors need -1, -2.
        title="Immediate Actions",
        threshold=100,
        summary="Backlog | high",
        runbook=TRICKY_RUNBOOK,
        changed_in="0.9.0",
    ),
    critical=Tier(
        name="EdgeBacklogCritical",
        title="Immediate Actions",
        threshold=1000,
        for_="2m",
        summary="Backlog critical",
        runbook=Runbook(actions=(Step(title="Drain"),)),
    ),
)

slow = Alert(
    name="EdgeSlow",
    title="🐢 Slow `edge` (p99) — ünïcode!",
    signal=latency,
    threshold=0.25,
    for_="10m",
    severity="warning",
    category=Category.BUSINESS,
    summary="Edge is slow",
    runbook=Runbook(actions=(Step(title="Look", text="See [the docs](https://example.com/a_(b)) first."),)),
)

edge = Service(
    name="edge",
    title="Edge | Proxy",
    version="1.2.0-rc.1",
    team="edge",
    description="# A description that looks like a heading",
    metrics=(
        Metric(name="edge_queue_depth", type="gauge"),
        Metric(name="edge_request_seconds", type="histogram"),
    ),
    alerts=(backlog, slow),
    runbook_base_url="https://git.example.com/edge/runbooks/",
    links=(Link(title="Status | page", url="https://status.example.com/(a)<b>"),),
    documents=(Document(name="dr", title="DR [draft]", url="https://docs.example.com/dr.md"),),
    quick_reference=(DocRef(title="Everything down", doc="dr", anchor="total-loss"),),
    escalation=(EscalationLevel(level=1, window="0-5 minutes", who="Edge on-call"),),
    sections=(
        Section(
            title="Immediate Actions",
            numbered=False,
            steps=(Step(title="Escalation", commands=(Command(code="edgectl status"),)),),
        ),
        Section(title="After", follow_up=True, steps=(Step(title="Write it up"),)),
    ),
)

other = Service(
    name="edge-cache",
    title="Edge Cache",
    version="0.1.0",
    team="edge",
    metrics=(Metric(name="edge_cache_hits", type="gauge"),),
    alerts=(
        Alert(
            name="EdgeCacheCold",
            signal=Signal(name="cache_hits", expr="sum(edge_cache_hits)", unit="short"),
            threshold=1,
            op="<",
            severity="critical",
            summary="Cache cold",
            runbook=Runbook(actions=(Step(title="Warm it"),)),
        ),
    ),
    runbook_base_url="https://git.example.com/edge/runbooks/",
)
