"""YAML text from plain data, through PyYAML's C emitter, in a stable style."""

from __future__ import annotations

from typing import Any

import yaml

# Lines are never folded: a folded PromQL expression or label value diffs badly.
_WIDTH = 1_000_000


class _BlockDumper(yaml.CSafeDumper):
    """The safe dumper (libyaml's emitter), writing multi-line strings as `|` blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never an anchor and alias: a value met twice is written twice, as a reader expects."""
        return True


def _str(dumper: yaml.CSafeDumper, value: str) -> yaml.ScalarNode:
    # `|` blocks keep rules and configs diffable line by line; a leading space cannot start one.
    style = "|" if "\n" in value and not value.startswith(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str)


def dump(data: Any, header: str = "") -> str:
    """Serialise `data` (dicts keep their order) with an optional `#` comment header."""
    body = yaml.dump(
        data,
        Dumper=_BlockDumper,
        sort_keys=False,
        allow_unicode=True,
        width=_WIDTH,
        indent=2,
        default_flow_style=False,
    )
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return lines + body
