"""alertgen's SLO alerts fire when Sloth's do: Sloth's example specs imported and generated, fed
the same series as the rules Sloth generated from them, page against page and ticket against
ticket at every evaluation, promtool evaluating both.

Each profile starts a burn after 20 minutes and stops it at 100, so the windows fill and drain
at their own pace; what fires is read from promtool's own report of each evaluation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

from .conftest import SHARED, require_tool, run_tool

SLOTH = SHARED / "corpus" / "sloth"
TIMES = [f"{m}m" for m in range(5, 181, 5)]


def _requests(job: str, per_minute: int, failing: float) -> dict[str, str]:
    """Requests of `job`: `failing` of them 5xx from minute 20 to 100, none before or after."""
    bad = round(per_minute * failing, 6)
    return {
        f'http_request_duration_seconds_count{{job="{job}",code="500"}}': f"0x20 0+{bad}x80 {bad * 80}x80",
        f'http_request_duration_seconds_count{{job="{job}",code="200"}}': f"0+{per_minute}x180",
    }


def _clients(bad: int, low: str = "0.3", total: int = 10) -> dict[str, str]:
    """Wifi clients' satisfaction: `bad` of them at `low` from minute 20 to 100, the rest at 0.99."""
    out = {}
    for n in range(total):
        level = low if n < bad else "0.99"
        out[f'unifipoller_client_satisfaction_ratio{{client="c{n}"}}'] = f"0.99x20 {level}x80 0.99x80"
    return out


# Per Sloth example (examples_<name>.yml, Sloth's rules in examples__gen_<name>.yml): the profiles.
EXAMPLES = {
    "getting-started": {
        "fast burn": _requests("myservice", 100, 0.03),
        "slow burn": _requests("myservice", 100, 0.004),
        "within budget": _requests("myservice", 100, 0.0005),
    },
    # Below 0.75 is bad for one SLO, below 0.5 for the other: the slow burn stays between.
    "home-wifi": {"fast burn": _clients(4), "slow burn": _clients(1, "0.6"), "within budget": _clients(0)},
    "raw-home-wifi": {"fast burn": _clients(6), "slow burn": _clients(2), "within budget": _clients(0)},
}


def _timeline(
    promtool: str, rules: list[Path], series: dict[str, str], names: list[str], tmp: Path
) -> set[tuple]:
    """(alert, time, page|ticket) of every alert that fires, as promtool reports it."""
    # promtool evaluates groups in random order unless told: the files' order (records before the
    # alerts that read them) for both rule sets alike, so that a burn's edges are not a coin toss.
    order = [g["name"] for r in rules for g in yaml.safe_load(r.read_text())["groups"]]
    test = {
        "rule_files": [str(r) for r in rules],
        "evaluation_interval": "1m",
        "group_eval_order": order,
        "tests": [
            {
                "interval": "1m",
                "input_series": [{"series": s, "values": v} for s, v in series.items()],
                "alert_rule_test": [
                    {"eval_time": t, "alertname": n, "exp_alerts": []} for n in names for t in TIMES
                ],
            }
        ],
    }
    path = tmp / "timeline.yml"
    path.write_text(yaml.safe_dump(test, sort_keys=False))
    ran = run_tool(promtool, "test", "rules", str(path))
    report = ran.stdout + ran.stderr
    fired = set()
    for block in re.split(r"\n\s*alertname: ", report)[1:]:
        name, time = re.match(r"(\S+), time: (\S+),", block).groups()  # type: ignore[union-attr]
        for kind in re.findall(r'sloth_severity="(\w+)"', block.split("got:", 1)[1]):
            fired.add((name, time, kind))
    return fired


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_alerts_fire_when_sloths_do(example: str, tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    specs, out = tmp_path / "specs", tmp_path / "out"
    imported = CliRunner().invoke(
        main, ["import", str(SLOTH / f"examples_{example}.yml"), "--out", str(specs)]
    )
    assert imported.exit_code == 0, imported.output + imported.stderr
    generated = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(out)])
    assert generated.exit_code == 0, generated.output + generated.stderr
    sloth = SLOTH / f"examples__gen_{example}.yml"
    names = sorted(
        {r["alert"] for g in yaml.safe_load(sloth.read_text())["groups"] for r in g["rules"] if "alert" in r}
    )
    ours = sorted((out / "prometheus" / "rules").glob("*.yml"))
    for profile, series in EXAMPLES[example].items():
        theirs_fired = _timeline(promtool, [sloth], series, names, tmp_path)
        ours_fired = _timeline(promtool, ours, series, names, tmp_path)
        assert ours_fired == theirs_fired, (
            f"{profile}: only Sloth's {sorted(theirs_fired - ours_fired)}, only ours {sorted(ours_fired - theirs_fired)}"
        )
        kinds = {kind for _, _, kind in theirs_fired}
        # The profiles do what they say, so the comparison is not vacuous.
        assert (
            kinds
            == {"fast burn": {"page", "ticket"}, "slow burn": {"ticket"}, "within budget": set()}[profile]
        )
