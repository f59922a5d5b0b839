"""The YAML writer: what PyYAML's own representer and resolver write, and what reads back the same."""

from __future__ import annotations

import contextlib
import enum
import io
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render import readback, yamltext
from generator.render.yamlout import _emit, _plain_implicit, dump

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
        "a\n",
        "a\n\n",
        "\n",
        "a\n b\n",
        "a \nb",
        "a\n\nb",
        "tab\there",
        "bell\x07",
        "nel\x85x",
        "ls\u2028x",
        "\ufeffbom",
        "🔥 on fire",
        "- x",
        "-x",
        ":x",
        "? x",
        "---x",
        "...",
        "a:",
        "a #b",
        "a#b",
        "it's",
        "{{ $value }}",
        "x" * 130,
        "é" * 70,
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


@settings(derandomize=True, max_examples=1000)
@given(VALUES)
def test_dump_writes_what_pyyaml_writes_and_reads_back_the_same(value: Any) -> None:
    text = dump(value)
    assert text == _reference(value)
    assert _emit(value) == text  # the event writer itself, not only the node path behind it
    with contextlib.suppress(yamltext.Unhandled):  # the direct writer, where it takes the value
        assert yamltext.text(value, _plain_implicit) == text
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


# Text as specs hold it: lines of prose and PromQL with the characters YAML treats specially.
LINES = st.lists(
    st.text(alphabet=st.sampled_from(list("ab :#-'\"{}[]|>!&*%@`?,é🔥\t")), max_size=8),
    min_size=1,
    max_size=4,
)
PROSE = st.builds("\n".join, LINES) | st.builds(lambda ls: "\n".join(ls) + "\n", LINES)


@settings(derandomize=True, max_examples=1000)
@given(st.dictionaries(PROSE, st.lists(PROSE, max_size=3) | PROSE, min_size=1, max_size=4))
def test_direct_writer_writes_what_libyaml_writes_for_prose(value: dict[str, Any]) -> None:
    expected = _reference(value)
    try:
        assert yamltext.text(value, _plain_implicit) == expected
    except yamltext.Unhandled:
        return
    assert yaml.safe_load(expected) == value


def test_direct_writer_handles_what_the_renderers_write() -> None:
    rule = {"alert": "HighErrorRate", "expr": "sum(rate(x[5m]))\n> 0.1\n", "labels": {"severity": "page"}}
    value = {"groups": [{"name": "shop", "rules": [rule, {"record": "a:b", "expr": "x"}]}], "n": [[1], {}]}
    assert yamltext.text(value, _plain_implicit) == _reference(value)
    for unhandled in ({"a": "\tx"}, {"a": "x\n\n"}, {"\n": 1}, {"k" * 130: 1}, "root", {}):
        with pytest.raises(yamltext.Unhandled):
            yamltext.text(unhandled, _plain_implicit)


# Documents as renderers write them: named keys, text of one or several lines, numbers, nesting.
DOCUMENTS = st.recursive(
    st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), TRICKY, PROSE),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["alert", "expr", "for", "labels", "1", "true", "a b"]), inner, max_size=5
        ),
    ),
    max_leaves=25,
).filter(lambda v: isinstance(v, dict | list))


@settings(derandomize=True, max_examples=1000)
@given(VALUES | DOCUMENTS, st.sampled_from(["", "generated", "one\n\ntwo"]))
def test_what_the_direct_writer_records_is_what_its_text_reads_back_as(value: Any, header: str) -> None:
    from generator.artifacts.yamlnodes import load, load_plain

    from .test_written import same

    with readback.recording() as records:
        text = dump(value, header)
    if id(text) not in records:  # left to libyaml: nothing recorded, the checks parse the text
        with pytest.raises(yamltext.Unhandled):
            yamltext.text(value, _plain_implicit)
        return
    written = records[id(text)][1]
    assert isinstance(written, yamltext.Written)
    same(written.with_lines(), load(text))
    assert written.data == load_plain(text) or text.count(".nan")  # nan is not equal to itself
