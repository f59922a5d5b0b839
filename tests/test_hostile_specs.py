"""Hostile specs: arbitrary text in every free-text field, arbitrary valid names, thresholds,
durations and routing, written as a spec module and run through `alertgen generate`.

An accepted spec must yield artifacts that `promtool check rules`, `promtool test rules` and
`amtool check-config` accept, JSON that parses, and runbooks where every alert's `runbook_url`
anchor is a heading a CommonMark parser finds (generate has also run alertgen's own checks,
runbook anchors among them, and refuses on any error). A rejected spec must get one line per
error naming the spec file and line, then the summary line, exit 2 and no traceback.

Fixed seed (derandomize=True) and MAX_EXAMPLES examples of 1-3 services each, so every run, in
CI or of this test alone, tries the same cases; the test prints how many were accepted and
rejected (docs/testing.md).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import pkgutil
import re
import tempfile
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings

from generator.cli import main
from tests.conftest import SPECS, require_tool, run_tool
from tests.hostile_strategies import FRAGMENTS, py, spec_modules
from tests.markdown_doc import headings

MAX_EXAMPLES = 30
SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # No shrinking: each case runs promtool and amtool, and CI must stay bounded; a failure
    # prints the spec module it generated (add Phase.shrink locally for a minimal one).
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

ERROR_LINE = re.compile(r"^specs/hostile\.py:\d+: \S.*$")
SUMMARY_LINE = re.compile(r"^alertgen: (\d+) errors? in specs; nothing written$")


def check_rejection(stderr: str) -> None:
    """One line per error naming the spec file and line, then the count; nothing else."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.rstrip("\n").split("\n")
    summary = SUMMARY_LINE.match(lines[-1])
    assert summary, f"no summary line:\n{stderr[-3000:]}"
    errors = [line for line in lines[:-1] if not line.startswith("warning: ")]
    assert len(errors) == int(summary.group(1)), f"errors are not one line each:\n{stderr[-3000:]}"
    bad = [line for line in errors if not ERROR_LINE.match(line)]
    assert not bad, f"error lines without file:line: {bad[:3]}"


def check_artifacts(out: Path, promtool: str, amtool: str) -> None:
    """The generated tree passes the real tools, parses, and its runbook anchors exist."""
    rules = sorted((out / "prometheus/rules").glob("*.yml"))
    proc = run_tool(promtool, "check", "rules", *map(str, rules))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tests = sorted((out / "prometheus/tests").glob("*.yml"))
    proc = run_tool(promtool, "test", "rules", *(t.name for t in tests), cwd=out / "prometheus/tests")
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-5000:]
    for config in sorted((out / "alertmanager").glob("alertmanager*.yml")):
        proc = run_tool(amtool, "check-config", str(config))
        assert proc.returncode == 0, proc.stdout + proc.stderr
    for path in sorted(out.rglob("*")):
        if path.suffix == ".json":
            json.loads(path.read_text())
        elif path.suffix == ".yml":
            yaml.safe_load(path.read_text())
    anchors: dict[str, set[str]] = {}
    for rule_file in rules:
        for group in yaml.safe_load(rule_file.read_text())["groups"]:
            for rule in group["rules"]:
                if "alert" not in rule:
                    continue
                url = rule["annotations"]["runbook_url"]
                page, _, anchor = url.rpartition("#")
                name = page.rsplit("/", 1)[1]
                if name not in anchors:  # parse each runbook once
                    anchors[name] = {h.anchor for h in headings((out / "runbooks" / name).read_text())}
                assert anchor and anchor in anchors[name], f"{rule['alert']}: {url} has no heading in {name}"


def _import_the_whole_package() -> None:
    """Import every generator module: Hypothesis draws constants from the local modules loaded,
    so without this the cases would depend on which tests ran before this one."""
    import generator

    for module in pkgutil.walk_packages(generator.__path__, "generator."):
        if not module.name.endswith(".__main__"):  # that one runs the command line
            importlib.import_module(module.name)


