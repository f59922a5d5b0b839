"""`read_rules` errors in groups and rules: one exact `path:line: message` each, all of a file's reported."""

from __future__ import annotations

from pathlib import Path

from tests.read_rules_helpers import read_clean, rule_errors

DURATION = "write a number and a unit (ms, s, m, h, d, w, y), largest unit first, e.g. '30s', '5m', '1h30m'"


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
    assert rule_errors(tmp_path, text) == [
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
    assert rule_errors(tmp_path, text) == [
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
    assert rule_errors(tmp_path, text) == [
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
    assert rule_errors(tmp_path, text) == [
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
    assert rule_errors(tmp_path, text) == [
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
    assert rule_errors(tmp_path, text) == [
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
    assert rule_errors(tmp_path, text) == ["7: a second group `g` (first: line 2); rename or merge"]


def test_groups_of_one_name_in_two_documents_are_two_files(tmp_path: Path) -> None:
    files = read_clean(tmp_path, "groups: [{name: g, rules: []}]\n---\ngroups: [{name: g, rules: []}]\n")
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
    assert rule_errors(tmp_path, text) == [
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
    assert rule_errors(tmp_path, text) == []


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
    assert rule_errors(tmp_path, text) == [
        "6: recording rule `r` has `for` (alerts only); remove it",
        "9: recording rule `r` has `annotations` (alerts only); remove it",
    ]
