"""Two cores share rendering and checking (generator/parallel.py): the same files, the same findings."""

from __future__ import annotations

import dataclasses
import importlib
import os
import sys

import pytest

from generator import handover, parallel
from generator.checks import run_checks
from generator.checks.context import ARTIFACTS
from generator.checks.registry import CHECKS
from generator.model import Model
from generator.output import encoded
from generator.pipeline import Result
from generator.render import RENDERERS
from tests.test_checks_acceptance import BREAKAGES

# The module (the package's `parse` is the function of that name).
promql_parse = importlib.import_module("generator.promql.parse")

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the second process is forked, on Linux only")


def _broken(brownie: Result) -> dict[str, str]:
    """Brownie's output with every acceptance breakage, an unreadable dashboard and test file."""
    files = dict(brownie.files)
    for param in BREAKAGES:
        for path, changes in param.values[0].items():
            for old, new in changes:
                assert old in files[path]
                files[path] = files[path].replace(old, new, 1)
    files["grafana/dashboards/brownie-metadata.json"] = "{ not json"
    files["prometheus/tests/brownie-metadata.test.yml"] = "tests: [unclosed"
    return files


def test_the_shares_cover_every_check_renderer_and_artifact_once() -> None:
    away, here = parallel.AWAY, parallel.HERE
    assert {c.id for c in away.checks} | {c.id for c in here.checks} == {c.id for c in CHECKS}
    # each share reports the unreadable files it parsed
    assert {c.id for c in away.checks} & {c.id for c in here.checks} == {"artifact/invalid"}
    assert set(away.artifacts) | set(here.artifacts) == set(ARTIFACTS)
    assert sorted(away.renderers + here.renderers, key=RENDERERS.index) == list(RENDERERS)
    # what the forked share renders only for its checks, this one renders for the output
    assert set(away.local) <= set(here.renderers)


def test_two_processes_render_and_find_what_one_does(brownie: Result) -> None:
    files, findings = parallel.render_and_check(brownie.model, prefix="output", processes=2)
    assert files == encoded(brownie.files)
    assert findings == run_checks(brownie.model, brownie.files, prefix="output")


def test_this_process_parses_no_promql_tree(brownie: Result, monkeypatch: pytest.MonkeyPatch) -> None:
    # This process lets go of the trees it parsed while building: its renderers and checks must
    # not parse them again (the forked process reads them all), or both processes hold them all.
    parsed: list[str] = []
    real = promql_parse.parse_uncached

    def parse_uncached(expr: str) -> object:
        parsed.append(expr)  # in this process only: the forked one appends to its own copy
        return real(expr)

    monkeypatch.setattr(promql_parse, "parse_uncached", parse_uncached)
    files, findings = parallel.render_and_check(brownie.model, prefix="output", processes=2)
    assert parsed == []
    assert files == encoded(brownie.files)
    assert findings == run_checks(brownie.model, brownie.files, prefix="output")
    assert parsed  # the check above, in this process, did parse them: the patch took hold


def test_two_processes_find_every_breakage_one_process_finds(brownie: Result) -> None:
    files = _broken(brownie)
    one = run_checks(brownie.model, files, prefix="output")
    _, two = parallel.render_and_check(brownie.model, prefix="output", processes=2, files=files)
    assert two == one
    checks = {f.check for f in one}
    # Findings from both shares, unreadable files of kinds each share parses among them.
    # here: routes and examples; away: runbooks and recording rules
    assert {
        "route/unexpected",
        "test/missing-examples",
        "runbook/anchor-broken",
        "rule/recording-unused",
    } <= checks
    invalid = {f.path for f in one if f.check == "artifact/invalid"}
    assert invalid == {
        "output/grafana/dashboards/brownie-metadata.json",
        "output/prometheus/tests/brownie-metadata.test.yml",
    }


