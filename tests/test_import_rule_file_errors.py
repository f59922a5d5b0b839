"""`read_rules` errors in files, documents and YAML: one exact `path:line: message` each, all reported."""

from __future__ import annotations

from pathlib import Path

from generator.importer.read_rules import read_rules
from tests.read_rules_helpers import NOT_RULES_MESSAGE, read_clean, rule_errors, write_rules


def test_paths_that_are_no_rule_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write_rules(tmp_path, "latin1.yml", "")
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
    assert rule_errors(tmp_path, text) == [
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
    assert rule_errors(tmp_path, text) == [
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
    assert rule_errors(tmp_path, text) == [
        "1: PrometheusRule apiVersion `monitoring.coreos.com/v1beta1`; write `monitoring.coreos.com/v1`",
        "6: unknown key `group` in `spec`; did you mean `groups`?",
        "8: PrometheusRule `y` has no `spec`; add `spec:` with its `groups:`",
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
    (file,) = read_clean(tmp_path, text)
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
    assert rule_errors(tmp_path, text) == [
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

    assert rule_errors(tmp_path, listed(20)) == [
        "1: YAML aliases from `*a1` on expand to more than 10,000 values; write them out",
    ]

    def merged(i: int) -> str:
        return "{severity: page}" if i == 0 else f"{{<<: [&m{i} {merged(i - 1)}, *m{i}]}}"

    (file,) = read_clean(
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
    assert rule_errors(tmp_path, text) == [
        "2: a group is a string; write it as a mapping of `key: value` lines",
        "3: group `name` is empty; write a non-empty string",
        "4: `rules` of a group is a mapping; write it as a list (`- ` items)",
        "7: `alert` is a list; write a non-empty string",
        "9: `labels` of a rule is a list; write it as a mapping of `key: value` lines",
    ]


def test_every_error_of_every_file_is_reported(tmp_path: Path) -> None:
    bad = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up(\n      - alert: B\n"
    paths = [write_rules(tmp_path, f"{n}.yml", bad) for n in ("one", "two")]
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
    assert rule_errors(tmp_path, text) == ["0: nested too deeply to read; flatten it"]
