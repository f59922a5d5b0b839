"""Conventions, expr= alerts and shared names: each mistake one exact line, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

BASE = (Path(__file__).parent / "badspecs" / "base.py.txt").read_text()
HOUSE = "from generator import Conventions\n\nconventions = Conventions({})\n"
IMPORT = "from teams import conventions  # noqa: F401\n"
TIER = 'name="ShopHighErrorRate",'


def _spec(*subs: tuple[str, str], head: str = "") -> str:
    source = BASE
    for old, new in subs:
        assert old in source, f"case text not in base spec: {old!r}"
        source = source.replace(old, new, 1)
    return head + source


# (case id, spec modules, the error lines; line numbers count the `head` lines)
CASES: list[tuple[str, dict[str, str], list[str]]] = [
    (
        "conventions-not-imported",
        {"teams.py": HOUSE.format('team_label="owner"'), "shop.py": _spec()},
        [
            "specs/shop.py:26: Service 'shop': built with the default conventions, but specs/teams.py:3 "
            "declares Conventions; import them into shop.py (e.g. `from teams import conventions`)"
        ],
    ),
    (
        "a-label-the-renamed-convention-sets",
        {
            "teams.py": HOUSE.format('team_label="owner"'),
            "shop.py": _spec((TIER, TIER + ' labels={"owner": "someone"},'), head=IMPORT),
        },
        [
            "specs/shop.py:12: Alert 'ShopHighErrorRate': labels set owner='someone', but alertgen sets "
            "owner='shop-team' (from team= or Service.team); remove it from labels=, or rename or turn off "
            "that label in Conventions"
        ],
    ),
    (
        "an-annotation-alertgen-writes",
        {
            "shop.py": _spec(
                (TIER, TIER + ' annotations={"summary": "x", "runbook_url": "https://x.example/"},')
            )
        },
        [
            "specs/shop.py:11: Alert 'ShopHighErrorRate': annotations set 'summary'; write it as summary= instead",
            "specs/shop.py:11: Alert 'ShopHighErrorRate': annotations set runbook_url='https://x.example/', but "
            "alertgen sets runbook_url from runbook_url= "
            "('https://example.com/runbooks/shop.md#shop-high-error-rate'); remove it from annotations= or "
            "rename the convention",
        ],
    ),
    (
        "a-severity-not-in-the-vocabulary",
        {
            "shop.py": _spec(
                (
                    "alerts=(tiers,)",
                    'alerts=(tiers, Alert(name="ShopDown", expr="up == 0", severity="page", '
                    'summary="down", runbook=RUNBOOK))',
                ),
                ("from generator import", "from generator import Alert,"),
            )
        },
        [
            "specs/shop.py:32: Alert 'ShopDown': severity 'page' is not one of this repository's severities "
            "('critical', 'warning', 'info'); use one, or list it in Conventions(severities=...)"
        ],
    ),
    (
        "tiers-with-one-severity",
        {"teams.py": HOUSE.format('severities=("page",)'), "shop.py": _spec(head=IMPORT)},
        [
            "specs/shop.py:10: Alert 'ShopHighErrorRate/ShopCriticalErrorRate': tiers take the two most "
            "urgent severities, but Conventions(severities=...) lists only 'page'; list two or write two Alerts"
        ],
    ),
    (
        "expr-and-threshold",
        {
            "shop.py": _spec(
                (
                    "alerts=(tiers,)",
                    'alerts=(tiers, Alert(name="ShopDown", expr="up == 0", threshold=1, '
                    'severity="critical", summary="down", runbook=RUNBOOK))',
                ),
                ("from generator import", "from generator import Alert,"),
            )
        },
        [
            "specs/shop.py:32: Alert 'ShopDown': expr= is the whole condition: remove threshold=, op= and "
            "absent=, or drop expr="
        ],
    ),
    (
        "expr-reading-an-unknown-series",
        {
            "shop.py": _spec(
                (
                    "alerts=(tiers,)",
                    'alerts=(tiers, Alert(name="ShopDown", expr="shop_up == 0", '
                    'severity="critical", summary="down", runbook=RUNBOOK))',
                ),
                ("from generator import", "from generator import Alert,"),
            )
        },
        [
            "specs/shop.py:32: Alert 'ShopDown': series 'shop_up' is neither in the metric catalog nor "
            "recorded by a signal of this service; add it to metrics= (a record made elsewhere too) or fix "
            "the name"
        ],
    ),
]


CYCLE = """
a = Signal(name="a", expr="b:x:y + 1", unit="short", record="a:x:y")
b = Signal(name="b", expr="a:x:y + 1", unit="short", record="b:x:y")
"""
CASES += [
    (
        "records-reading-each-other",
        {
            "shop.py": _spec(
                ("RUNBOOK = ", CYCLE + "RUNBOOK = "),
                ("alerts=(tiers,)", "alerts=(tiers,), signals=(a, b)"),
            )
        },
        [
            "specs/shop.py:9: Signal 'a': its expr reads records that read it back (a cycle); record the "
            "shared part once",
            "specs/shop.py:10: Signal 'b': its expr reads records that read it back (a cycle); record the "
            "shared part once",
        ],
    ),
    (
        "a-rule-in-two-groups",
        {
            "shop.py": _spec(
                (
                    "alerts=(tiers,)",
                    'alerts=(tiers,), groups=(Group(name="one", rules=(tiers,)), Group(name="two", rules=(tiers,)))',
                ),
                ("from generator import", "from generator import Group,"),
            )
        },
        [
            "specs/shop.py:32: Group 'two': alert 'ShopHighErrorRate/ShopCriticalErrorRate' is already in "
            "group 'one'; a rule belongs to one group"
        ],
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], expected: list[str]
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    for name, text in files.items():
        (specs / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["generate", "--specs", "specs", "--out", "out"])
    n = len(expected)
    assert result.stderr.splitlines() == [
        *expected,
        f"alertgen: {n} error{'s' if n != 1 else ''} in specs; nothing written",
    ]
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists()
