"""Peers' own promtool tests, run unchanged (but for `rule_files:`) against rules alertgen generated.

Each folder under tests/peers/ is one peer's rules written as alertgen specs, as its team would
write them. The peer's test file from ../shared/corpus is the judge: every case passes, and the
test is not vacuous (some of its cases fail against an empty rule file).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from promql_parser import display_duration, parse_duration
from promql_parser import parse as parse_promql

from generator.cli import main

from .conftest import ROOT, SHARED, require_tool, run_tool

PEERS_DIR = ROOT / "tests" / "peers"
# Each peer's own test file in the shared corpus.
TESTS = {
    "fastly": "govuk-helm-charts/fastly_tests.yaml",
    "router": "govuk-helm-charts/router_tests.yaml",
    "whitehall": "govuk-helm-charts/whitehall_tests.yaml",
    "chat_ai": "govuk-helm-charts/chat_ai_tests.yaml",
    "search_api_alerts": "govuk-helm-charts/search_api_alerts_tests.yaml",
    "thanos": "thanos/tests.yaml",
}
# Each peer's own rule files in the shared corpus.
SOURCES = {
    "fastly": ["govuk-helm-charts/fastly.yaml"],
    "router": ["govuk-helm-charts/router.yaml"],
    "whitehall": ["govuk-helm-charts/whitehall.yaml"],
    "chat_ai": ["govuk-helm-charts/chat_ai.yaml"],
    "search_api_alerts": ["govuk-helm-charts/search_api_alerts.yaml"],
    "thanos": ["thanos/alerts.yaml", "thanos/rules.yaml"],
}
# Groups of a peer's rule files that alertgen cannot write, with why: only these may be missing.
ALLOWED_MISSING_GROUPS: dict[str, set[str]] = {}
PEERS = sorted(p.name for p in PEERS_DIR.iterdir() if p.is_dir() and any(p.glob("*.py")))


def _with_rules(test_file: Path, rules: list[Path], into: Path) -> Path:
    """The peer's test file with only `rule_files:` changed, written to `into`."""
    doc = yaml.safe_load(test_file.read_text())
    doc["rule_files"] = [str(r) for r in rules]
    into.write_text(yaml.safe_dump(doc, sort_keys=False))
    return into


def test_every_peer_folder_has_its_test_file() -> None:
    assert PEERS, "no peer specs under tests/peers"
    assert set(PEERS) == set(TESTS) == set(SOURCES), "every peer has specs, its test file and its rules"


@pytest.mark.parametrize("peer", PEERS)
def test_peer_suite_passes_on_generated_rules(peer: str, tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["generate", "--specs", str(PEERS_DIR / peer), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rules = sorted((out / "prometheus" / "rules").glob("*.yml"))
    assert rules
    source = SHARED / "corpus" / TESTS[peer]

    empty = tmp_path / "empty.rules.yml"
    empty.write_text("groups: []\n")
    vacuous = run_tool(promtool, "test", "rules", str(_with_rules(source, [empty], tmp_path / "e.yaml")))
    assert vacuous.returncode != 0, f"{peer}: the peer's tests pass without any rule; they prove nothing"

    ours = run_tool(promtool, "test", "rules", str(_with_rules(source, rules, tmp_path / "t.yaml")))
    assert ours.returncode == 0, f"{peer}:\n{ours.stdout}\n{ours.stderr}"
    assert "SUCCESS" in ours.stdout + ours.stderr


@pytest.mark.parametrize("peer", PEERS)
def test_peer_generated_rules_lint_as_the_peers_do(peer: str, tmp_path: Path) -> None:
    """promtool's lint finds in the generated rules what it finds in the peer's own (nothing, or
    GOV.UK search-api's alerts of one name and labels, which alertgen warns about)."""
    promtool = require_tool("promtool")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["generate", "--specs", str(PEERS_DIR / peer), "--out", str(out)])
    assert result.exit_code == 0, result.output
    sources = SOURCES[peer]
    theirs = [_lint(promtool, SHARED / "corpus" / path) for path in sources]
    ours = [_lint(promtool, path) for path in sorted((out / "prometheus" / "rules").glob("*.yml"))]
    assert sorted(set().union(*ours)) == sorted(set().union(*theirs))
    if any(theirs):
        checked = CliRunner().invoke(main, ["check", "--specs", str(PEERS_DIR / peer), "--out", str(out)])
        assert "warning rule/alerts-merge" in checked.output


def _lint(promtool: str, path: Path) -> set[str]:
    """promtool's lint findings on a rule file (the lines after its first), as a set."""
    checked = run_tool(promtool, "check", "rules", "--lint-fatal", str(path))
    if checked.returncode == 0:
        return set()
    text = checked.stdout + checked.stderr
    return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("Checking ")}