def test_a_failing_second_process_is_covered_by_the_first(
    brownie: Result, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The forked share dies in each of its steps in turn; this process does that share itself.
    parent = os.getpid()
    first = parallel.AWAY.renderers[0]

    def dies_away(model: Model) -> dict[str, str]:
        if os.getpid() != parent:
            os._exit(3)
        return first(model)

    def dies_after_handing_over(model: Model) -> dict[str, str]:
        if os.getpid() != parent:
            os._exit(3)
        return parallel.AWAY.local[0](model)

    for away in (
        dataclasses.replace(parallel.AWAY, renderers=(dies_away, *parallel.AWAY.renderers[1:])),
        dataclasses.replace(parallel.AWAY, local=(dies_after_handing_over,)),
    ):
        with monkeypatch.context() as patched:
            patched.setattr(parallel, "AWAY", away)
            files, findings = parallel.render_and_check(brownie.model, prefix="output", processes=2)
        assert files == encoded(brownie.files)
        assert findings == run_checks(brownie.model, brownie.files, prefix="output")

    monkeypatch.undo()
    original = parallel.run_on

    def raises_away(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise RuntimeError("boom")
        return original(*args, **kwargs)

    monkeypatch.setattr(parallel, "run_on", raises_away)
    _, findings = parallel.render_and_check(brownie.model, prefix="output", processes=2)
    assert findings == run_checks(brownie.model, brownie.files, prefix="output")


def test_dashboards_handed_over_read_are_what_this_process_would_read(
    brownie: Result, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The forked share reads its dashboards and hands them over read, unreadable ones reported.
    board = "grafana/dashboards/brownie-metadata.json"
    assert parallel.AWAY.hand_over == ("dashboards",)
    grafana = next(r for r in parallel.AWAY.renderers if r.__module__.endswith(".grafana"))

    def broken_grafana(model: Model) -> dict[str, str]:
        files = grafana(model)
        files[board] = "{ not json"
        return files

    renderers = tuple(broken_grafana if r is grafana else r for r in parallel.AWAY.renderers)
    monkeypatch.setattr(parallel, "AWAY", dataclasses.replace(parallel.AWAY, renderers=renderers))
    files, findings = parallel.render_and_check(brownie.model, prefix="output", processes=2)
    assert files[board] == b"{ not json"
    assert findings == run_checks(brownie.model, files, prefix="output")
    assert [f.path for f in findings if f.check == "artifact/invalid"] == [f"output/{board}"]


def test_without_memfd_the_texts_go_through_a_temporary_file(
    brownie: Result, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(name: str, flags: int = 0) -> int:
        raise PermissionError(1, "Operation not permitted")  # as a seccomp sandbox answers

    take_over = handover.take_over
    handed: list[int] = []

    def takes_over(fd: int, receipt: handover.Receipt):  # type: ignore[no-untyped-def]
        got = take_over(fd, receipt)
        handed.append(len(got[0]) if got else 0)
        return got

    monkeypatch.setattr(os, "memfd_create", refused)
    monkeypatch.setattr(handover, "take_over", takes_over)
    files, findings = parallel.render_and_check(brownie.model, prefix="output", processes=2)
    assert len(handed) == 1 and handed[0] > 3  # the files were handed over, not rendered again here
    assert files == encoded(brownie.files)
    assert findings == run_checks(brownie.model, brownie.files, prefix="output")


def test_without_a_second_process_one_does_it_all(brownie: Result, monkeypatch: pytest.MonkeyPatch) -> None:
    # fork refused (memory, a process limit): loading and checking both happen in this process
    import multiprocessing.process

    from generator.shards import model_of

    from .conftest import SPECS

    def refused(self: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    assert model_of(SPECS, processes=2) == brownie.model
    files, findings = parallel.render_and_check(brownie.model, prefix="output", processes=2)
    assert files == encoded(brownie.files)
    assert findings == run_checks(brownie.model, brownie.files, prefix="output")


def test_a_hand_over_cut_short_is_rendered_here(brownie: Result, monkeypatch: pytest.MonkeyPatch) -> None:
    seal = handover.seal

    def cut_short(spool: handover.Spool, parsed: dict[str, object]) -> handover.Receipt:
        receipt = seal(spool, parsed)
        os.ftruncate(spool.fd, receipt.size // 2)
        return receipt

    monkeypatch.setattr(handover, "seal", cut_short)
    files, findings = parallel.render_and_check(brownie.model, prefix="output", processes=2)
    assert files == encoded(brownie.files)
    assert findings == run_checks(brownie.model, brownie.files, prefix="output")
