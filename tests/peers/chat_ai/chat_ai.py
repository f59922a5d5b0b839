"""GOV.UK Chat AI's alerts (alphagov/govuk-helm-charts, charts/monitoring-config/rules/chat_ai.yaml).

Their Alertmanager routes on `severity` and `destination`, so alertgen adds only `severity`, not
the service/team/category labels or a dashboard link. Every alert links its section of the Chat
AI page of the GOV.UK developer docs (`runbook_url=`), which the team writes by hand; the rules
record nothing, and their graphs are the team's own Grafana dashboards.
"""

from generator import Alert, Conventions, Example, Group, Metric, Service

conventions = Conventions(
    severities=("page", "critical", "warning"),
    service_label=None,
    team_label=None,
    category_label=None,
    runbook_annotation="runbook_url",
    dashboard_annotation=None,
)

RUNBOOK = "https://docs.publishing.service.gov.uk/manual/alerts/chat-ai-alerts.html"
# Everything but the 5xx page goes to the team's Slack channel.
SLACK = {"destination": "slack-chat-notifications"}
SUSTAINED = "5m"

# The web (FE) deployment's pods and containers, and the Sidekiq worker deployment's.
FE_PODS = 'pod=~"govuk-chat-........*-.....",\n  container=~"app|nginx"'
WORKER_PODS = 'pod=~"govuk-chat-worker-.*",\n  container=~"published-documents-consumer|worker"'
POD_CPU = "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate"
CADVISOR = 'job="kubelet",\n  metrics_path="/metrics/cadvisor"'
# 1.6 GiB: 80% of the containers' memory limit.
MEMORY_LIMIT = "1.6 * 1024 * 1024 * 1024"


def _pod_cpu(pods: str) -> str:
    """Cores used by each container of the pods, over 0.8."""
    return f"sum({POD_CPU}{{\n  {pods}\n}}) by (container) > 0.8"


def _pod_memory(pods: str) -> str:
    """The pods' average working set of each container, over the limit."""
    return f"avg(container_memory_working_set_bytes{{\n  {CADVISOR},\n  {pods}\n}}) by (container) > {MEMORY_LIMIT}"


def _memory_series(pod: str, container: str, values: str) -> dict[str, str]:
    selector = f'job="kubelet", metrics_path="/metrics/cadvisor", pod="{pod}", container="{container}"'
    return {f"container_memory_working_set_bytes{{{selector}}}": values}


def _sidekiq_queue(metric: str, queue: str, threshold: int) -> str:
    """The worst value of a Sidekiq queue gauge for one queue of the Chat worker, over a threshold."""
    return f"""max({metric}{{
  job=~"govuk-chat-worker", queue="{queue}"
}}) by (job, queue) > {threshold}"""


def _queue_series(metric: str, queue: str, values: str) -> dict[str, str]:
    return {f'{metric}{{job="govuk-chat-worker", queue="{queue}"}}': values}


