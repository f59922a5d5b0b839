"""Peers' own promtool tests, run unchanged (but for `rule_files:`) against rules alertgen generated.

Each folder under tests/peers/ is one peer's rules written as alertgen specs, as its team would
write them. The peer's test file from ../shared/corpus is the judge: every case passes, and the
test is not vacuous (some of its cases fail against an empty rule file).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

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
