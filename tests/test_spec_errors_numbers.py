"""Numbers and newlines a spec gets wrong: one `file:line: Subject: message` line, exit 2, no output.

Run as `python -m generator`, a real process, so a traceback would show on stderr. Covered
elsewhere and not repeated here: thresholds of NaN and infinity, for_="5 minutes" and "5m\\n"
(tests/test_spec_errors.py; tests/hostile/threshold_*.py, for_trailing_newline.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

BASE = (Path(__file__).parent / "badspecs" / "base.py.txt").read_text()
WARNING_SUMMARY = '        summary="Shop error rate above 5%",\n'
SERIES = 'shop_requests_total{job="s",code="500"}'
ONE_LINE = "write the series and its values on one line"


def _example(selector: str, values: str) -> list[tuple[str, str]]:
    """The warning tier given one silent example of `selector` with `values` (spec line 16)."""
    example = f"        examples=(Example(name='bad', series={{{selector!r}: {values!r}}}, at='5m', fires=False),),\n"
    return [(WARNING_SUMMARY, WARNING_SUMMARY + example)]


# (case id, [(text in the valid base, replacement)], the one error line)
CASES: list[tuple[str, list[tuple[str, str]], str]] = [
    (
        "threshold-1e308-on-a-ratio",
        [("threshold=0.10", "threshold=1e308")],
        "specs/shop.py:18: Alert 'ShopCriticalErrorRate': threshold 1e+308 on a ratio (percentunit) signal "
        "means more than 100%; write ratios between 0 and 1, e.g. 0.05 for 5%",
    ),
    (
        "series-values-with-a-newline",
        _example(SERIES, "0+1x9\n0+1x9"),
        f"specs/shop.py:16: Example 'bad': series: series {SERIES!r}: '0+1x9\\n0+1x9': {ONE_LINE}",
    ),
    (
        "series-values-ending-in-a-newline",
        _example(SERIES, "0+1x9\n"),
        f"specs/shop.py:16: Example 'bad': series: series {SERIES!r}: '0+1x9\\n': {ONE_LINE}",
    ),
    (
        "series-selector-with-a-newline-between-labels",
        _example('shop_requests_total{job="s",\ncode="500"}', "0+1x9"),
        "specs/shop.py:16: Example 'bad': series: series "
        f"'shop_requests_total{{job=\"s\",\\ncode=\"500\"}}': '0+1x9': {ONE_LINE}",
    ),
]
KNOWN: list[tuple[str, list[tuple[str, str]], str]] = [
    (
        "series-selector-with-a-newline-in-a-label-value",
        _example('shop_requests_total{job="s\nx",code="500"}', "0+1x9"),
        "specs/shop.py:16: Example 'bad': series: series "
        f"'shop_requests_total{{job=\"s\\nx\",code=\"500\"}}': '0+1x9': {ONE_LINE}",
    ),
]


def _generate(tmp_path: Path, subs: list[tuple[str, str]]) -> subprocess.CompletedProcess[str]:
    source = BASE
    for old, new in subs:
        assert old in source, f"case text not in base spec: {old!r}"
        source = source.replace(old, new, 1)
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "shop.py").write_text(source)
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--specs", "specs", "--out", "out"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _assert_one_line_error(tmp_path: Path, subs: list[tuple[str, str]], expected: str) -> None:
    proc = _generate(tmp_path, subs)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stderr.splitlines() == [expected, "alertgen: 1 error in specs; nothing written"]
    assert proc.returncode == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("subs", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_line_error_exit_2_nothing_written(
    tmp_path: Path, subs: list[tuple[str, str]], expected: str
) -> None:
    _assert_one_line_error(tmp_path, subs, expected)


@pytest.mark.parametrize(("subs", "expected"), [c[1:] for c in KNOWN], ids=[c[0] for c in KNOWN])
def test_a_rejected_example_gives_one_error(
    tmp_path: Path, subs: list[tuple[str, str]], expected: str
) -> None:
    _assert_one_line_error(tmp_path, subs, expected)
