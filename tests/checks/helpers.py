"""Helpers of the check tests: the small `shop` service's output, edited by hand, checked."""

from __future__ import annotations

import functools
from pathlib import Path

from generator.checks import Finding
from generator.checks.report import text
from generator.pipeline import Result, run

SHOP_SPECS = Path(__file__).resolve().parent / "specs"
RULES = "prometheus/rules/shop.rules.yml"
TESTS = "prometheus/tests/shop.test.yml"
DASHBOARD = "grafana/dashboards/shop.json"
RUNBOOK = "runbooks/shop.md"
INDEX = "runbooks/README.md"
ALERTMANAGER = "alertmanager/alertmanager.yml"

Edits = dict[str, list[tuple[str, str]]]


@functools.cache
def shop() -> Result:
    """The shop spec loaded, built and rendered once."""
    return run(SHOP_SPECS)


def edited(edits: Edits) -> dict[str, str]:
    """The shop output with each `(old, new)` replaced once; a missing `old` fails the test."""
    files = dict(shop().texts)
    for path, changes in edits.items():
        text_ = files.get(path, "")
        for old, new in changes:
            assert old in text_, f"{path} no longer contains {old!r}; update the test's edit"
            text_ = text_.replace(old, new, 1)
        files[path] = text_
    return files


def check(files: dict[str, str]) -> list[Finding]:
    """Every finding on `files` (an output tree), explained by the shop specs."""
    return run(SHOP_SPECS, tree={path: text.encode() for path, text in files.items()}).findings


def report(edits: Edits, check_id: str | None = None) -> list[str]:
    """The text report's lines for the edited output, only `check_id`'s when given."""
    found = [f for f in check(edited(edits)) if check_id is None or f.check == check_id]
    return text(found).splitlines()[:-1]


def line(edits: Edits, path: str, needle: str) -> int:
    """The 1-based line of the first `needle` in the edited file: expected lines follow the renderer."""
    body = edited(edits)[path]
    assert needle in body, f"{needle!r} not in {path}"
    return body[: body.index(needle)].count("\n") + 1