@pytest.mark.parametrize("peer", PEERS)
def test_peer_rules_equal_the_peers(peer: str, tmp_path: Path) -> None:
    """The generated rule files hold the peer's groups and rules, field by field, in its order."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["generate", "--specs", str(PEERS_DIR / peer), "--out", str(out)])
    assert result.exit_code == 0, result.output
    theirs = _groups([SHARED / "corpus" / path for path in SOURCES[peer]])
    ours = _groups(sorted((out / "prometheus" / "rules").glob("*.yml")))
    allowed = ALLOWED_MISSING_GROUPS.get(peer, set())
    assert allowed <= theirs.keys() - ours.keys(), f"{peer}: an allowance no longer needed"
    differences = [
        f"{name}: group: present != missing" for name in sorted(theirs.keys() - ours.keys() - allowed)
    ]
    differences += [f"{name}: group: missing != present" for name in sorted(ours.keys() - theirs.keys())]
    for name in sorted(theirs.keys() & ours.keys()):
        differences += _group_differences(name, theirs[name], ours[name])
    assert not differences, f"{peer} (theirs != ours):\n" + "\n".join(differences)


def _groups(paths: list[Path]) -> dict[str, dict]:
    """The rule groups of these files by name (names are unique across a peer's files)."""
    groups: dict[str, dict] = {}
    for path in paths:
        for group in yaml.safe_load(path.read_text()).get("groups") or []:
            assert group["name"] not in groups, f"{path}: group {group['name']} twice"
            groups[group["name"]] = group
    return groups


def _group_differences(group: str, theirs: dict, ours: dict) -> list[str]:
    """Differences in a group's interval, limit and rules (compared in order)."""
    differences = [
        f"{group}: {field}: {theirs.get(field, default)!r} != {ours.get(field, default)!r}"
        for field, default in (("interval", None), ("limit", 0))
        if theirs.get(field, default) != ours.get(field, default)
    ]
    their_rules, our_rules = theirs.get("rules") or [], ours.get("rules") or []
    for their_rule, our_rule in zip(their_rules, our_rules, strict=False):
        differences += _rule_differences(f"{group}/{_rule_name(their_rule)}", their_rule, our_rule)
    differences += [
        f"{group}/{_rule_name(r)}: rule: present != missing" for r in their_rules[len(our_rules) :]
    ]
    differences += [
        f"{group}/{_rule_name(r)}: rule: missing != present" for r in our_rules[len(their_rules) :]
    ]
    return differences


def _rule_name(rule: dict) -> str:
    return rule.get("record") or rule.get("alert") or "?"


def _rule_differences(where: str, theirs: dict, ours: dict) -> list[str]:
    """Differences in one rule's fields; `for` and `keep_firing_for` absent equal "0s"."""
    fields = {
        "record": lambda rule: rule.get("record"),
        "alert": lambda rule: rule.get("alert"),
        "labels": lambda rule: rule.get("labels") or {},
        "annotations": lambda rule: rule.get("annotations") or {},
        "for": lambda rule: _duration(rule.get("for")),
        "keep_firing_for": lambda rule: _duration(rule.get("keep_firing_for")),
        "expr": lambda rule: _promql(rule.get("expr")),
    }
    return [
        f"{where}: {field}: {value(theirs)!r} != {value(ours)!r}"
        for field, value in fields.items()
        if value(theirs) != value(ours)
    ]


def _duration(value: object) -> str:
    """A duration in Prometheus' shortest form ("0s" when absent)."""
    text = "0s" if value is None else str(value)
    if re.fullmatch(r"(0+(ms|[smhdwy]))+", text):  # parse_duration refuses a zero duration
        return "0s"
    return display_duration(parse_duration(text))


def _promql(expr: object) -> str:
    """An expression as promql_parser prints it, so layout and redundant spacing do not count."""
    text = str(expr)
    try:
        return parse_promql(text).prettify()
    except ValueError:
        return " ".join(text.split())
