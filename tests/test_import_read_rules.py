"""`read_rules`: rule files, PrometheusRule objects and Mimir namespaces read for `alertgen import`.

The corpus reads without errors and with its own rule counts. Each problem is one exact
`path:line: message` error, and all of a file's problems are reported, never an exception:
tests/test_import_rule_file_errors.py (files, documents, YAML) and tests/test_import_rule_errors.py
(groups and rules).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from generator.importer.read_rules import read_rules
from tests.conftest import SHARED
from tests.read_rules_helpers import NOT_RULES_MESSAGE, read_clean, write_rules

CORPUS = SHARED / "corpus"
RULE_FILES = sorted(
    [
        *(p for p in (CORPUS / "govuk-helm-charts").glob("*.yaml") if not p.stem.endswith("_tests")),
        CORPUS / "thanos" / "alerts.yaml",
        CORPUS / "thanos" / "rules.yaml",
        *(CORPUS / "kube-prometheus").glob("*.yaml"),
        *(CORPUS / "awesome-prometheus-alerts").glob("*.yml"),
        *(CORPUS / "sloth").glob("examples__gen_*.yml"),
    ]
)
# Files in the corpus that are not rule documents: Sloth specs and alert windows, the CRD.
NOT_RULES = [
    CORPUS / "sloth" / "examples_getting-started.yml",
    CORPUS / "sloth" / "internal_alert_windows_google-30d.yaml",
    CORPUS / "prometheus-operator" / "monitoring.coreos.com_prometheusrules.yaml",
]


def _as_prometheus_rule(source: Path, name: str) -> str:
    """A corpus rule file as the `spec:` of a PrometheusRule object (6 lines before it)."""
    head = f"apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: {name}\n"
    return head + "  namespace: monitoring\nspec:\n" + textwrap.indent(source.read_text(), "  ")


# The corpus ----------------------------------------------------------------------------------


def test_the_corpus_has_its_rule_files() -> None:
    assert len(RULE_FILES) == 15
    assert all(p.is_file() for p in RULE_FILES + NOT_RULES)


@pytest.mark.parametrize("source", RULE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_rule_file_reads_clean_and_whole(source: Path) -> None:
    files, errors = read_rules([source])
    assert errors == []
    [file] = files
    assert (file.path, file.kind, file.name) == (str(source), "prometheus", None)
    data = yaml.safe_load(source.read_text())
    assert [g.name for g in file.groups] == [g["name"] for g in data["groups"]]
    assert [len(g.rules) for g in file.groups] == [len(g["rules"]) for g in data["groups"]]
    lines = source.read_text().splitlines()
    for group, raw_group in zip(file.groups, data["groups"], strict=True):
        assert group.interval == raw_group.get("interval")
        assert lines[group.where.line - 1].lstrip().startswith("- ")
        for rule, raw in zip(group.rules, raw_group["rules"], strict=True):
            kind = "record" if "record" in raw else "alert"
            assert (rule.kind, rule.name, rule.expr) == (kind, raw[kind], str(raw["expr"]))
            assert (rule.labels, rule.annotations) == (raw.get("labels", {}), raw.get("annotations", {}))
            assert (rule.for_, rule.keep_firing_for) == (raw.get("for"), raw.get("keep_firing_for"))
            assert lines[rule.where.line - 1].lstrip().startswith("- ")


def test_the_corpus_rule_counts_are_the_readmes() -> None:
    files, errors = read_rules(RULE_FILES)
    assert errors == []
    counts = {Path(f.path).name: (len(f.groups), sum(len(g.rules) for g in f.groups)) for f in files}
    assert counts["alerts.yaml"] == (8, 48)
    assert counts["rules.yaml"] == (4, 16)
    assert counts["kubernetesControlPlane-prometheusRule.yaml"] == (25, 134)
    assert counts["search_api_alerts.yaml"] == (2, 6)
    assert counts["node-exporter.yml"] == (1, 35)


@pytest.mark.parametrize("source", NOT_RULES, ids=lambda p: p.name)
def test_corpus_files_that_are_not_rules_are_one_error_each(source: Path) -> None:
    files, errors = read_rules([source])
    assert files == []
    assert len(errors) == 1
    assert errors[0].startswith(f"{source}:") and NOT_RULES_MESSAGE in errors[0]


def test_promtool_test_files_are_left_to_the_test_reader() -> None:
    # A folder may hold a rule file's tests beside it: they are neither rules nor an error.
    tests = [CORPUS / "thanos" / "tests.yaml", CORPUS / "govuk-helm-charts" / "router_tests.yaml"]
    assert read_rules(tests) == ([], [])
    files, errors = read_rules([CORPUS / "thanos"])
    assert errors == []
    assert [f.path for f in files] == [str(CORPUS / "thanos" / n) for n in ("alerts.yaml", "rules.yaml")]


# The three formats ---------------------------------------------------------------------------


def test_a_prometheusrule_file_with_two_documents(tmp_path: Path) -> None:
    first, second = CORPUS / "kube-prometheus" / "nodeExporter-prometheusRule.yaml", RULE_FILES[0]
    text = _as_prometheus_rule(first, "node-exporter") + "---\n" + _as_prometheus_rule(second, "chat-ai")
    files, errors = read_rules([write_rules(tmp_path, "objects.yaml", text)])
    assert errors == []
    [plain_first], _ = read_rules([first])
    [plain_second], _ = read_rules([second])
    assert [(f.kind, f.name) for f in files] == [
        ("prometheusrule", "node-exporter"),
        ("prometheusrule", "chat-ai"),
    ]
    assert [r.name for g in files[0].groups for r in g.rules] == [
        r.name for g in plain_first.groups for r in g.rules
    ]
    assert [len(g.rules) for g in files[1].groups] == [len(g.rules) for g in plain_second.groups]
    # Lines are the file's: 6 lines of header before the first spec, and the first document before the second.
    assert files[0].groups[0].rules[0].where.line == plain_first.groups[0].rules[0].where.line + 6
    offset = 6 + len(first.read_text().splitlines()) + 1 + 6
    assert files[1].groups[0].rules[0].where.line == plain_second.groups[0].rules[0].where.line + offset


def test_a_kubernetes_list_of_prometheusrules(tmp_path: Path) -> None:
    files = read_clean(
        tmp_path,
        """
        apiVersion: v1
        kind: List
        items:
          - apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata: {name: one}
            spec:
              groups: [{name: a, rules: [{alert: A, expr: up == 0}]}]
          - apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata: {name: two}
            spec: {groups: []}
        """,
    )
    assert [(f.kind, f.name, len(f.groups)) for f in files] == [
        ("prometheusrule", "one", 1),
        ("prometheusrule", "two", 0),
    ]
    assert files[0].groups[0].rules[0].where.line == 8


def test_a_mimir_namespace_keeps_the_group_keys_alertgen_does_not_write(tmp_path: Path) -> None:
    [file] = read_clean(
        tmp_path,
        """
        namespace: payments
        groups:
          - name: api
            interval: 1m
            limit: 10
            source_tenants: [team-a, team-b]
            evaluation_delay: 2m
            query_offset: 30s
            labels: {tier: gold}
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
          - name: thanos
            partial_response_strategy: warn
            rules:
              - alert: Down
                expr: job:up:sum == 0
                for: 5m
                keep_firing_for: 10m
                labels: {severity: page}
                annotations: {summary: "{{ $labels.job }} is down"}
        """,
    )
    assert (file.kind, file.name) == ("mimir", "payments")
    api, thanos = file.groups
    assert (api.interval, api.limit) == ("1m", 10)
    assert api.other == {
        "source_tenants": ["team-a", "team-b"],
        "evaluation_delay": "2m",
        "query_offset": "30s",
        "labels": {"tier": "gold"},
    }
    assert thanos.other == {"partial_response_strategy": "warn"}
    [down] = thanos.rules
    assert (down.kind, down.for_, down.keep_firing_for) == ("alert", "5m", "10m")
    assert (down.labels, down.annotations) == ({"severity": "page"}, {"summary": "{{ $labels.job }} is down"})
    assert down.where.line == 16


def test_expr_may_be_a_number_and_for_a_bare_zero(tmp_path: Path) -> None:
    [file] = read_clean(
        tmp_path,
        """
        groups:
          - name: g
            rules:
              - alert: AlwaysFiring
                expr: 1
                for: 0
              - record: half
                expr: 0.5
              - alert: Folded
                expr: >-
                  up
                  == 0
        """,
    )
    always, half, folded = file.groups[0].rules
    assert (always.expr, always.for_, half.expr, folded.expr) == ("1", "0s", "0.5", "up == 0")


def test_empty_documents_and_empty_groups_are_no_error(tmp_path: Path) -> None:
    files = read_clean(tmp_path, "---\n---\ngroups:\n---\ngroups:\n  - name: g\n    rules:\n")
    assert [(f.kind, [g.name for g in f.groups]) for f in files] == [
        ("prometheus", []),
        ("prometheus", ["g"]),
    ]
    assert read_rules([write_rules(tmp_path, "empty.yml", "")]) == ([], [])


def test_a_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    rule = "groups: [{name: g, rules: [{alert: A, expr: up}]}]\n"
    for name in ("b.yml", "a/c.yaml", "a.yml", "z/y/x.yaml"):
        write_rules(tmp_path / "rules", name, rule)
    write_rules(tmp_path / "rules", "notes.txt", "not yaml: [")
    write_rules(tmp_path / "rules", ".github/workflows/ci.yml", "on: push\n")  # hidden: not read
    files, errors = read_rules([tmp_path / "rules", tmp_path / "rules" / "b.yml"])
    assert errors == []
    names = ["a/c.yaml", "a.yml", "b.yml", "z/y/x.yaml", "b.yml"]
    assert [f.path for f in files] == [str(tmp_path / "rules" / n) for n in names]
