"""Findings as text for people, JSON for scripts, SARIF 2.1.0 for code-scanning UIs."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from .base import Finding, Level
from .registry import CHECKS
from .runner import counts

DOCS = "docs/checks.md"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SARIF_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def _anchor(check_id: str) -> str:
    """The docs/checks.md section of a check: its heading is the id, slugged as GitHub does."""
    return check_id.replace("/", "")


def text(findings: list[Finding]) -> str:
    """One line per finding, `path:line: level id: subject: message`, disabled ones last, then a tally."""
    lines = []
    for f in findings:
        if not f.suppressed:
            subject = f"{f.subject}: " if f.subject else ""
            lines.append(f"{f.where}: {f.level.value} {f.check}: {subject}{f.message}")
    for f in findings:
        if f.suppressed:
            subject = f"{f.subject}: " if f.subject else ""
            lines.append(f"{f.where}: disabled {f.check}: {subject}{f.message} (disabled: {f.suppressed})")
    n = counts(findings)
    tally = f"{_plural(n['error'], 'error')}, {_plural(n['warning'], 'warning')}, {n['info']} info"
    lines.append(f"alertgen check: {tally}; {n['disabled']} disabled")
    return "\n".join(lines) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def as_json(findings: list[Finding]) -> str:
    """A JSON document: the findings and the tally."""
    doc = {
        "findings": [
            {
                "check": f.check,
                "level": f.level.value,
                "path": f.path,
                "line": f.line,
                "service": f.service or None,
                "alert": f.alert or None,
                "route": f.route or None,
                "message": f.message,
                "disabled": f.suppressed or None,
            }
            for f in findings
        ],
        "counts": counts(findings),
    }
    return json.dumps(doc, indent=2) + "\n"


def sarif(findings: list[Finding]) -> str:
    """A SARIF 2.1.0 log with one run; disabled findings carry an in-source suppression."""
    index = {c.id: i for i, c in enumerate(CHECKS)}
    rules = [
        {
            "id": c.id,
            "name": c.module,
            "shortDescription": {"text": c.summary},
            "help": {"text": f"What it catches and how to fix it: {DOCS}#{_anchor(c.id)}"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[c.level]},
        }
        for c in CHECKS
    ]
    results = [_result(f, index[f.check]) for f in findings]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "alertgen",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": f.path}}
    if f.line:
        location["region"] = {"startLine": f.line}
    subject = f"{f.subject}: " if f.subject else ""
    result: dict[str, Any] = {
        "ruleId": f.check,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVEL[f.level],
        "message": {"text": subject + f.message},
        "locations": [{"physicalLocation": location}],
    }
    props = {k: v for k, v in (("service", f.service), ("alert", f.alert), ("route", f.route)) if v}
    if props:
        result["properties"] = props
    if f.suppressed:
        result["suppressions"] = [{"kind": "inSource", "justification": f.suppressed}]
    return result


FORMATS = {"text": text, "json": as_json, "sarif": sarif}
