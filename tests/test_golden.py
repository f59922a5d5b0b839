"""Whole generated trees against committed ones: the golden fixture and Brownie's output/."""

from __future__ import annotations

import difflib
from pathlib import Path

from generator.output import existing_files
from generator.pipeline import Result, run

from .conftest import OUTPUT

GOLDEN = Path(__file__).resolve().parent / "golden"


def _assert_tree_equals(files: dict[str, str], tree: Path, refresh: str) -> None:
    have = {path: p.read_text() for path, p in existing_files(tree).items()}
    assert sorted(files) == sorted(have), f"file list differs from {tree}; {refresh}"
    for path, text in files.items():
        if text != have[path]:
            diff = "".join(
                difflib.unified_diff(
                    have[path].splitlines(True), text.splitlines(True), path, "generated", n=2
                )
            )
            raise AssertionError(f"{path} differs from the golden copy; {refresh}\n{diff[:4000]}")


def test_golden_fixture_tree() -> None:
    _assert_tree_equals(run(GOLDEN / "specs").files, GOLDEN / "output", "run `make golden` if intended")


def test_committed_output_is_what_the_specs_generate(brownie: Result) -> None:
    _assert_tree_equals(brownie.files, OUTPUT, "run `make generate` and commit output/")
