"""The YAML writer: what PyYAML's own representer and resolver write, and what reads back the same."""

from __future__ import annotations

import enum
import io
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.yamlout import _emit, dump

# Strings a resolver reads as something else unless quoted, and ones that need no quotes.
TRICKY = st.sampled_from(
    [
        "",
        "true",
        "True",
        "no",
        "Off",
        "~",
        "null",
        "1",
        "0x1F",
        "1.5",
        ".inf",
        "1e3",
        "-1",
        "+1",
        "=",
        "<<",
        "- a",
        "a: b",
        "#x",
        "!x",
        "&a",
        "*a",
        "12:30",
        "2026-11-27",
        "a\nb",
        " lead",
        "x|y",
        "é",
    ]
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TRICKY, st.text(max_size=12)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(TRICKY, st.text(max_size=6)), inner, max_size=4),
    ),
    max_leaves=20,
)


class _Reference(yaml.CSafeDumper):
    """PyYAML's generic representer and resolver with the writer's one style rule for strings."""


def _block(dumper: yaml.CSafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.startswith(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Reference.add_representer(str, _block)


def _reference(value: Any) -> str:
    out = io.StringIO()
    yaml.dump(
        value,
        out,
        Dumper=_Reference,
        allow_unicode=True,
        width=1_000_000,
        indent=2,
        sort_keys=False,
        default_flow_style=False,
    )
    return out.getvalue()


@settings(derandomize=True, max_examples=300)
@given(VALUES)
def test_dump_writes_what_pyyaml_writes_and_reads_back_the_same(value: Any) -> None:
    text = dump(value)
    assert text == _reference(value)
    assert _emit(value) == text  # the event writer itself, not only the node path behind it
    assert yaml.safe_load(text) == value


class Level(enum.StrEnum):
    """A str subclass: PyYAML's representer decides how it is written."""

    HIGH = "high"


def test_shared_containers_and_other_types_are_written_as_pyyaml_writes_them() -> None:
    shared = {"team": "shop", "labels": ["a", "b"]}
    for value in ({"x": shared, "y": shared}, [shared, [shared]], {"when": 1.5, "n": [1, None, True]}):
        assert dump(value) == _reference(value)
    assert "&id001" in dump({"x": shared, "y": shared})  # an alias, as PyYAML writes it
    with pytest.raises(yaml.representer.RepresenterError):
        dump({"level": Level.HIGH})  # the safe representer refuses it, as before
