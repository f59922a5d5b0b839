"""Two processes load and build (generator/shards.py): the same model, warnings and errors as one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from generator import shards
from generator.errors import SpecErrors
from generator.render import render_all
from generator.shards import model_of

from .bench.synth import write_specs

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the second process is forked, on Linux only")

BASE = (Path(__file__).parent / "badspecs" / "base.py.txt").read_text()
# The base spec's service under another name, with alerts of other names.
TWO = BASE.replace('name="shop"', 'name="two"').replace('name="Shop', 'name="Two')


def _specs(tmp_path: Path, files: dict[str, str]) -> Path:
    specs = tmp_path / "specs"
    specs.mkdir()
    for name, text in files.items():
        (specs / name).write_text(text)
    return specs


def _errors(specs: Path, processes: int) -> list[str]:
    with pytest.raises(SpecErrors) as caught:
        model_of(specs, processes=processes)
    return [str(e) for e in caught.value.errors]


def _no_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the one-process path fail, so that a test sees the two-process one."""

    def fallback(*args: object, **kwargs: object) -> None:
        raise AssertionError("the specs were built again in one process")

    monkeypatch.setattr(shards, "build", fallback)


def test_two_processes_build_the_model_one_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_specs(tmp_path / "specs", 3)  # three service modules, a teams module, a helper module
    one = model_of(tmp_path / "specs", processes=1)
    _no_fallback(monkeypatch)
    two = model_of(tmp_path / "specs", processes=2)
    assert [s.name for s in two.services] == [s.name for s in one.services]
    assert two == one  # every resolved service, alert, test case, team and the routing
    assert render_all(two) == render_all(one)


def test_two_processes_scale_time_as_one_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # End-to-end tests shorten every duration (--time-scale): the joined model is scaled too.
    write_specs(tmp_path / "specs", 2)
    one = model_of(tmp_path / "specs", time_scale=60, processes=1)
    assert one != model_of(tmp_path / "specs", processes=1)
    _no_fallback(monkeypatch)
    assert model_of(tmp_path / "specs", time_scale=60, processes=2) == one


def test_warnings_of_both_parts_come_in_service_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The base spec has no examples: each alert warns. The two modules load in different processes.
    specs = _specs(
        tmp_path,
        {
            "a_shop.py": BASE,
            "b_two.py": TWO,
            "c_more.py": TWO.replace('"two"', '"more"').replace("Two", "More"),
        },
    )
    one = model_of(specs, processes=1)
    assert len(one.warnings) == 6
    _no_fallback(monkeypatch)
    assert model_of(specs, processes=2).warnings == one.warnings


@pytest.mark.parametrize(
    ("files", "words"),
    [
        pytest.param(
            {"a_shop.py": BASE, "b_two.py": TWO.replace("TwoHighErrorRate", "ShopHighErrorRate")},
            "duplicate alert name",
            id="alert-name-in-both-parts",
        ),
        pytest.param(
            {"a_shop.py": BASE, "b_shop.py": BASE}, "duplicate service name", id="service-in-both-parts"
        ),
        pytest.param(
            {
                "a_shop.py": BASE.replace("threshold=0.05", "threshold=-1"),
                "b_two.py": TWO.replace('"5m"', '"5x"', 1),
            },
            "",
            id="errors-in-both-parts",
        ),
        pytest.param(
            {"a_shop.py": BASE, "b_two.py": TWO + "\nraise RuntimeError('boom')\n"},
            "boom",
            id="module-raises",
        ),
    ],
)
def test_errors_are_those_of_one_process(tmp_path: Path, files: dict[str, str], words: str) -> None:
    specs = _specs(tmp_path, files)
    one = _errors(specs, processes=1)
    assert any(words in line for line in one)
    assert _errors(specs, processes=2) == one
