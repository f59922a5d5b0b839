"""A panel on a signal that reads another signal's record: matchers only for labels it keeps.

tests/fixtures/record_reader: `orders_rate_peak` reads the record of `orders_rate`, which
aggregates every label away, while another signal keeps namespace and instance, so the
dashboard has those variables. generate used to match the peak's panel on them and then refuse
its own dashboard (dashboard/filter-dropped, issue 20).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from generator.cli import EXIT_CHECK, main

from .conftest import FIXTURES

SPECS = FIXTURES / "record_reader"
DASHBOARD = Path("grafana") / "dashboards" / "orders.json"
PEAK = "service:orders:rate5m_max1h"


def _generate(out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["generate", "--specs", str(SPECS), "--out", str(out)])
    return result.exit_code, result.stderr


def _targets(out: Path) -> dict[str, list[str]]:
    """Each signal panel's title and its queries."""
    board: dict[str, Any] = json.loads((out / DASHBOARD).read_text())
    return {
        p["title"]: [t["expr"] for t in p.get("targets", ())]
        for p in board["panels"]
        if p["type"] == "timeseries"
    }


def test_generate_accepts_a_panel_on_a_record_that_keeps_no_label(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stderr = _generate(out)
    assert code == 0, stderr
    assert "dashboard/filter-dropped" not in stderr
    assert _targets(out) == {
        "Peak orders": [PEAK],
        "Orders by instance": [
            "instance_job_namespace:orders:orders_rate_by_instance"
            '{job=~"$job",namespace=~"$namespace",instance=~"$instance"}'
        ],
        "Orders": ["service:orders:rate5m"],
    }


def test_a_hand_added_matcher_on_a_dropped_label_is_still_reported(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(out)[0] == 0
    board = out / DASHBOARD
    text = board.read_text()
    query = f'"expr": "{PEAK}"'
    assert text.count(query) == 1
    board.write_text(text.replace(query, f'"expr": "{PEAK}{{namespace=~\\"$namespace\\"}}"'))
    panel = next(p for p in json.loads(board.read_text())["panels"] if p["title"] == "Peak orders")
    line = text[: text.index(f'"id": {panel["id"]},')].count("\n") + 1

    result = CliRunner().invoke(main, ["check", "--specs", str(SPECS), "--out", str(out)])
    assert result.exit_code == EXIT_CHECK
    assert result.stdout.splitlines()[:-1] == [
        f"{out / DASHBOARD}:{line}: error dashboard/filter-dropped: panel 'Peak orders' (id {panel['id']}) "
        f"matches namespace=~\"$namespace\" on {PEAK}, whose expression does not keep 'namespace', so the "
        "panel is empty once a value of namespace is chosen; remove the matcher from the query (generate "
        "adds one only where the record keeps the label) or keep namespace in the recording rule's "
        "aggregation"
    ]
