"""Acceptance: a team adds a second service beside what specs/ holds, and everything still works.

"Adding any valid service to specs/ must keep `make test` green": a copy of the specs (the
Brownie fixture, and the repository's own specs/) gets tests/fixtures/payments/payments.py, a
service with its own team, PagerDuty and Slack receivers (secrets by file) and alerts with
examples. `alertgen generate` and `alertgen check` must succeed on it, and the real tools must
accept what it wrote: `promtool check rules`, `promtool test rules`, `amtool check-config`, and
`amtool config routes test` for every alert's expected receivers.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import FIXTURES, REPO_SPECS, ROOT, SPECS, require_tool, run_tool
from .test_alertmanager_templates import _templates

PAYMENTS = FIXTURES / "payments" / "payments.py"
NAME = "payments"
# Where generate writes (README, "What it produces"); files on disk are the interface here.
RULES, TESTS = "prometheus/rules", "prometheus/tests"
CONFIGS = ("alertmanager/alertmanager.yml", "alertmanager/alertmanager.staging.yml")
ROUTING_TESTS = "alertmanager/routing-tests.yml"


def _free_name(specs: Path) -> str:
    """`payments`, or `payments2`, ... when the specs already use that word (file names included).

    Every name in the payments spec (service, team, receivers, metrics, alerts, job) contains
    it, so a rename keeps the added service clear of whatever the repository's specs declare.
    """
    used = "\n".join(f"{p.name}\n{p.read_text()}" for p in specs.glob("*.py")).lower()
    candidates = itertools.chain([NAME], (f"{NAME}{i}" for i in itertools.count(2)))
    return next(name for name in candidates if name not in used)


def _payments_source(name: str) -> str:
    source = PAYMENTS.read_text()
    return source.replace(NAME, name).replace(NAME.capitalize(), name.capitalize())


def _alertgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`alertgen ARGS` as a user runs it: a fresh process (`python -m generator` is the same program)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.promtool
@pytest.mark.amtool
@pytest.mark.parametrize("base", ["fixture", "repository"])
def test_a_second_service_generates_checks_and_passes_promtool_and_amtool(tmp_path: Path, base: str) -> None:
    promtool, amtool = require_tool("promtool"), require_tool("amtool")
    specs = tmp_path / "specs"
    source = SPECS if base == "fixture" else REPO_SPECS
    shutil.copytree(source, specs, ignore=shutil.ignore_patterns("__pycache__"))
    before = sorted(p.name for p in specs.glob("*.py"))
    name = _free_name(specs)
    (specs / f"{name}.py").write_text(_payments_source(name), encoding="utf-8")
    out = tmp_path / "output"

    proc = _alertgen("generate", "--specs", str(specs), "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for path in (
        f"{RULES}/{name}.rules.yml",
        f"{TESTS}/{name}.test.yml",
        f"grafana/dashboards/{name}.json",
        f"runbooks/{name}.md",
    ):
        assert f"added: {path}" in proc.stdout.splitlines(), proc.stdout
    rules = sorted((out / RULES).glob("*.yml"))
    tests = sorted((out / TESTS).glob("*.yml"))
    # Every service the copied specs held is still generated, beside the new one.
    assert len(rules) == len(tests) >= 2
    if base == "fixture":
        assert before == ["brownie_metadata.py"]
        assert (out / RULES / "brownie-metadata.rules.yml").is_file()

    proc = _alertgen("check", "--specs", str(specs), "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "alertgen check: 0 errors" in proc.stdout

    proc = run_tool(promtool, "check", "rules", "--lint-fatal", *map(str, rules))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("SUCCESS") == len(rules)
    proc = run_tool(promtool, "test", "rules", *(t.name for t in tests), cwd=out / TESTS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("SUCCESS") == len(tests)

    configs = [out / config for config in CONFIGS]
    for config in configs:
        proc = run_tool(amtool, "check-config", str(config))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "SUCCESS" in proc.stdout

    # The new team's receivers read their secrets from files.
    production = yaml.safe_load(configs[0].read_text())
    receivers: dict[str, dict[str, Any]] = {r["name"]: r for r in production["receivers"]}
    (pager,) = receivers[f"{name}-oncall"]["pagerduty_configs"]
    assert pager["routing_key_file"] == f"/etc/alertmanager/secrets/pagerduty-{name}-oncall"
    (chat,) = receivers[f"{name}-alerts"]["slack_configs"]
    assert chat["api_url_file"] == f"/etc/alertmanager/secrets/slack-{name}-alerts"

    # Staging differs as the spec declares: its own channel and webhook file, nobody paged.
    staging = yaml.safe_load(configs[1].read_text())
    staged: dict[str, dict[str, Any]] = {r["name"]: r for r in staging["receivers"]}
    (staging_chat,) = staged[f"{name}-alerts"]["slack_configs"]
    assert (staging_chat["channel"], staging_chat["api_url_file"]) == (
        f"#{name}-staging",
        f"/etc/alertmanager/secrets/slack-{name}-staging",
    )
    assert set(staged[f"{name}-oncall"]) == {"name"}
    # Pages carry the runbook, dashboard and silence links; every receiver template renders.
    assert [link["text"] for link in pager["links"]] == ["Runbook", "Dashboard", "Silence"]
    glob = out / "alertmanager" / "notifications.tmpl"
    for config in (production, staging):
        for where, text in _templates(config["receivers"]):
            proc = run_tool(
                amtool, "template", "render", f"--template.glob={glob}", f"--template.text={text}"
            )
            assert proc.returncode == 0, f"receivers.{where}: {proc.stderr}"

    # Each alert reaches whom its team says, in every written environment, as amtool routes it.
    expected: list[dict[str, Any]] = yaml.safe_load((out / ROUTING_TESTS).read_text())
    camel = name.capitalize()
    oncall_and_chat, chat_only = [f"{name}-oncall", f"{name}-alerts"], [f"{name}-alerts"]
    assert {e["alert"]: e["receivers"] for e in expected if e["service"] == name} == {
        f"{camel}Down": oncall_and_chat,
        f"{camel}ChargeFailuresCritical": oncall_and_chat,
        f"{camel}ChargeFailuresHigh": chat_only,
        f"{camel}SettlementBacklog": chat_only,
    }
    for config in configs:
        for entry in expected:
            labels = [f"{k}={v}" for k, v in sorted(entry["labels"].items())]
            proc = run_tool(
                amtool,
                "config",
                "routes",
                "test",
                f"--config.file={config}",
                f"--verify.receivers={','.join(entry['receivers'])}",
                *labels,
            )
            assert proc.returncode == 0, f"{config.name} {entry['alert']}: {proc.stdout}{proc.stderr}"
