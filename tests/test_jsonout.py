"""The dashboards' JSON writer is `json.dumps(value, indent=2, sort_keys=True)`, byte for byte."""

from __future__ import annotations

import enum
import json
import math
from typing import Any

from grafana_foundation_sdk.cog.encoder import JSONEncoder
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline import Result
from generator.render import grafana, jsonout


class Color(enum.StrEnum):
    RED = "red"


class Size(enum.IntEnum):
    BIG = 3


class Model:
    """Stands for a grafana-foundation-sdk model: encoded as what to_json() returns."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def to_json(self) -> Any:
        return self.data


def _reference(value: Any) -> str:
    return json.dumps(value, cls=JSONEncoder, indent=2, sort_keys=True)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.just(Color.RED),
    st.just(Size.BIG),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=6), inner, max_size=4),
        st.dictionaries(st.integers(), inner, max_size=3),
        inner.map(Model),
    ),
    max_leaves=25,
)


@settings(derandomize=True, max_examples=300)
@given(values)
def test_any_json_value_is_written_as_json_dumps_writes_it(value: Any) -> None:
    assert jsonout.dumps(value) == _reference(value)


def test_special_floats_and_unicode_are_written_as_json_writes_them() -> None:
    value = [
        {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "text": "é ✓ \u2028 \ud800"},
        {1.5: [1e16, 1e-7], 2.5: None},
        {True: 1, False: 0},
    ]
    assert jsonout.dumps(value) == _reference(value)


def test_every_dashboard_is_what_the_sdk_encoder_writes(brownie: Result) -> None:
    for service in brownie.model.services:
        board = grafana.build(service).build()
        assert grafana.dashboard_json(service) == _reference(board) + "\n"
