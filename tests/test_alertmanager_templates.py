"""Notification templates in the rendered Alertmanager configs parse and render under amtool.

`amtool check-config` does not execute receivers' Go templates, so a broken `title` or `text`
would only fail when a notification is sent; render each one with amtool's example data and
the generated template file every receiver refers to.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.pipeline import Result
from generator.routing import templates

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
    "href",  # PagerDuty links
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


TEMPLATE_FILE = f"alertmanager/{templates.FILE}"


@pytest.mark.amtool
def test_every_notification_template_renders(tmp_path: Path, brownie: Result) -> None:
    amtool = require_tool("amtool")
    glob = tmp_path / templates.FILE
    glob.write_text(brownie.texts[TEMPLATE_FILE])
    configs = [p for p in brownie.texts if p.startswith("alertmanager/") and p.endswith(".yml")]
    rendered = 0
    for path in configs:
        doc = yaml.safe_load(brownie.texts[path])
        if not isinstance(doc, dict) or "receivers" not in doc:
            continue
        assert doc.get("templates") == [templates.FILE], path
        for where, text in _templates(doc["receivers"]):
            proc = run_tool(
                amtool, "template", "render", f"--template.glob={glob}", f"--template.text={text}"
            )
            assert proc.returncode == 0, f"{path} receivers.{where}: {proc.stderr.strip()}"
            rendered += 1
    assert rendered >= 10  # Slack titles and texts, PagerDuty description and links


@pytest.mark.amtool
@pytest.mark.parametrize("name", [*templates.CALLED, templates.RUNBOOK_URL, templates.SILENCE_URL])
def test_each_shared_template_renders_with_amtool(tmp_path: Path, brownie: Result, name: str) -> None:
    glob = tmp_path / templates.FILE
    glob.write_text(brownie.texts[TEMPLATE_FILE])
    text = templates.call(name)
    proc = run_tool(
        require_tool("amtool"), "template", "render", f"--template.glob={glob}", f"--template.text={text}"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip(), f"{name} renders nothing"


def test_receivers_share_one_template_instead_of_inline_copies(brownie: Result) -> None:
    production = brownie.texts["alertmanager/alertmanager.yml"]
    # The message text is written once, in the template file; configs only call it.
    assert "range .Alerts" not in production
    assert production.count(templates.call(templates.SLACK_TEXT)) == 3
    assert "range .Alerts" in brownie.texts[TEMPLATE_FILE]
