"""Thanos Rule's alerts (thanos-io/thanos examples/alerts/alerts.yaml group thanos-rule; its
IsDown alert is in component_absent.py), as the Thanos team would write them in alertgen."""

from _thanos import (
    GRPC_SERVER,
    RUNBOOK_BASE,
    TARGET_LABELS,
    TEAM,
    UP,
    conventions,  # noqa: F401 (the repository's conventions, picked up by alertgen)
    runbook,
)

from generator import Alert, Example, Group, Metric, Service

HIGH_DNS_FAILURES = "Thanos Rule is having high number of DNS failures."
RULER = 'job="thanos-rule", namespace="monitoring", instance="rule-0", pod="rule-0"'

service = Service(
    name="thanos-rule",
    title="Thanos Rule",
    version="1.0.0",
    team=TEAM,
    target_labels=TARGET_LABELS,
    metrics=(
        UP,
        *GRPC_SERVER,
        Metric(name="thanos_alert_queue_alerts_dropped_total", type="counter"),
        Metric(name="thanos_alert_sender_alerts_dropped_total", type="counter", labels=("alertmanager",)),
        Metric(name="prometheus_rule_evaluation_failures_total", type="counter", labels=("rule_group",)),
        Metric(name="prometheus_rule_evaluations_total", type="counter", labels=("rule_group",)),
        Metric(name="thanos_rule_evaluation_with_warnings_total", type="counter", labels=("strategy",)),
        Metric(name="prometheus_rule_group_last_duration_seconds", type="gauge", labels=("rule_group",)),
        Metric(name="prometheus_rule_group_interval_seconds", type="gauge", labels=("rule_group",)),
        Metric(
            name="prometheus_rule_group_last_evaluation_timestamp_seconds",
            type="gauge",
            labels=("rule_group",),
        ),
        Metric(name="thanos_rule_config_last_reload_successful", type="gauge"),
        Metric(name="thanos_rule_query_apis_dns_failures_total", type="counter"),
        Metric(name="thanos_rule_query_apis_dns_lookups_total", type="counter"),
        Metric(name="thanos_rule_alertmanagers_dns_failures_total", type="counter"),
        Metric(name="thanos_rule_alertmanagers_dns_lookups_total", type="counter"),
        Metric(name="thanos_rule_loaded_rules", type="gauge", labels=("file", "group", "strategy")),
    ),
    groups=(
        Group(
            name="thanos-rule",
            rules=(
                Alert(
                    name="ThanosRuleQueueIsDroppingAlerts",
                    severity="critical",
                    expr=(
                        "sum by (job, instance) (rate(thanos_alert_queue_alerts_dropped_total"
                        '{job=~".*thanos-rule.*"}[5m])) > 0\n'
                    ),
                    for_="5m",
                    summary="Thanos Rule is failing to queue alerts.",
                    description="Thanos Rule {{$labels.instance}} is failing to queue alerts.",
                    runbook_url=runbook("ThanosRuleQueueIsDroppingAlerts"),
                ),
                Alert(
                    name="ThanosRuleSenderIsFailingAlerts",
                    severity="critical",
                    expr=(
                        "sum by (job, instance) (rate(thanos_alert_sender_alerts_dropped_total"
                        '{job=~".*thanos-rule.*"}[5m])) > 0\n'
                    ),
                    for_="5m",
                    summary="Thanos Rule is failing to send alerts to alertmanager.",
                    description="Thanos Rule {{$labels.instance}} is failing to send alerts to alertmanager.",
                    runbook_url=runbook("ThanosRuleSenderIsFailingAlerts"),
                ),
                Alert(
                    name="ThanosRuleHighRuleEvaluationFailures",
                    severity="critical",
                    expr="""(
  sum by (job, instance) (rate(prometheus_rule_evaluation_failures_total{job=~".*thanos-rule.*"}[5m]))
/
  sum by (job, instance) (rate(prometheus_rule_evaluations_total{job=~".*thanos-rule.*"}[5m]))
* 100 > 5
)
""",
                    for_="5m",
                    summary="Thanos Rule is failing to evaluate rules.",
                    description="Thanos Rule {{$labels.instance}} is failing to evaluate rules.",
                    runbook_url=runbook("ThanosRuleHighRuleEvaluationFailures"),
                ),
                Alert(
                    name="ThanosRuleHighRuleEvaluationWarnings",
                    severity="info",
                    expr=(
                        "sum by (job, instance) (rate(thanos_rule_evaluation_with_warnings_total"
                        '{job=~".*thanos-rule.*"}[5m])) > 0\n'
                    ),
                    for_="15m",
                    summary="Thanos Rule has high number of evaluation warnings.",
                    description="Thanos Rule {{$labels.instance}} has high number of evaluation warnings.",
                    runbook_url=runbook("ThanosRuleHighRuleEvaluationWarnings"),
                ),
                Alert(
                    name="ThanosRuleRuleEvaluationLatencyHigh",
                    severity="warning",
                    expr="""(
  sum by (job, instance, rule_group) (prometheus_rule_group_last_duration_seconds{job=~".*thanos-rule.*"})
>
  sum by (job, instance, rule_group) (prometheus_rule_group_interval_seconds{job=~".*thanos-rule.*"})
)
""",
                    for_="5m",
                    summary="Thanos Rule has high rule evaluation latency.",
                    description=(
                        "Thanos Rule {{$labels.instance}} has higher evaluation latency than interval for {{$labels.rule_group}}."
                    ),
                    runbook_url=runbook("ThanosRuleRuleEvaluationLatencyHigh"),
                ),
                Alert(
                    name="ThanosRuleGrpcErrorRate",
                    severity="warning",
                    expr="""(
  sum by (job, instance) (rate(grpc_server_handled_total{grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded", job=~".*thanos-rule.*"}[5m]))
/
  sum by (job, instance) (rate(grpc_server_started_total{job=~".*thanos-rule.*"}[5m]))
* 100 > 5
)
""",
                    for_="5m",
                    summary="Thanos Rule is failing to handle grpc requests.",
                    description="Thanos Rule {{$labels.job}} is failing to handle {{$value | humanize}}% of requests.",
                    runbook_url=runbook("ThanosRuleGrpcErrorRate"),
                ),
                Alert(
                    name="ThanosRuleConfigReloadFailure",
                    severity="info",
                    expr='avg by (job, instance) (thanos_rule_config_last_reload_successful{job=~".*thanos-rule.*"}) != 1',
                    for_="5m",
                    summary="Thanos Rule has not been able to reload configuration.",
                    description="Thanos Rule {{$labels.job}} has not been able to reload its configuration.",
                    runbook_url=runbook("ThanosRuleConfigReloadFailure"),
                    examples=(
                        Example(
                            name="last reload failed",
                            series={f"thanos_rule_config_last_reload_successful{{{RULER}}}": "1x3 0x10"},
                            at="12m",
                            fires=True,
                        ),
                        Example(
                            name="last reload succeeded",
                            series={f"thanos_rule_config_last_reload_successful{{{RULER}}}": "1x13"},
                            at="12m",
                            fires=False,
                        ),
                    ),
                ),
                Alert(
                    name="ThanosRuleQueryHighDNSFailures",
                    severity="warning",
                    expr="""(
  sum by (job, instance) (rate(thanos_rule_query_apis_dns_failures_total{job=~".*thanos-rule.*"}[5m]))
/
  sum by (job, instance) (rate(thanos_rule_query_apis_dns_lookups_total{job=~".*thanos-rule.*"}[5m]))
* 100 > 1
)
""",
                    for_="15m",
                    summary=HIGH_DNS_FAILURES,
                    description=(
                        "Thanos Rule {{$labels.job}} has {{$value | humanize}}% of failing DNS queries for query endpoints."
                    ),
                    runbook_url=runbook("ThanosRuleQueryHighDNSFailures"),
                ),
                Alert(
                    name="ThanosRuleAlertmanagerHighDNSFailures",
                    severity="warning",
                    expr="""(
  sum by (job, instance) (rate(thanos_rule_alertmanagers_dns_failures_total{job=~".*thanos-rule.*"}[5m]))
/
  sum by (job, instance) (rate(thanos_rule_alertmanagers_dns_lookups_total{job=~".*thanos-rule.*"}[5m]))
* 100 > 1
)
""",
                    for_="15m",
                    summary=HIGH_DNS_FAILURES,
                    description=(
                        "Thanos Rule {{$labels.instance}} has {{$value | humanize}}% of failing DNS queries "
                        "for Alertmanager endpoints."
                    ),
                    runbook_url=runbook("ThanosRuleAlertmanagerHighDNSFailures"),
                ),
                Alert(
                    name="ThanosRuleNoEvaluationFor10Intervals",
                    severity="info",
                    expr="""time() -  max by (job, instance, group) (prometheus_rule_group_last_evaluation_timestamp_seconds{job=~".*thanos-rule.*"})
>
10 * max by (job, instance, group) (prometheus_rule_group_interval_seconds{job=~".*thanos-rule.*"})
""",
                    for_="5m",
                    summary="Thanos Rule has rule groups that did not evaluate for 10 intervals.",
                    description=(
                        "Thanos Rule {{$labels.job}} has rule groups that did not evaluate for at least 10x "
                        "of their expected interval."
                    ),
                    runbook_url=runbook("ThanosRuleNoEvaluationFor10Intervals"),
                ),
                Alert(
                    name="ThanosNoRuleEvaluations",
                    severity="critical",
                    expr="""sum by (job, instance) (rate(prometheus_rule_evaluations_total{job=~".*thanos-rule.*"}[5m])) <= 0
  and
sum by (job, instance) (thanos_rule_loaded_rules{job=~".*thanos-rule.*"}) > 0
""",
                    for_="5m",
                    summary="Thanos Rule did not perform any rule evaluations.",
                    description="Thanos Rule {{$labels.instance}} did not perform any rule evaluations in the past 10 minutes.",
                    runbook_url=runbook("ThanosNoRuleEvaluations"),
                ),
            ),
        ),
    ),
    runbook_base_url=RUNBOOK_BASE,
)
