"""Helpers of the `read_rules` tests: a rule file written from text, read back, and its errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

from generator.importer.read_rules import read_rules
from generator.importer.source import SourceFile

# The error for a file or document that is none of the formats read_rules knows.
NOT_RULES_MESSAGE = "not a rule file: expected `groups:`, a PrometheusRule or a Mimir namespace"


def write_rules(folder: Path, name: str, text: str) -> Path:
    """`text`, dedented, written to `folder/name` (its folders made); the file's path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def rule_errors(tmp_path: Path, text: str) -> list[str]:
    """The errors of one file holding `text`, each as `line: message`."""
    path = write_rules(tmp_path, "rules.yml", text)
    _, errors = read_rules([path])
    assert all(e.startswith(f"{path}:") for e in errors), errors
    return [e.removeprefix(f"{path}:") for e in errors]


def read_clean(tmp_path: Path, text: str, name: str = "rules.yml") -> list[SourceFile]:
    """The rule files read from one file holding `text`, which must have no error."""
    files, errors = read_rules([write_rules(tmp_path, name, text)])
    assert errors == []
    return files
