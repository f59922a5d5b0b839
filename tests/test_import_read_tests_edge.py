"""`alertgen import --tests` on small test files: defaults, selectors, every error, what is not kept."""

from __future__ import annotations

import textwrap
from pathlib import Path

from generator.importer.read_tests import read_tests
from generator.importer.source import Expected, SourceCase, Where
from generator.promql.concrete import series_labels

DURATION = "write a number and a unit (ms, s, m, h, d, w, y), largest unit first, e.g. '30s', '5m', '1h30m'"


def _write(tmp_path: Path, text: str, name: str = "t_tests.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def _read(path: Path) -> tuple[list[SourceCase], list[str], list[str]]:
    return read_tests([path])


def test_interval_name_and_defaults(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        evaluation_interval: 30s
        tests:
          - name: fires
            interval: 2m
            input_series:
              - series: up{job="a"}
                values: 1   0x3
              - series: 'up{job="b"}'
                values: 7
            alert_rule_test:
              - alertname: Down
          - interval: 0s
            alert_rule_test:
              - alertname: Down
                eval_time: 0
                exp_alerts:
                  - exp_labels: {code: 200}
        """,
    )
    cases, errors, not_kept = _read(path)
    assert (errors, not_kept) == ([], [])
    assert cases == [
        SourceCase(
            "Down",
            {'up{job="a"}': "1 0x3", 'up{job="b"}': "7"},
            "2m",
            "0s",
            (),
            Where(str(path), 11),
            "fires",
        ),
        # A zero interval is the file's evaluation_interval, as promtool takes it.
        SourceCase("Down", {}, "30s", "0s", (Expected({"code": "200"}, {}),), Where(str(path), 14)),
    ]
    no_interval = _write(tmp_path, "tests: [{alert_rule_test: [{alertname: A, eval_time: 5m}]}]\n", "n.yaml")
    assert _read(no_interval)[0][0].interval == "1m"


def test_selectors_are_canonical(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        r"""
        tests:
          - input_series:
              - series: "{__name__=\"m\",\n  a=\"x\\\"y\" }"
                values: '1'
              - series: 'n{ }'
                values: '1'
              - series: "o{a='b', c=`d`, }"
                values: '1'
            alert_rule_test:
              - alertname: A
        """,
    )
    cases, errors, _ = _read(path)
    assert errors == []
    assert list(cases[0].series) == ['m{a="x\\"y"}', "n", 'o{a="b",c="d"}']
    assert series_labels('m{a="x\\"y"}') == {"__name__": "m", "a": 'x"y'}


def test_errors_missing_invalid_and_not_test_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    invalid = _write(tmp_path, "tests:\n  - interval: 1m\n    input_series: [\n", "invalid.yaml")
    rules = _write(tmp_path, "groups: []\n", "rules.yaml")
    other = _write(tmp_path, "a: 1\n", "other.yaml")
    empty = _write(tmp_path, "", "empty.yaml")
    cases, errors, not_kept = read_tests([missing, invalid, rules, other, empty])
    assert (cases, not_kept) == ([], [])
    assert errors == [
        f"{missing}:0: cannot read the file: No such file or directory",
        f"{invalid}:4: invalid YAML: did not find expected node content",
        f"{rules}:1: not a promtool test file: it has no `tests:`; it looks like a rule file, "
        "which goes before --tests",
        f"{other}:1: not a promtool test file: it has no `tests:`",
        f"{empty}:0: not a promtool test file: it has no `tests:`",
    ]


def test_every_error_in_a_file_is_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        evaluation_interval: 1x
        tests:
          - interval: 1.5m
            input_series:
              - series: 'm{a="b"}'
                values: '1 abc'
              - series: 'sum(m)'
                values: '1'
              - series: 'm{a=~"b"}'
                values: '1'
              - series: 'm{a=}'
                values: '1'
              - serie: 'x'
            alert_rule_test:
              - eval_time: 15x
                alertname: A
              - eval_time: 1m
                alertname: A
                exp_alert: []
              - eval_time: 1m
                exp_alerts:
                  - exp_labels: {a: [1]}
                    exp_annotation: {}
            promql_expr_test:
              - expr: up
                eval_tim: 1m
          - intervals: 1m
            alert_rule_test:
              - alertname: A
                alertname: B
        """,
    )
    cases, errors, not_kept = _read(path)
    assert cases == []
    assert errors == [
        f"{path}:1: evaluation_interval: invalid duration '1x'; {DURATION}",
        f"{path}:3: interval: invalid duration '1.5m'; {DURATION}",
        f"{path}:6: series 'm{{a=\"b\"}}': 'abc' in '1 abc' is not promtool's notation; write numbers, "
        "'_' (missing), 'stale', or expanding forms such as '0+10x20', '5x3', '_x2'",
        f"{path}:7: input series 'sum(m)' is not a series selector like name{{label=\"value\"}}",
        f"{path}:9: input series 'm{{a=~\"b\"}}' must use '=' for every label",
        f"{path}:11: input series 'm{{a=}}' is not a series selector like name{{label=\"value\"}} "
        "(invalid promql query)",
        f"{path}:13: unknown key 'serie' in an input_series entry; did you mean 'series'?",
        f"{path}:13: input_series entry has no `series:`",
        f"{path}:15: eval_time: invalid duration '15x'; {DURATION}",
        f"{path}:19: unknown key 'exp_alert' in an alert_rule_test entry; did you mean 'exp_alerts'?",
        f"{path}:20: alert_rule_test entry has no `alertname:`",
        f"{path}:22: exp_labels 'a' must be text, not a list",
        f"{path}:23: unknown key 'exp_annotation' in an exp_alerts entry; did you mean 'exp_annotations'?",
        f"{path}:26: unknown key 'eval_tim' in a promql_expr_test entry; did you mean 'eval_time'?",
        f"{path}:27: unknown key 'intervals' in a test; did you mean 'interval'?",
        f"{path}:30: an alert_rule_test entry: 'alertname' is given twice (promtool refuses the file)",
    ]
    assert not_kept == [
        f"{path}:25: promql_expr_test of `up`: not an alert example; kept in the peer's test file only"
    ]


def test_errors_for_shapes_and_unknown_keys_without_a_close_match(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        tests:
          - input_series: {series: m}
            zzz: 1
            alert_rule_test:
              - alertname: [A]
              - 5
          - []
        """,
    )
    cases, errors, _ = _read(path)
    assert cases == []
    assert errors == [
        f"{path}:2: input_series must be a list, not a mapping",
        f"{path}:3: unknown key 'zzz' in a test; known keys: interval, input_series, name, start_timestamp, "
        "alert_rule_test, promql_expr_test, external_labels, external_url",
        f"{path}:5: alertname must be text, not a list",
        f"{path}:6: an alert_rule_test entry must be a mapping, not text",
        f"{path}:7: a test must be a mapping, not a list",
    ]


def test_what_a_spec_example_cannot_carry_is_not_kept(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        rule_files: [r.yaml]
        group_eval_order: [a, b]
        fuzzy_compare: true
        tests:
          - name: t
            external_labels: {cluster: c}
            external_url: http://x
            start_timestamp: 1609459200
            input_series:
              - series: h
                values: '{{schema:0 sum:1 count:1}}x3'
              - series: m{a="b"}
                values: '5x3'
              - series: none
                values: ''
              - series: 'm{ a="b" }'
                values: '1x3'
            alert_rule_test:
              - alertname: A
                eval_time: 1m
        """,
    )
    cases, errors, not_kept = _read(path)
    assert errors == []
    assert [c.series for c in cases] == [{'m{a="b"}': "1x3"}]
    assert not_kept == [
        f"{path}:2: group_eval_order: a spec example cannot set the order promtool evaluates rule groups "
        "in; cases that depend on it may not pass",
        f"{path}:3: fuzzy_compare: it loosens only promql_expr_test values, which are not imported",
        f"{path}:6: external_labels: a spec example cannot set it; templates that read $externalLabels "
        "render without it there",
        f"{path}:7: external_url: a spec example cannot set it; templates that read $externalURL render "
        "without it there",
        f"{path}:8: start_timestamp: a spec example starts at time 0 (1970-01-01); alerts that read time() "
        "or its functions may not fire as the peer's test expects",
        f"{path}:10: input series h: native histogram values; a spec example takes float samples only, "
        "so its cases leave the series out",
        f'{path}:12: input series m{{a="b"}}: given again at line 16; promtool uses those values',
        f"{path}:14: input series none: no values; promtool loads no sample for it, and its cases leave it out",
    ]


def test_yaml_merge_keys_and_anchors_read_as_promtool_reads_them(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        tests:
          - input_series:
              - &s {series: up, values: '1x5'}
            alert_rule_test:
              - &case
                alertname: A
                eval_time: 5m
                exp_alerts:
                  - exp_labels: &labels {severity: page}
                    exp_annotations: {summary: s}
              - <<: *case
                eval_time: 6m
              - <<: [{alertname: B}, *case]
        """,
    )
    cases, errors, _ = _read(path)
    assert errors == []
    assert [(c.alertname, c.eval_time) for c in cases] == [("A", "5m"), ("A", "6m"), ("B", "5m")]
    assert all(c.expected == (Expected({"severity": "page"}, {"summary": "s"}),) for c in cases)
    assert all(c.series == {"up": "1x5"} for c in cases)


def test_a_merge_of_itself_is_an_error_not_a_hang(tmp_path: Path) -> None:
    path = _write(tmp_path, "tests: &t\n  - &g {<<: *g}\n")
    _, errors, _ = _read(path)
    assert errors == [f"{path}:2: a `<<` merge includes the mapping it is in"]
