"""Bad specs: one exact line each, every error at once, exit code 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import SPECS
from .spec_error_cases import BASE, CASES


def _apply(subs: list[tuple[str, str]]) -> str:
    source = BASE
    for old, new in subs:
        assert old in source, f"case text not in base spec: {old!r}"
        source = source.replace(old, new, 1)
    return source


def _generate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> tuple[int, str]:
    specs = tmp_path / "specs"
    specs.mkdir()
    for name, text in files.items():
        (specs / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["generate", "--specs", "specs", "--out", "out"])
    return result.exit_code, result.stderr


def test_base_spec_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _ = _generate(tmp_path, monkeypatch, {"shop.py": BASE})
    assert code == 0
    assert (tmp_path / "out" / "prometheus" / "rules" / "shop.rules.yml").is_file()


@pytest.mark.parametrize(("subs", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_bad_spec_gets_exact_one_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subs: list[tuple[str, str]], expected: list[str]
) -> None:
    code, stderr = _generate(tmp_path, monkeypatch, {"shop.py": _apply(subs)})
    lines = stderr.splitlines()
    n = len(expected)
    assert lines == [*expected, f"alertgen: {n} error{'s' if n != 1 else ''} in specs; nothing written"]
    assert code == 2
    assert "Traceback" not in stderr
    assert not (tmp_path / "out").exists()


def test_no_spec_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, stderr = _generate(tmp_path, monkeypatch, {"helpers.py": "X = 1\n"})
    assert code == 2
    assert stderr.splitlines()[0] == (
        "specs: no Service found in specs/*.py; define one, e.g. `service = Service(name=..., ...)`"
    )


def test_missing_spec_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["generate", "--specs", "nowhere", "--out", "out"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "nowhere: no spec directory 'nowhere'; pass --specs DIR"


def test_errors_from_several_files_come_together_in_file_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = BASE.replace('name="shop"', 'name="shop-two"').replace('name="Shop', 'name="Two')
    code, stderr = _generate(
        tmp_path,
        monkeypatch,
        {
            "b_two.py": other.replace("threshold=0.05", "threshold=-1"),
            "a_shop.py": BASE.replace('for_="5m"', 'for_="5x"', 1),
        },
    )
    assert code == 2
    assert [line.split(": ")[0] for line in stderr.splitlines()[:-1]] == [
        "specs/a_shop.py:11",
        "specs/b_two.py:11",
    ]


def test_bad_spec_leaves_existing_output_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("committed\n")
    code, _ = _generate(tmp_path, monkeypatch, {"shop.py": BASE.replace("threshold=0.05", "threshold=0.5")})
    assert code == 2
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_one_mistake_in_a_laid_out_service_is_one_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rejected alert must not also make the dashboard layout that places its signal fail."""
    source = (SPECS / "brownie_metadata.py").read_text()
    old = '    signal=db_connections,\n    threshold=80,\n    for_="5m",'
    assert old in source
    code, stderr = _generate(
        tmp_path, monkeypatch, {"brownie.py": source.replace(old, old.replace('"5m"', '"5 min"'))}
    )
    assert code == 2
    lines = stderr.splitlines()
    assert len(lines) == 2, stderr
    assert "Alert 'DatabaseConnectionHigh': for_: invalid duration '5 min'" in lines[0]
