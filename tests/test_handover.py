"""The forked share's files handed over through a shared file: what reads back, and when."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from generator import handover, parallel
from generator.checks import run_checks
from generator.output import encoded
from generator.pipeline import Result


def _spooled(fd: int | None, texts: dict[str, str]) -> handover.Spool:
    spool = handover.Spool(fd)
    for path, text in texts.items():
        spool.add(path, text.encode())
    return spool


def test_handed_over_files_read_back_as_written_in_path_order() -> None:
    fd = handover.shared_file()
    try:
        texts = {"b/2.yml": "two: 2\n", "a/1.md": "# Ünïcode 📞\n", "c/empty.json": ""}
        spool = _spooled(fd, texts)
        receipt = handover.seal(spool, {"dashboards": ({}, [])})
        own = spool.files()
        got = handover.take_over(fd, receipt)
    finally:
        os.close(fd)  # the Files keep their own descriptor
    assert got is not None
    files, parsed = got
    expected = {path: text.encode() for path, text in texts.items()}
    assert list(files) == sorted(texts) and len(files) == 3
    assert dict(files.items()) == expected and files == expected and own == expected
    assert parsed == {"dashboards": ({}, [])}
    assert "a/1.md" in files and "a/2.md" not in files
    both = files.plus({"d/here.yml": b"x: 1\n"})
    assert list(both) == [*sorted(texts), "d/here.yml"] and both["d/here.yml"] == b"x: 1\n"


def test_a_hand_over_cut_short_is_not_taken() -> None:
    fd = handover.shared_file()
    try:
        receipt = handover.seal(_spooled(fd, {"a.yml": "a: 1\n" * 100}), {})
        os.ftruncate(fd, receipt.size - 1)
        assert handover.take_over(fd, receipt) is None
    finally:
        os.close(fd)


def test_two_shares_writing_one_path_is_a_bug() -> None:
    with pytest.raises(RuntimeError, match=r"two renderers write a\.yml"):
        handover.Files({"a.yml": b""}).plus({"a.yml": b""})


def test_spooled_files_read_back_from_their_own_shared_files_once_joined() -> None:
    first, second = handover.shared_file(), handover.shared_file()
    try:
        here = handover.Spool(first)
        here.add("runbooks/a.md", "# Ä\n".encode())
        here.add("rules/a.yml", b"groups: []\n")
        away = handover.Spool(second)
        away.add("grafana/a.json", b"{}\n")
        both = here.files().plus(away.files()).plus({"index.md": b"# index\n"})
    finally:
        os.close(first)  # each Files holds its own descriptors
        os.close(second)
    assert list(both) == ["grafana/a.json", "index.md", "rules/a.yml", "runbooks/a.md"]
    assert both == {
        "grafana/a.json": b"{}\n",
        "index.md": b"# index\n",
        "rules/a.yml": b"groups: []\n",
        "runbooks/a.md": "# Ä\n".encode(),
    }


def test_a_path_spooled_or_joined_twice_is_a_bug() -> None:
    fd = handover.shared_file()
    try:
        spool = handover.Spool(fd)
        spool.add("a.yml", b"a: 1\n")
        with pytest.raises(RuntimeError, match=r"two renderers write a\.yml"):
            spool.add("a.yml", b"a: 2\n")
        with pytest.raises(RuntimeError, match=r"two renderers write a\.yml"):
            handover.Files({"a.yml": b""}).plus(spool.files())
    finally:
        os.close(fd)


def test_without_memfd_create_a_temporary_file_is_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "memfd_create", raising=False)  # macOS has none
    fd = handover.shared_file()
    assert fd is not None
    try:
        spool = _spooled(fd, {"a.yml": "a: 1\n"})
        assert spool.files() == {"a.yml": b"a: 1\n"}
    finally:
        os.close(fd)


def test_without_positional_writes_the_bytes_stay_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "memfd_create", raising=False)
    monkeypatch.delattr(os, "pwrite")  # as on Windows, where an open file cannot be unlinked either
    assert handover.shared_file() is None
    spool = _spooled(None, {"b.yml": "b: 2\n", "a.yml": "a: 1\n"})
    assert list(spool.files()) == ["a.yml", "b.yml"] and spool.files()["b.yml"] == b"b: 2\n"
    with pytest.raises(RuntimeError, match=r"two renderers write a\.yml"):
        spool.add("a.yml", b"")


def test_without_a_temporary_folder_the_bytes_stay_in_memory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delattr(os, "memfd_create", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))  # as a full or read-only one
    assert handover.shared_file() is None


def test_one_process_renders_the_same_without_shared_files(
    brownie: Result, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "memfd_create", raising=False)
    monkeypatch.delattr(os, "pwrite")
    files, findings = parallel.render_and_check(brownie.model, prefix="output", processes=1)
    assert files == encoded(brownie.files)
    assert findings == run_checks(brownie.model, brownie.files, prefix="output")