def test_hostile_specs_yield_valid_artifacts_or_one_line_errors(capsys: pytest.CaptureFixture[str]) -> None:
    promtool, amtool = require_tool("promtool"), require_tool("amtool")
    _import_the_whole_package()
    tally: Counter[str] = Counter()

    @SETTINGS
    @given(source=spec_modules())
    def case(source: str) -> None:
        # A fresh working directory per case, so spec paths in messages read `specs/hostile.py`.
        with tempfile.TemporaryDirectory() as cwd, contextlib.chdir(cwd):
            Path(cwd, "specs").mkdir()
            Path(cwd, "specs/hostile.py").write_text(source, encoding="utf-8")
            result = CliRunner().invoke(main, ["generate", "--specs", "specs", "--out", "out"])
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise result.exception
            if result.exit_code == 2:
                check_rejection(result.stderr)
                tally["rejected"] += 1
                return
            assert result.exit_code == 0, f"exit {result.exit_code}:\n{result.stderr[-5000:]}"
            check_artifacts(Path(cwd, "out"), promtool, amtool)
            tally["accepted"] += 1

    case()
    total = tally["accepted"] + tally["rejected"]
    with capsys.disabled():
        print(
            f"\nhostile specs: {total} cases ({tally['accepted']} accepted, {tally['rejected']} rejected), "
            f"max_examples={MAX_EXAMPLES}, derandomize=True"
        )
    assert total >= MAX_EXAMPLES
    # Both outcomes must be exercised, or the strategy has drifted from what the test claims.
    assert tally["accepted"] and tally["rejected"], tally


def test_spec_module_writer_round_trips_any_text() -> None:
    """The harness itself: a string written with py() reads back identical."""
    text = "".join(FRAGMENTS) + "x" * 10
    namespace: dict[str, Any] = {}
    exec(textwrap.dedent(f"value = {py(text)}"), namespace)
    assert namespace["value"] == text


def _brownie_with(old: str, new: str, tmp_path: Path) -> Path:
    source = (SPECS / "brownie_metadata.py").read_text()
    assert source.count(old) == 1, old
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "brownie_metadata.py").write_text(source.replace(old, new), encoding="utf-8")
    return specs


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'summary="Brownie Metadata Database service is down",',
            'summary="Brownie Metadata Database service is down\\ud800",',
            "Alert 'ServiceDown': summary: text holds a lone surrogate such as '\\ud800', which no UTF-8 "
            "file can hold; write the character itself",
        ),
        (
            'name="ServiceDown",',
            'name="ServiceDown",\n    title="!!!",',
            "Alert 'ServiceDown': title '!!!' gives its runbook heading an empty anchor (GitHub keeps only "
            "letters, digits, spaces, '-' and '_'), so runbook_url cannot point at it; use words",
        ),
        (
            'summary="Brownie Metadata Database service is down",',
            'summary="{{" * 5000,',
            "Alert 'ServiceDown': summary: unbalanced '{{' in template; close every '{{' with '}}'",
        ),
        (
            'name="ServiceDown",',
            'name="ServiceDown",\n    labels={"tier": ""},',
            "Alert 'ServiceDown': labels.tier: empty label value; Prometheus drops a label whose value is "
            "empty, so remove it",
        ),
        (
            'name="ServiceDown",',
            'name="ServiceDown",\n    labels={"tier": "{{ $value }}"},',
            "Alert 'ServiceDown': labels.tier: label value '{{ $value }}' contains '{{', which Prometheus "
            "expands as a template; labels are static here (routing matches them), so remove the braces",
        ),
    ],
    ids=[
        "lone-surrogate",
        "title-without-anchor",
        "10kB-of-braces",
        "empty-label-value",
        "template-label-value",
    ],
)
def test_bugs_found_by_hostile_specs_are_spec_errors(
    old: str, new: str, message: str, tmp_path: Path
) -> None:
    """Each of these once crashed generate with a traceback, or took seconds, or wrote a broken link."""
    specs = _brownie_with(old, new, tmp_path)
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if not line.startswith(("warning: ", "alertgen: "))]
    assert [e for e in errors if e.endswith(message)], errors


def test_titles_with_line_breaks_and_edge_spaces_keep_their_anchor(tmp_path: Path) -> None:
    """A title with a tab, a line break or a trailing space renders as one trimmed line, and its
    runbook_url anchor is that heading's (once: 'headings differ from the outline' traceback)."""
    specs = _brownie_with(
        'name="ServiceDown",', 'name="ServiceDown",\n    title="\\tService\\r\\n down ",', tmp_path
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rules = yaml.safe_load((out / "prometheus/rules/brownie-metadata.rules.yml").read_text())
    (down,) = [r for r in rules["groups"][0]["rules"] if r.get("alert") == "ServiceDown"]
    assert down["annotations"]["runbook_url"].endswith("/brownie-metadata.md#service-down")
    heads = headings((out / "runbooks/brownie-metadata.md").read_text())
    assert [h.text for h in heads if h.anchor == "service-down"] == ["Service down"]
