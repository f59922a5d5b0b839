"""`read_rules`: rule files, PrometheusRule objects and Mimir namespaces read for `alertgen import`.

The corpus reads without errors and with its own rule counts; each problem is one exact
`path:line: message` error, and all of a file's problems are reported, never an exception.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from generator.importer.read_rules import read_rules
from generator.importer.source import SourceFile
from tests.conftest import SHARED

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
NOT_RULES_MESSAGE = "not a rule file: expected `groups:`, a PrometheusRule or a Mimir namespace"
DURATION = "write a number and a unit (ms, s, m, h, d, w, y), largest unit first, e.g. '30s', '5m', '1h30m'"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def _errors(tmp_path: Path, text: str) -> list[str]:
    """The errors of one file holding `text`, each as `line: message`."""
    path = _write(tmp_path, "rules.yml", text)
    _, errors = read_rules([path])
    assert all(e.startswith(f"{path}:") for e in errors), errors
    return [e.removeprefix(f"{path}:") for e in errors]


def _read(tmp_path: Path, text: str, name: str = "rules.yml") -> list[SourceFile]:
    files, errors = read_rules([_write(tmp_path, name, text)])
    assert errors == []
    return files


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
    files, errors = read_rules([_write(tmp_path, "objects.yaml", text)])
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
    files = _read(
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
    [file] = _read(
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
    [file] = _read(
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
    files = _read(tmp_path, "---\n---\ngroups:\n---\ngroups:\n  - name: g\n    rules:\n")
    assert [(f.kind, [g.name for g in f.groups]) for f in files] == [
        ("prometheus", []),
        ("prometheus", ["g"]),
    ]
    assert read_rules([_write(tmp_path, "empty.yml", "")]) == ([], [])


def test_a_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    rule = "groups: [{name: g, rules: [{alert: A, expr: up}]}]\n"
    for name in ("b.yml", "a/c.yaml", "a.yml", "z/y/x.yaml"):
        _write(tmp_path / "rules", name, rule)
    _write(tmp_path / "rules", "notes.txt", "not yaml: [")
    _write(tmp_path / "rules", ".github/workflows/ci.yml", "on: push\n")  # hidden: not read
    files, errors = read_rules([tmp_path / "rules", tmp_path / "rules" / "b.yml"])
    assert errors == []
    names = ["a/c.yaml", "a.yml", "b.yml", "z/y/x.yaml", "b.yml"]
    assert [f.path for f in files] == [str(tmp_path / "rules" / n) for n in names]


# Errors --------------------------------------------------------------------------------------


def test_paths_that_are_no_rule_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    _write(tmp_path, "latin1.yml", "")
    (tmp_path / "latin1.yml").write_bytes(b"groups:\n  - name: caf\xe9\n")
    files, errors = read_rules([tmp_path / "missing.yml", tmp_path / "empty", tmp_path / "latin1.yml"])
    assert files == []
    assert errors == [
        f"{tmp_path}/missing.yml:0: no such file or folder; check the path",
        f"{tmp_path}/empty:0: no .yml or .yaml file in this folder; pass rule files or their folder",
        f"{tmp_path}/latin1.yml:2: not UTF-8 text; save the file as UTF-8 YAML",
    ]


def test_invalid_yaml_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = "groups:\n  - name: g\n    rules:\n      - alert: A\n\texpr: up\n"
    assert _errors(tmp_path, text) == [
        "5: invalid YAML: found a tab character that violates indentation; fix the syntax"
    ]


def test_documents_that_are_none_of_the_formats(tmp_path: Path) -> None:
    text = """
    groups: []
    ---
    # a Sloth spec
    version: prometheus/v1
    service: myservice
    ---
    apiVersion: apps/v1
    kind: Deployment
    ---
    just text
    """
    assert _errors(tmp_path, text) == [
        f"4: {NOT_RULES_MESSAGE}; pass only rule files",
        f"7: {NOT_RULES_MESSAGE}, not `kind: Deployment`; pass only rule files",
        f"10: {NOT_RULES_MESSAGE}; pass only rule files",
    ]


def test_prometheusrule_problems(tmp_path: Path) -> None:
    text = """
    apiVersion: monitoring.coreos.com/v1beta1
    kind: PrometheusRule
    metadata: {name: x}
    spec:
      groups: []
      group: []
    ---
    apiVersion: monitoring.coreos.com/v1
    kind: PrometheusRule
    metadata: {name: y}
    """
    assert _errors(tmp_path, text) == [
        "1: PrometheusRule apiVersion `monitoring.coreos.com/v1beta1`; write `monitoring.coreos.com/v1`",
        "6: unknown key `group` in `spec`; did you mean `groups`?",
        "8: PrometheusRule `y` has no `spec`; add `spec:` with its `groups:`",
    ]


def test_record_and_alert_both_or_neither(tmp_path: Path) -> None:
    text = """
    groups:
      - name: g
        rules:
          - record: a:b
            alert: AB
            expr: up
          - expr: up
            labels: {severity: page}
    """
    assert _errors(tmp_path, text) == [
        "4: a rule has both `record` and `alert`; keep one (`record: NAME` records a series, `alert: NAME` alerts)",
        "7: a rule has neither `record` nor `alert`; add one (`record: NAME` records a series, `alert: NAME` alerts)",
    ]


def test_missing_empty_and_invalid_expr(tmp_path: Path) -> None:
    text = """
    groups:
      - name: g
        rules:
          - alert: NoExpr
            for: 5m
          - alert: EmptyExpr
            expr: ""
          - alert: NullExpr
            expr:
          - record: BadPromQL
            expr: |
              sum(rate(x[5m])
          - alert: ListExpr
            expr: [up]
    """
    assert _errors(tmp_path, text) == [
        "4: rule `NoExpr` has no `expr`; add the PromQL expression it evaluates",
        "7: rule `EmptyExpr` has an empty `expr`; write the PromQL expression it evaluates",
        "9: rule `NullExpr` has an empty `expr`; write the PromQL expression it evaluates",
        "11: invalid PromQL in `expr` of rule `BadPromQL`: unclosed left parenthesis; fix the expression",
        "14: `expr` of rule `ListExpr` is a list; write the PromQL expression as a string",
    ]


def test_unknown_keys_with_a_suggestion_when_close(tmp_path: Path) -> None:
    text = """
    groups:
      - name: g
        intervall: 1m
        owner: me
        rules:
          - alert: A
            expresion: up
            expr: up
            annotation: {summary: x}
    """
    keys = "name, interval, limit, rules, query_offset, partial_response_strategy, source_tenants, evaluation_delay, labels"
    assert _errors(tmp_path, text) == [
        "3: unknown key `intervall` in a group; did you mean `interval`?",
        f"4: unknown key `owner` in a group; remove it (keys: {keys})",
        "7: unknown key `expresion` in a rule; did you mean `expr`?",
        "9: unknown key `annotation` in a rule; did you mean `annotations`?",
    ]


def test_label_and_annotation_values_must_be_strings(tmp_path: Path) -> None:
    text = """
    groups:
      - name: g
        labels: {page: yes}
        rules:
          - alert: A
            expr: up
            labels:
              severity: 1
              ok: "1"
              empty:
            annotations:
              summary: [a, b]
              runbook: 2024-01-01
    """
    assert _errors(tmp_path, text) == [
        '3: label `page` of group `g` is a boolean, not a string; quote it: `page: "yes"`',
        '8: label `severity` of rule `A` is a number, not a string; quote it: `severity: "1"`',
        '10: label `empty` of rule `A` is empty, not a string; quote it: `empty: ""`',
        '12: annotation `summary` of rule `A` is a list, not a string; quote it: `summary: "..."`',
        '13: annotation `runbook` of rule `A` is a timestamp, not a string; quote it: `runbook: "2024-01-01"`',
    ]


def test_durations_must_be_prometheus_durations(tmp_path: Path) -> None:
    text = """
    groups:
      - name: g
        interval: 1 minute
        query_offset: 30
        rules:
          - alert: A
            expr: up
            for: 5
            keep_firing_for: 1h30
          - alert: B
            expr: up
            for: 1.5m
    """
    assert _errors(tmp_path, text) == [
        f"3: `interval` of group `g`: invalid duration '1 minute'; {DURATION}",
        f"4: `query_offset` of group `g`: invalid duration '30'; {DURATION}",
        f"8: `for` of rule `A`: invalid duration '5'; {DURATION}",
        f"9: `keep_firing_for` of rule `A`: invalid duration '1h30'; {DURATION}",
        f"12: `for` of rule `B`: invalid duration '1.5m'; {DURATION}",
    ]


def test_other_group_keys_are_checked(tmp_path: Path) -> None:
    text = """
    groups:
      - name: g
        limit: -1
        partial_response_strategy: ignore
        source_tenants: tenant-a
        rules: []
    """
    assert _errors(tmp_path, text) == [
        "3: `limit` of group `g` is `-1`; write a whole number, 0 or more",
        "4: `partial_response_strategy` of group `g` is `ignore`; write abort or warn",
        "5: `source_tenants` of group `g` is a string; write it as a list (`- ` items)",
    ]


def test_two_groups_of_one_name(tmp_path: Path) -> None:
    text = """
    groups:
      - name: g
        rules: []
      - name: h
        rules: []
      - rules: []
        name: g
    """
    assert _errors(tmp_path, text) == ["7: a second group `g` (first: line 2); rename or merge"]


def test_groups_of_one_name_in_two_documents_are_two_files(tmp_path: Path) -> None:
    files = _read(tmp_path, "groups: [{name: g, rules: []}]\n---\ngroups: [{name: g, rules: []}]\n")
    assert len(files) == 2


def test_recording_rules_writing_one_series(tmp_path: Path) -> None:
    text = """
    groups:
      - name: a
        rules:
          - record: job:up:sum
            expr: sum by (job) (up)
          - record: total
            expr: sum(up)
          - record: per_code
            expr: sum by (code) (x{code=~"2.."})
          - record: per_code
            expr: sum by (code) (x{code=~"3.."})
          - record: labelled
            expr: sum(up)
            labels: {env: prod}
          - record: labelled
            expr: sum(down)
            labels: {env: dev}
      - name: b
        rules:
          - record: job:up:sum
            expr: sum  by (job)  (up)
          - record: total
            expr: sum(down)
          - alert: Same
            expr: up == 0
          - alert: Same
            expr: up == 0
    """
    assert _errors(tmp_path, text) == [
        "20: recording rule `job:up:sum` writes the series of line 4 (same name and labels); remove one or relabel it",
        "22: recording rule `total` writes the series of line 6 (same name and labels); remove one or relabel it",
    ]


def test_group_labels_tell_recordings_apart(tmp_path: Path) -> None:
    text = """
    groups:
      - name: a
        labels: {env: prod}
        rules: [{record: total, expr: sum(up)}]
      - name: b
        labels: {env: dev}
        rules: [{record: total, expr: sum(up)}]
    """
    assert _errors(tmp_path, text) == []


def test_recording_rules_take_no_for_or_annotations(tmp_path: Path) -> None:
    text = """
    groups:
      - name: g
        rules:
          - record: r
            expr: up
            for: 5m
            keep_firing_for: 0s
            annotations:
              summary: x
    """
    assert _errors(tmp_path, text) == [
        "6: recording rule `r` has `for` (alerts only); remove it",
        "9: recording rule `r` has `annotations` (alerts only); remove it",
    ]


def test_yaml_anchors_aliases_and_merge_keys_read_as_prometheus_reads_them(tmp_path: Path) -> None:
    text = """
    groups:
      - name: g
        rules:
          - alert: A
            expr: up == 0
            labels: &common {severity: page, team: web}
          - alert: B
            expr: up == 0
            labels: *common
          - alert: C
            expr: up == 0
            labels:
              <<: *common
              severity: ticket
    """
    (file,) = _read(tmp_path, text)
    assert [dict(r.labels) for r in file.groups[0].rules] == [
        {"severity": "page", "team": "web"},
        {"severity": "page", "team": "web"},
        {"team": "web", "severity": "ticket"},
    ]


def test_repeated_keys_a_bad_merge_and_aliases_that_expand_without_end(tmp_path: Path) -> None:
    text = """
    groups:
      - name: g
        rules:
          - alert: B
            expr: up
            expr: down
            labels: {<<: [x], severity: page}
          - alert: C
            expr: up
            labels: &itself {<<: *itself, severity: page}
    """
    assert _errors(tmp_path, text) == [
        "6: a second `expr` in a rule (first: line 5); keep one",
        "7: a `<<` merge in `labels` of rule `B` is a string; merge mappings (`<<: *name`)",
        "10: a `<<` merge in `labels` of rule `C` includes the mapping it is in; remove it",
    ]

    # Each level holds the one before twice: 2**20 documents from one line ("billion laughs"),
    # in `kind: List` items and in merge keys.
    def listed(i: int) -> str:
        return (
            "{kind: List, items: []}" if i == 0 else f"{{kind: List, items: [&a{i} {listed(i - 1)}, *a{i}]}}"
        )

    assert _errors(tmp_path, listed(20)) == [
        "1: YAML aliases from `*a1` on expand to more than 10,000 values; write them out",
    ]

    def merged(i: int) -> str:
        return "{severity: page}" if i == 0 else f"{{<<: [&m{i} {merged(i - 1)}, *m{i}]}}"

    (file,) = _read(
        tmp_path, f"groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {merged(20)}\n"
    )
    assert dict(file.groups[0].rules[0].labels) == {"severity": "page"}


def test_shapes_that_are_wrong(tmp_path: Path) -> None:
    text = """
    groups:
      - just a string
      - name: ""
        rules: {alert: A, expr: up}
      - name: g
        rules:
          - alert: [A]
            expr: up
            labels: [severity]
    """
    assert _errors(tmp_path, text) == [
        "2: a group is a string; write it as a mapping of `key: value` lines",
        "3: group `name` is empty; write a non-empty string",
        "4: `rules` of a group is a mapping; write it as a list (`- ` items)",
        "7: `alert` is a list; write a non-empty string",
        "9: `labels` of a rule is a list; write it as a mapping of `key: value` lines",
    ]


def test_every_error_of_every_file_is_reported(tmp_path: Path) -> None:
    bad = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up(\n      - alert: B\n"
    paths = [_write(tmp_path, f"{n}.yml", bad) for n in ("one", "two")]
    files, errors = read_rules(paths)
    assert [f.path for f in files] == [str(p) for p in paths]
    expected = [
        "5: invalid PromQL in `expr` of rule `A`: unclosed left parenthesis; fix the expression",
        "6: rule `B` has no `expr`; add the PromQL expression it evaluates",
    ]
    assert errors == [f"{p}:{e}" for p in paths for e in expected]


def test_nesting_too_deep_is_an_error_not_a_crash(tmp_path: Path) -> None:
    n = 400
    text = "{kind: List, items: [" * n + "{kind: List}" + "]}" * n
    assert _errors(tmp_path, text) == ["0: nested too deeply to read; flatten it"]
