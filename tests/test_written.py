"""Files rendered in a run are checked from what the renderer knows they read back as.

`render_all(model, written=...)` hands the checks each runbook as the renderer read it to check
its outline, and the cases of each promtool test file; the checks then skip reading that text
again. Here, on every spec set the project has, that is exactly what reading the text gives, and
the findings are the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.checks import run_checks
from generator.checks.rules import ExamplesRead, parse_tests
from generator.checks.runbooks import Runbook, parse_runbook
from generator.output import encoded
from generator.render import RENDERERS, render_all, render_encoded
from generator.render.readback import ReadBack
from generator.shards import model_of

from .bench.synth import write_specs
from .conftest import SPECS

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def spec_sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every spec set of the project's tests, the bench's two synthetic services among them."""
    synth = tmp_path_factory.mktemp("synth") / "specs"
    write_specs(synth, 2)
    return {
        "brownie": SPECS,
        "golden": ROOT / "golden" / "specs",
        "checks": ROOT / "checks" / "specs",
        "bench": synth,
    }


@pytest.mark.parametrize("name", ["brownie", "golden", "checks", "bench"])
@pytest.mark.parametrize("time_scale", [1.0, 60.0])
def test_written_documents_are_what_their_text_reads_back_as(
    spec_sets: dict[str, Path], name: str, time_scale: float
) -> None:
    model = model_of(spec_sets[name], time_scale)
    written: dict[str, ReadBack] = {}
    files = render_all(model, written=written)
    # every runbook is read, and of a promtool test file, only its cases are kept; nothing else
    assert {p for p in files if p.startswith("prometheus/tests/")} == {
        p for p, doc in written.items() if isinstance(doc, ExamplesRead)
    }
    assert {p for p in files if p.endswith(".md")} == {
        p for p, doc in written.items() if isinstance(doc, Runbook)
    }
    for path, doc in written.items():
        if isinstance(doc, Runbook):
            assert doc == parse_runbook(path, files[path]), path
        else:
            assert doc.examples == parse_tests(files[path]), path
    assert run_checks(model, files, written=written) == run_checks(model, files)


@pytest.mark.parametrize("name", ["brownie", "bench"])
def test_files_encoded_one_at_a_time_are_those_rendered_with_the_same_records(
    spec_sets: dict[str, Path], name: str
) -> None:
    model = model_of(spec_sets[name])
    texts: dict[str, ReadBack] = {}
    one_by_one: dict[str, ReadBack] = {}
    expected = encoded(render_all(model, written=texts))
    files = render_encoded(model, RENDERERS, one_by_one)
    assert list(files) == list(expected) and files == expected
    assert one_by_one == texts