service = Service(
    name="chat-ai",
    title="GOV.UK Chat AI",
    version="1.0.0",
    team="govuk-chat",
    target_labels=("job", "namespace", "pod", "container", "instance"),
    metrics=(
        Metric(name="http_requests_total", type="counter", labels=("controller", "action", "status")),
        Metric(name="http_request_duration_seconds", type="summary", labels=("controller", "action")),
        Metric(name="sidekiq_queue_backlog", type="gauge", labels=("queue",)),
        Metric(name="sidekiq_queue_latency_seconds", type="gauge", labels=("queue",)),
        Metric(name="govuk_chat_answer_count", type="counter", labels=("status",)),
        # kube-prometheus' record of each container's CPU, in cores.
        Metric(
            name=POD_CPU,
            type="gauge",
            target_labels=("cluster", "namespace", "pod", "container", "node"),
        ),
        # cAdvisor's, scraped through the kubelet.
        Metric(
            name="container_memory_working_set_bytes",
            type="gauge",
            labels=("namespace", "pod", "container", "id", "image", "name"),
            target_labels=("job", "instance", "metrics_path", "node"),
        ),
    ),
    groups=(
        Group(
            name="ChatAI",
            rules=(
                Alert(
                    name="High5xxRate",
                    severity="page",
                    expr="""sum(rate(http_requests_total{
  job="govuk-chat",
  status=~"5..",
  status!~"503"
}[60m])) / (sum(rate(http_requests_total{
  job="govuk-chat"
}[60m])) / 100) > 10""",
                    for_=SUSTAINED,
                    summary="Elevated rate of 5xx return codes for Chat AI",
                    description=(
                        "The rate of http 5xx return codes is above 10% of total requests for more than 5 minutes."
                    ),
                    runbook_url=f"{RUNBOOK}#high5xxrate",
                    examples=(
                        Example(
                            name="half the requests fail with 500",
                            series={
                                'http_requests_total{job="govuk-chat", status="200"}': "0+100x20",
                                'http_requests_total{job="govuk-chat", status="500"}': "0+100x20",
                            },
                            at="20m",
                            fires=True,
                            labels={},
                        ),
                        Example(
                            name="503s do not count",
                            series={
                                'http_requests_total{job="govuk-chat", status="200"}': "0+100x20",
                                'http_requests_total{job="govuk-chat", status="503"}': "0+100x20",
                            },
                            at="20m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="LongRequestDuration",
                    severity="critical",
                    expr="""quantile(0.75,
  sum(rate(http_request_duration_seconds_sum{
    job="govuk-chat"
  }[60m]))
  /
  sum(rate(http_request_duration_seconds_count{
    job="govuk-chat"
  }[60m]))
) > 1""",
                    for_=SUSTAINED,
                    labels=SLACK,
                    summary="Elevated HTTP request duration for Chat AI",
                    description="75th percentile HTTP request duration over 1 second for more than 5 minutes.",
                    runbook_url=f"{RUNBOOK}#longrequestduration",
                    examples=(
                        Example(
                            name="requests take 10s on average",
                            series={
                                'http_request_duration_seconds_sum{job="govuk-chat"}': "0+10x15",
                                'http_request_duration_seconds_count{job="govuk-chat"}': "0+1x15",
                            },
                            at="15m",
                            fires=True,
                            labels={},
                        ),
                        Example(
                            name="requests take 1ms on average",
                            series={
                                'http_request_duration_seconds_sum{job="govuk-chat"}': "0+1x15",
                                'http_request_duration_seconds_count{job="govuk-chat"}': "0+1000x15",
                            },
                            at="15m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="HighPodCPUFE",
                    severity="critical",
                    expr=_pod_cpu(FE_PODS),
                    for_=SUSTAINED,
                    labels=SLACK,
                    summary="Elevated level of FE Pod CPU being consumed for Chat AI",
                    description="The FE Pod CPU usage is above 80% for a container for more than 5 minutes.",
                    runbook_url=f"{RUNBOOK}#highpod-alerts",
                    examples=(
                        Example(
                            name="the app container uses more than 0.8 cores",
                            series={
                                f'{POD_CPU}{{pod="govuk-chat-abcdefghij-abcde", container="app"}}': "0+0.1x15"
                            },
                            at="15m",
                            fires=True,
                            labels={"container": "app"},
                        ),
                        Example(
                            name="the worker container does not count",
                            series={
                                f'{POD_CPU}{{pod="govuk-chat-worker-abcdefghij-abcde", container="worker"}}': "0+0.1x15"
                            },
                            at="15m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="HighPodCPUWorker",
                    severity="critical",
                    expr=_pod_cpu(WORKER_PODS),
                    for_=SUSTAINED,
                    labels=SLACK,
                    summary="Elevated level of Worker Pod CPU being consumed for Chat AI",
                    description="The Worker Pod CPU usage is above 80% for a container for more than 5 minutes.",
                    runbook_url=f"{RUNBOOK}#highpod-alerts",
                ),
                Alert(
                    name="HighPodMemoryFE",
                    severity="critical",
                    expr=_pod_memory(FE_PODS),
                    for_=SUSTAINED,
                    labels=SLACK,
                    summary="Elevated level of FE Pod Memory being consumed for Chat AI",
                    description="The FE Pod Memory usage is above 80% for a container for more than 5 minutes.",
                    runbook_url=f"{RUNBOOK}#highpod-alerts",
                ),
                Alert(
                    name="HighPodMemoryWorker",
                    severity="critical",
                    expr=_pod_memory(WORKER_PODS),
                    for_=SUSTAINED,
                    labels=SLACK,
                    summary="Elevated level of Worker Pod Memory being consumed for Chat AI",
                    description="The Worker Pod Memory usage is above 80% for a container for more than 5 minutes.",
                    runbook_url=f"{RUNBOOK}#highpod-alerts",
                    examples=(
                        Example(
                            name="the worker container uses 1.6 GiB",
                            series=_memory_series(
                                "govuk-chat-worker-abcdefghij-abcde", "worker", "1717986918+1048576x15"
                            ),
                            at="15m",
                            fires=True,
                            labels={"container": "worker"},
                        ),
                        Example(
                            name="the worker container uses 1 GiB",
                            series=_memory_series(
                                "govuk-chat-worker-abcdefghij-abcde", "worker", "1073741824+1048576x15"
                            ),
                            at="15m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="SidekiqAnswerQueueLength",
                    severity="critical",
                    expr=_sidekiq_queue("sidekiq_queue_backlog", "answer", 50),
                    for_=SUSTAINED,
                    labels=SLACK,
                    summary="Sidekiq Answer Queue Length High",
                    description=(
                        "The Sidekiq answer queue length has been over 50 items for more than 5 minutes. "
                        "Autoscaling should have taken place, so check if the maximum number of "
                        "worker pods are running."
                    ),
                    runbook_url=f"{RUNBOOK}#sidekiqanswerqueuelength",
                    examples=(
                        Example(
                            name="backlog over 50 for 5 minutes",
                            series=_queue_series("sidekiq_queue_backlog", "answer", "0 30 60x6"),
                            at="7m",
                            fires=True,
                        ),
                        Example(
                            name="a backlog of the default queue does not count",
                            series=_queue_series("sidekiq_queue_backlog", "default", "60x7"),
                            at="7m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="SidekiqAnswerJobAge",
                    severity="critical",
                    expr=_sidekiq_queue("sidekiq_queue_latency_seconds", "answer", 900),
                    for_=SUSTAINED,
                    labels=SLACK,
                    summary="Sidekiq Answer Queue Items Over 15 Minutes Old",
                    description=(
                        "Some Sidekiq items in the answer queue are over 15 minutes old. Check to see "
                        "if some items have got stuck or if there is a problem processing items "
                        "causing the delay."
                    ),
                    runbook_url=f"{RUNBOOK}#sidekiqanswerjobage",
                    examples=(
                        Example(
                            name="items 20 minutes old for 5 minutes",
                            series=_queue_series("sidekiq_queue_latency_seconds", "answer", "0 300 1200x6"),
                            at="7m",
                            fires=True,
                        ),
                        Example(
                            name="a short spike",
                            series=_queue_series(
                                "sidekiq_queue_latency_seconds", "answer", "0 0 950x3 800x2"
                            ),
                            at="6m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="SidekiqDefaultJobAge",
                    severity="critical",
                    expr=_sidekiq_queue("sidekiq_queue_latency_seconds", "default", 21600),
                    for_=SUSTAINED,
                    labels=SLACK,
                    summary="Sidekiq Default Queue Items Over Six Hours Old",
                    description=(
                        "Some Sidekiq items in the default queue are over six hours old. Check to see "
                        "if some items have got stuck or if there is a problem processing items "
                        "causing the delay."
                    ),
                    runbook_url=f"{RUNBOOK}#sidekiqdefaultjobage",
                    examples=(
                        Example(
                            name="items over six hours old for 5 minutes",
                            series=_queue_series(
                                "sidekiq_queue_latency_seconds", "default", "0 5000 24000x5"
                            ),
                            at="7m",
                            fires=True,
                        ),
                        Example(
                            name="recovered",
                            series=_queue_series("sidekiq_queue_latency_seconds", "default", "22000x5 21000"),
                            at="6m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="ElevatedAnswerErrorStatuses",
                    severity="critical",
                    expr="""sum(
  rate(
    govuk_chat_answer_count{
      status=~"error_.*",
      container="answer-worker"
    }[20m]
  )
) >= (3 / 1200)""",
                    labels=SLACK,
                    summary="High rate of error statuses from Chat AI answers",
                    description="Three or more answers generated in the last 20 minutes have an error status.",
                    runbook_url=f"{RUNBOOK}#elevatedanswererrorstatuses",
                    examples=(
                        Example(
                            name="three errors of the answer worker in 20 minutes",
                            series={
                                'govuk_chat_answer_count{status="error_answer_guardrails", container="answer-worker"}': (
                                    "0x14 1x3 2"
                                ),
                                'govuk_chat_answer_count{status="error_answer_service_error", container="answer-worker"}': (
                                    "0x14 1x4"
                                ),
                            },
                            at="20m",
                            fires=True,
                            labels={},
                        ),
                        Example(
                            name="errors of another worker do not count",
                            series={
                                'govuk_chat_answer_count{status="error_answer_guardrails", container="answer-worker"}': (
                                    "0x14 1x3 2"
                                ),
                                'govuk_chat_answer_count{status="error_answer_guardrails", container="default-worker"}': (
                                    "0x14 1x3 2"
                                ),
                            },
                            at="20m",
                            fires=False,
                        ),
                    ),
                ),
            ),
        ),
    ),
    runbook_base_url="https://docs.publishing.service.gov.uk/manual/alerts/",
)
