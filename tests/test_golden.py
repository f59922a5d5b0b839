"""Whole generated trees against the committed golden fixture (CI's `generate --check` holds output/)."""

from __future__ import annotations

import difflib
from pathlib import Path

from generator.output import existing_files, with_marker
from generator.pipeline import run

GOLDEN = Path(__file__).resolve().parent / "golden"


def _assert_tree_equals(files: dict[str, str | bytes], tree: Path, refresh: str) -> None:
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
    _assert_tree_equals(
        with_marker(run(GOLDEN / "specs").texts), GOLDEN / "output", "run `make golden` if intended"
    )
