"""The in-process router against Alertmanager's semantics and against amtool itself."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pipeline import Result
from generator.render.alertmanager import render_config
from generator.render.yamlout import dump
from generator.routing.matchers import Matcher, Op, parse_matcher, parse_matchers
from generator.routing.router import parse_inhibit_rules, parse_route, receivers

from .conftest import require_tool, run_tool

# --- matchers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "op", "value"),
    [
        ('severity="critical"', "severity", Op.EQ, "critical"),
        ("severity=critical", "severity", Op.EQ, "critical"),
        (' team != "a b" ', "team", Op.NE, "a b"),
        ('job=~"brownie-.*"', "job", Op.RE, "brownie-.*"),
        ('job!~"x|y"', "job", Op.NRE, "x|y"),
        (r'msg="say \"hi\"\n"', "msg", Op.EQ, 'say "hi"\n'),
        (r'path="C:\\x"', "path", Op.EQ, "C:\\x"),
        (r'odd="\d"', "odd", Op.EQ, r"\d"),
        ('empty=""', "empty", Op.EQ, ""),
    ],
)
def test_parse_matcher(text: str, name: str, op: Op, value: str) -> None:
    m = parse_matcher(text)
    assert (m.name, m.op, m.value) == (name, op, value)
    assert parse_matcher(str(m)) == m


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("severity", "bad matcher 'severity'; write name=\"value\" with one of = != =~ !~"),
        ('a="x', "matcher 'a=\"x' lacks its closing double quote"),
        ('a="x"y"', 'matcher \'a="x"y"\' has an unescaped double quote in its value'),
        ('a=~"("', "invalid regex '(': missing ), unterminated subpattern at position 0"),
        (
            'a=~"(?=x)"',
            "regex '(?=x)' uses lookaround or a backreference, which Alertmanager's Go regexes (RE2) do not support",
        ),
    ],
)
def test_bad_matchers(text: str, message: str) -> None:
    with pytest.raises(ValueError) as exc:
        parse_matcher(text)
    assert str(exc.value) == message


def test_matcher_lines_split_on_commas_outside_quotes() -> None:
    found = parse_matchers('{a="x,y", b=~"1|2"}')
    assert [str(m) for m in found] == ['a="x,y"', 'b=~"1|2"']


@pytest.mark.parametrize(
    ("matcher", "labels", "hit"),
    [
        (Matcher.of("a", "=", ""), {}, True),  # a missing label reads as ""
        (Matcher.of("a", "!=", "x"), {}, True),
        (Matcher.of("a", "=~", "x"), {"a": "xx"}, False),  # anchored at both ends
        (Matcher.of("a", "=~", "x|y"), {"a": "y"}, True),  # ^(?:x|y)$, not ^x|y$
        (Matcher.of("a", "=~", "x|y"), {"a": "ay"}, False),
        (Matcher.of("a", "=~", "x"), {"a": "x\n"}, False),  # $ is the end of the text
        (Matcher.of("a", "!~", ".+"), {}, True),
        (Matcher.of("a", "!~", ".*"), {}, False),
    ],
)
def test_matcher_semantics(matcher: Matcher, labels: dict[str, str], hit: bool) -> None:
    assert matcher.matches(labels) is hit


# --- routing semantics --------------------------------------------------------------------------

TREE: dict[str, Any] = {
    "route": {
        "receiver": "root",
        "routes": [
            {
                "matchers": ['team="a"'],
                "routes": [
                    {"receiver": "a-page", "matchers": ['severity="critical"'], "continue": True},
                    {"receiver": "a-chat", "matchers": ['severity=~"critical|warning"']},
                    {"receiver": "never", "matchers": ['severity="warning"']},
                ],
            },
            {"receiver": "legacy", "match": {"team": "b"}, "match_re": {"env": "prod|stage"}},
            {"receiver": "audit", "matchers": ['audit!=""'], "continue": True},
            {"receiver": "tail", "matchers": ['audit="yes"']},
        ],
    }
}


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ({"team": "a", "severity": "critical"}, ["a-page", "a-chat"]),
        ({"team": "a", "severity": "warning"}, ["a-chat"]),  # order: the earlier match wins
        ({"team": "a", "severity": "info"}, ["root"]),  # team node inherits the root receiver
        ({"team": "b", "env": "prod"}, ["legacy"]),
        ({"team": "b", "env": "production"}, ["root"]),  # match_re is anchored too
        ({"audit": "yes"}, ["audit", "tail"]),  # continue goes on to later siblings
        ({"audit": "no"}, ["audit"]),
        ({}, ["root"]),
    ],
)
def test_router_semantics(labels: dict[str, str], expected: list[str]) -> None:
    assert receivers(TREE, labels) == expected


def test_options_are_inherited() -> None:
    route = parse_route(
        {"receiver": "r", "group_by": ["alertname"], "group_wait": "5s", "routes": [{"matchers": ['a="x"']}]}
    )
    child = route.routes[0]
    assert (child.receiver, child.group_by, dict(child.timers)) == (
        "r",
        ("alertname",),
        {"group_wait": "5s", "group_interval": "5m", "repeat_interval": "4h"},
    )


def test_inhibit_rules() -> None:
    [rule] = parse_inhibit_rules(
        {
            "inhibit_rules": [
                {"source_matchers": ['a="crit"'], "target_matchers": ['a=~"crit|warn"'], "equal": ["job"]}
            ]
        }
    )
    assert rule.inhibits({"a": "crit", "job": "j"}, {"a": "warn", "job": "j"})
    assert not rule.inhibits({"a": "crit", "job": "j"}, {"a": "warn", "job": "k"})
    assert rule.inhibits({"a": "crit"}, {"a": "warn"})  # missing on both sides counts as equal
    # Both alerts match both sides: Alertmanager never lets such an alert mute another such one.
    assert not rule.inhibits({"a": "crit", "job": "j"}, {"a": "crit", "job": "j"})


# --- cross-checks with amtool -------------------------------------------------------------------


def _amtool(config: Path, labels: dict[str, str]) -> str:
    args = [f"{k}={v}" for k, v in sorted(labels.items())]
    proc = run_tool(require_tool("amtool"), "config", "routes", "test", f"--config.file={config}", *args)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.mark.amtool
def test_router_agrees_with_amtool_on_the_brownie_config(brownie: Result, tmp_path: Path) -> None:
    text = render_config(brownie.model, "production")
    config = tmp_path / "alertmanager.yml"
    config.write_text(text)
    data = yaml.safe_load(text)
    values = {
        "team": ["brownie", "other", None],
        "severity": ["critical", "warning", "info", None],
        "category": ["service", "business", None],
    }
    checked = 0
    for combo in itertools.product(*values.values()):
        labels = {"alertname": "X", **{k: v for k, v in zip(values, combo, strict=True) if v is not None}}
        assert ",".join(receivers(data, labels)) == _amtool(config, labels), labels
        checked += 1
    assert checked == 36


@pytest.mark.amtool
def test_router_agrees_with_amtool_on_the_semantics_table(tmp_path: Path) -> None:
    config = tmp_path / "tree.yml"
    names = {"root", "a-page", "a-chat", "never", "legacy", "audit", "tail"}
    config.write_text(dump({**TREE, "receivers": [{"name": n} for n in sorted(names)]}))
    for labels in (
        {"team": "a", "severity": "critical"},
        {"team": "b", "env": "production"},
        {"audit": "yes"},
    ):
        assert ",".join(receivers(TREE, labels)) == _amtool(config, labels)


# Random trees: small label and value sets so that matches, misses and `continue` all happen.
LABELS = ("a", "b", "c")
VALUES = ("x", "y", "xy")
EQ_VALUES = (*VALUES, "")
REGEXES = ("x", "x|y", "x.*", ".*", "y+", "", "[xy]{2}", "(x|)")
RECEIVERS = ("r0", "r1", "r2", "r3")


@st.composite
def matcher_lines(draw: st.DrawFn) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Matchers in the three forms Alertmanager reads: `matchers:` lines, `match`, `match_re`."""
    lines: list[str] = []
    match: dict[str, str] = {}
    match_re: dict[str, str] = {}
    for _ in range(draw(st.integers(0, 2))):
        name = draw(st.sampled_from(LABELS))
        op = draw(st.sampled_from(["=", "!=", "=~", "!~"]))
        value = draw(st.sampled_from(REGEXES if "~" in op else EQ_VALUES))
        form = draw(st.sampled_from(["quoted", "bare", "legacy"]))
        if form == "legacy" and op in ("=", "=~") and name not in match and name not in match_re:
            (match if op == "=" else match_re)[name] = value
        elif form == "bare" and value and op in ("=", "!="):
            lines.append(f"{name}{op}{value}")
        else:
            lines.append(str(Matcher.of(name, op, value)))
    if len(lines) > 1 and draw(st.booleans()):
        lines = ["{" + ", ".join(lines) + "}"]  # several matchers on one line
    return lines, match, match_re


