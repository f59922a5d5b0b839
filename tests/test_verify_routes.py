"""`alertgen verify` runs amtool once per label set a config can route differently, and still
gives each alert its own verdict (generator/verify_routes.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.verify_routes import route_matchers, routed

from .conftest import require_tool

ROUTING = Path("alertmanager/routing-tests.yml")


def _config(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "alertmanager.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_matchers_are_read_from_every_route_of_the_tree(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        {
            "inhibit_rules": [{"source_matchers": ['alertname="Down"']}],
            "route": {
                "receiver": "default",
                "group_by": ["alertname"],
                "routes": [
                    {"matchers": ['team="shop"', "env=~prod|staging"], "routes": [{"match": {"tier": "db"}}]},
                    {"match_re": {"zone": "eu-.*"}},
                ],
            },
        },
    )
    matchers = route_matchers(config)
    assert matchers is not None
    assert sorted(matchers.splitlines()) == sorted(['team="shop"', "env=~prod|staging", "tier", "zone"])
    labels = (("alertname", "A"), ("env", "prod"), ("instance", "x"), ("team", "shop"), ("zone", "eu-1"))
    # Group_by and inhibit rules do not route: alertname and instance cannot change the receivers.
    assert routed(labels, matchers) == (("env", "prod"), ("team", "shop"), ("zone", "eu-1"))


@pytest.mark.parametrize(
    "data",
    [
        ["not", "a", "mapping"],
        {"route": "default"},
        {"route": {"receiver": "a", "matchers": 'team="shop"'}},
        {"route": {"receiver": "a", "match": ["team"]}},
        {"route": {"receiver": "a", "routes": {"receiver": "b"}}},
        {"route": {"receiver": "a", "routes": ["b"]}},
    ],
)
def test_a_config_that_is_not_a_route_tree_keeps_every_label(tmp_path: Path, data: object) -> None:
    matchers = route_matchers(_config(tmp_path, data))
    assert matchers is None
    labels = (("alertname", "A"), ("team", "shop"))
    assert routed(labels, matchers) == labels


def test_a_label_name_written_otherwise_than_itself_is_kept() -> None:
    assert routed((("a b", "1"), ("team", "x"), ("zone", "y")), 'team="x"') == (("a b", "1"), ("team", "x"))


@pytest.mark.promtool
@pytest.mark.amtool
def test_alerts_routed_alike_share_an_amtool_run_and_keep_their_verdicts(
    brownie_output: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tool("promtool")
    amtool = require_tool("amtool")
    out = tmp_path / "out"
    shutil.copytree(brownie_output, out)
    cases = yaml.safe_load((out / ROUTING).read_text())
    # Two more alerts labelled as the first but for their names: one expects what the first
    # does, one expects another receiver and must fail on its own.
    first = cases[0]
    same = {**first, "alert": "CopyAlike", "labels": {**first["labels"], "alertname": "CopyAlike"}}
    wrong = {**same, "alert": "CopyWrong", "receivers": ["nobody"]}
    wrong["labels"] = {**first["labels"], "alertname": "CopyWrong"}
    (out / ROUTING).write_text(yaml.safe_dump([*cases, same, wrong], sort_keys=False))
    log = tmp_path / "calls.log"
    shim = tmp_path / "bin" / "amtool"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{amtool}" "$@"\n')
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim.parent}:{Path(amtool).parent}:/usr/bin:/bin")

    result = CliRunner().invoke(main, ["verify", "--out", str(out), "-j", "2"])

    configs = sorted((out / "alertmanager").glob("alertmanager*.yml"))
    production, staging = out / "alertmanager/alertmanager.yml", out / "alertmanager/alertmanager.staging.yml"
    assert len(configs) == 2
    lines = result.stdout.splitlines()
    reached = ",".join(first["receivers"])  # the routing tests expect it in every config
    assert result.exit_code == 1
    assert lines[:-1] == [
        f"verify: amtool config routes test {production} alert CopyWrong ({first['service']}): "
        f"reached {reached}, expected nobody",
        f"verify: amtool config routes test {staging} alert CopyWrong ({first['service']}): "
        f"reached {reached}, expected nobody",
    ]
    total = len(cases) + 2
    assert (
        f"amtool config routes test {2 * total - 2}/{2 * total} routes ok ({total} alerts, 2 configs)"
        in lines[-1]
    )
    runs = [line for line in log.read_text().splitlines() if line.startswith("config routes test")]
    keys = {
        (config, routed(_labels(case), route_matchers(config)), tuple(case["receivers"]))
        for config in configs
        for case in [*cases, same, wrong]
    }
    # One run per distinct key: the alike copy shares the first alert's, the wrong one has its own.
    assert len(runs) == len(keys) < 2 * total


def _labels(case: dict[str, object]) -> tuple[tuple[str, str], ...]:
    labels = case["labels"]
    assert isinstance(labels, dict)
    return tuple(sorted((str(k), str(v)) for k, v in labels.items()))
