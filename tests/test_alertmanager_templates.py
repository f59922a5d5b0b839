"""Notification templates in the rendered Alertmanager configs parse and render under amtool.

`amtool check-config` does not execute receivers' Go templates, so a broken `title` or `text`
would only fail when a notification is sent; render each one with amtool's example data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.pipeline import Result

from .conftest import require_tool, run_tool

# Fields of notifier configs that Alertmanager treats as templates.
_TEMPLATE_KEYS = {
    "title",
    "text",
    "pretext",
    "fallback",
    "footer",
    "description",
    "summary",
    "subject",
    "html",
    "message",
    "client",
    "client_url",
    "severity",
    "class",
    "component",
    "group",
}


def _templates(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(value, str) and key in _TEMPLATE_KEYS and "{{" in value:
                yield where, value
            else:
                yield from _templates(value, where)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _templates(item, f"{path}[{i}]")


@pytest.mark.amtool
def test_every_notification_template_renders(tmp_path: Path, brownie: Result) -> None:
    amtool = require_tool("amtool")
    empty = tmp_path / "none.tmpl"
    empty.write_text("")
    configs = [p for p in brownie.texts if p.startswith("alertmanager/") and p.endswith(".yml")]
    rendered = 0
    for path in configs:
        doc = yaml.safe_load(brownie.texts[path])
        if not isinstance(doc, dict) or "receivers" not in doc:
            continue
        for where, text in _templates(doc["receivers"]):
            proc = run_tool(
                amtool, "template", "render", f"--template.glob={empty}", f"--template.text={text}"
            )
            assert proc.returncode == 0, f"{path} receivers.{where}: {proc.stderr.strip()}"
            rendered += 1
    assert rendered >= 6  # titles and texts of the Slack receivers at least