@st.composite
def routes(draw: st.DrawFn, depth: int) -> dict[str, Any]:
    """A child route: maybe a receiver (else inherited), matchers, continue, children."""
    node: dict[str, Any] = {}
    receiver = draw(st.sampled_from((None, *RECEIVERS)))
    if receiver:
        node["receiver"] = receiver
    lines, match, match_re = draw(matcher_lines())
    if lines:
        node["matchers"] = lines
    if match:
        node["match"] = match
    if match_re:
        node["match_re"] = match_re
    if draw(st.booleans()):
        node["continue"] = True
    if depth > 0:
        children = draw(st.lists(routes(depth - 1), max_size=3))
        if children:
            node["routes"] = children
    return node


label_sets = st.lists(
    st.dictionaries(st.sampled_from(LABELS), st.sampled_from(VALUES), max_size=3), min_size=1, max_size=4
)


@pytest.mark.amtool
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(children=st.lists(routes(2), max_size=3), cases=label_sets)
def test_router_agrees_with_amtool_on_random_trees(
    tmp_path: Path, children: list[dict[str, Any]], cases: list[dict[str, str]]
) -> None:
    config: dict[str, Any] = {
        "route": {"receiver": "r0", **({"routes": children} if children else {})},
        "receivers": [{"name": n} for n in RECEIVERS],
    }
    path = tmp_path / "random.yml"
    path.write_text(dump(config))
    for labels in cases:
        labels = {"alertname": "Random", **labels}
        assert ",".join(receivers(config, labels)) == _amtool(path, labels), (config, labels)
