"""Input series of examples: the fast reader of `name{a="b"}` agrees with the PromQL parser."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.promql import concrete

# Mostly what examples write (repeated, so drawn more often); now and then a name the parser
# reads otherwise or refuses, a `__name__` label, or a character the fast reader leaves to it.
NAMES = st.sampled_from(
    ["http_requests_total", "up", "x:y_z", "sum", "_a", "a1"] * 4 + ["on", "Inf", "bool", "nan"]
)
LABEL_NAMES = st.sampled_from(["code", "job", "le", "on", "a_1", "instance"] * 4 + ["__name__"])
VALUES = st.text(alphabet=st.sampled_from(list("ab5 .:/-_é{},=") * 10 + list('"\\\n\t')), max_size=6)
SEPARATORS = st.sampled_from([",", ", ", ",", ", ", " , ", ",  "])


@st.composite
def selectors(draw: st.DrawFn) -> str:
    name = draw(NAMES)
    pairs = draw(st.lists(st.tuples(LABEL_NAMES, VALUES), max_size=3))
    if not pairs and draw(st.booleans()):
        return name
    body = ""
    for i, (label, value) in enumerate(pairs):
        body += (draw(SEPARATORS) if i else "") + f'{label}="{value}"'
    return f"{name}{{{body}{draw(st.sampled_from(['', ',']))}}}"


def _by_parser(selector: str) -> tuple[tuple[str, str], ...] | str:
    concrete._series_labels.cache_clear()
    saved = concrete._PLAIN_SERIES
    concrete._PLAIN_SERIES = concrete.re.compile(r"(?!)")  # never matches: the parser reads it
    try:
        return concrete._series_labels(selector)
    except ValueError as exc:
        return type(exc).__name__
    finally:
        concrete._PLAIN_SERIES = saved
        concrete._series_labels.cache_clear()


def _fast(selector: str) -> tuple[tuple[str, str], ...] | str:
    try:
        return concrete._series_labels(selector)
    except ValueError as exc:
        return type(exc).__name__
    finally:
        concrete._series_labels.cache_clear()


@settings(derandomize=True, max_examples=1000, deadline=None)
@given(selectors())
def test_fast_reader_agrees_with_the_parser(selector: str) -> None:
    assert _fast(selector) == _by_parser(selector)


def test_fast_reader_takes_what_examples_write() -> None:
    concrete._series_labels.cache_clear()
    assert concrete._PLAIN_SERIES.fullmatch('http_requests_total{code="500", job="shop"}')
    assert concrete.series_labels('http_requests_total{code="500", job="shop"}') == {
        "__name__": "http_requests_total",
        "code": "500",
        "job": "shop",
    }
    with pytest.raises(ValueError, match="must use '=' for every label"):
        concrete.series_labels('up{job!="x"}')
