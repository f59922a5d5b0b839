"""YAML text from plain data, through PyYAML's C emitter, in a stable style."""

from __future__ import annotations

from typing import Any

import yaml

# The C emitter is several times faster; the project requires PyYAML built with libyaml.
_Dumper = yaml.CSafeDumper


class _BlockDumper(_Dumper):
    """Multi-line strings as `|` blocks so rules and configs diff line by line."""


def _str(dumper: yaml.CSafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.startswith(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str)


def dump(data: Any, header: str = "") -> str:
    """Serialise `data` (dicts keep their order) with an optional `#` comment header."""
    body = yaml.dump(
        data,
        Dumper=_BlockDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1_000_000,
        indent=2,
    )
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return lines + body
