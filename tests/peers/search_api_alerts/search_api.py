"""GOV.UK Search API's alerts (govuk-helm-charts charts/monitoring-config/rules/search_api_alerts.yaml), in alertgen.

The health and disk space of the Elasticsearch cluster behind Search API, and the daily
`search-api-load-page-traffic` cronjob, in the peer's two rule groups. Cluster status and disk
space each have several alerts of one name, one per state or threshold. Every alert goes to the
search team's Slack channel through `destination`; their Alertmanager routes on `severity` and
`destination`, so alertgen adds only `severity`, and no runbook or dashboard link.
"""

from generator import Alert, Conventions, Example, Fired, Group, Metric, Service

conventions = Conventions(
    severities=("critical", "warning"),
    service_label=None,
    team_label=None,
    category_label=None,
    runbook_annotation=None,
    dashboard_annotation=None,
)

SEARCH_TEAM = {"destination": "slack-search-team"}
CLUSTER_STATUS = "SearchApiElasticsearchClusterStatus"
DISK_SPACE = "SearchApiElasticsearchDiskSpace"
CLUSTER = "The Elasticsearch cluster used by Search API"
CRONJOB = "search-api-load-page-traffic"

# search_api_elasticsearch_status: 0 green, 1 yellow, 2 red, 3 unknown or unavailable.
STATUS = "search_api_elasticsearch_status"
DISK = 'search_api_elasticsearch_disk_space{node="node1"}'

cluster_unknown = Alert(
    name=CLUSTER_STATUS,
    expr="search_api_elasticsearch_status == 3",
    for_="30m",
    severity="warning",
    labels=SEARCH_TEAM,
    summary="Elasticsearch cluster status is UNKNOWN or UNAVAILABLE",
    description="The state of the Elasticsearch cluster used by Search API is unknown.",
    examples=(
        Example(name="status unknown for 30 minutes", series={STATUS: "3x40"}, at="30m", fires=True),
        Example(name="cluster green", series={STATUS: "0x40"}, at="30m", fires=False),
    ),
)
cluster_red = Alert(
    name=CLUSTER_STATUS,
    expr="search_api_elasticsearch_status == 2",
    for_="5m",
    severity="critical",
    labels=SEARCH_TEAM,
    summary="Elasticsearch cluster status is RED",
    description=(
        f"{CLUSTER} is in RED state. Some primary shards are unavailable and search indexing may fail."
    ),
    examples=(
        Example(name="red for 5 minutes", series={STATUS: "2x40"}, at="5m", fires=True),
        Example(name="cluster green", series={STATUS: "0x40"}, at="5m", fires=False),
    ),
)
cluster_yellow = Alert(
    name=CLUSTER_STATUS,
    expr="search_api_elasticsearch_status == 1",
    for_="30m",
    severity="warning",
    labels=SEARCH_TEAM,
    summary="Elasticsearch cluster status is YELLOW",
    description=(
        f"{CLUSTER} is in YELLOW state. Replica shards are not allocated. "
        "The cluster is still functional but resilience is reduced."
    ),
    examples=(
        Example(name="yellow for 30 minutes", series={STATUS: "1x40"}, at="30m", fires=True),
        Example(name="yellow for only 20 minutes", series={STATUS: "1x40"}, at="20m", fires=False),
    ),
)
disk_space_low = Alert(
    name=DISK_SPACE,
    expr="search_api_elasticsearch_disk_space < 0.30",
    for_="15m",
    severity="warning",
    labels=SEARCH_TEAM,
    summary="Elasticsearch disk space low",
    description=(
        "Elasticsearch node {{ $labels.node }} has less than 30% disk space remaining. "
        "Consider increasing storage capacity."
    ),
    examples=(
        Example(name="a quarter free for 15 minutes", series={DISK: "0.25x20"}, at="15m", fires=True),
        Example(name="half free", series={DISK: "0.5x20"}, at="15m", fires=False),
    ),
)
disk_space_critical = Alert(
    name=DISK_SPACE,
    expr="search_api_elasticsearch_disk_space < 0.10",
    for_="10m",
    severity="critical",
    labels=SEARCH_TEAM,
    summary="Elasticsearch disk space critical",
    description="Elasticsearch node {{ $labels.node }} has less than 10% disk space remaining.",
    examples=(
        # At 10m the 30% alert (for 15m) is still pending: only this one fires.
        Example(name="5% free for 10 minutes", series={DISK: "0.05x20"}, at="10m", fires=True),
        Example(name="a quarter free", series={DISK: "0.25x20"}, at="10m", fires=False),
    ),
)

# The cronjob runs daily: alert when its last success is over 50 hours (180000s) old.
LAST_SUCCESS = f'kube_cronjob_status_last_successful_time{{cronjob="{CRONJOB}"}}'
cronjob_failed = Alert(
    name="CronjobFailed => CronjobSuccessThreshold",
    expr=f"time() - {LAST_SUCCESS} > 180000",
    for_="5m",
    severity="critical",
    labels=SEARCH_TEAM,
    summary=f"{CRONJOB} cronjob failing",
    description=f'The cronjob "{CRONJOB}" has not run successfully since {{{{ $value | humanizeTimestamp }}}}',
    annotations={
        "cronjob_uri": (
            "applications/search-api?orphaned=false&resource=&node=batch%2FCronJob%2Fapps%2F"
            f"{CRONJOB}%2F0&tab=logs"
        ),
    },
    examples=(
        Example(
            name="last success 50 hours and 5 minutes ago",
            series={LAST_SUCCESS: "-180300+60x15"},
            at="10m",
            fires=True,
            alerts=(Fired(labels={"cronjob": CRONJOB}, value=180300),),
        ),
        Example(
            name="last success 49 hours and 48 minutes ago",
            series={LAST_SUCCESS: "-179300+60x15"},
            at="15m",
            fires=False,
        ),
    ),
)

service = Service(
    name="search-api",
    title="Search API",
    version="1.0.0",
    team="search",
    target_labels=("job", "namespace", "instance"),
    metrics=(
        Metric(name="search_api_elasticsearch_status", type="gauge"),
        Metric(name="search_api_elasticsearch_disk_space", type="gauge", labels=("node",)),
        # From kube-state-metrics, one series per CronJob.
        Metric(name="kube_cronjob_status_last_successful_time", type="gauge", labels=("cronjob",)),
    ),
    groups=(
        Group(
            name="SearchApiElasticsearchAlerts",
            rules=(cluster_unknown, cluster_red, cluster_yellow, disk_space_low, disk_space_critical),
        ),
        Group(name="SearchApiCronjobs", rules=(cronjob_failed,)),
    ),
    runbook_base_url="https://docs.publishing.service.gov.uk/manual/alerts/",
)
