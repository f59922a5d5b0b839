"""load -> build -> render -> check -> write (or compare): the one path every command takes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .checks import Finding, run_checks
from .errors import display_path
from .model import Model
from .output import existing_files
from .parallel import render_and_check
from .render import render_all
from .shards import model_of


@dataclass(frozen=True, slots=True)
class Result:
    """A run's model and rendered files."""

    model: Model
    files: dict[str, str]


def run(specs_dir: Path, time_scale: float = 1.0) -> Result:
    """Load, build and render; raises SpecErrors on bad specs, writes nothing."""
    model = model_of(specs_dir, time_scale)
    return Result(model, render_all(model))


@dataclass(frozen=True, slots=True)
class Generated:
    """What `generate` writes: the model and every file as its bytes."""

    model: Model
    files: Mapping[str, bytes]


def generate(
    specs_dir: Path, out_dir: Path, time_scale: float = 1.0, processes: int = 1
) -> tuple[Generated, list[Finding]]:
    """What `alertgen generate` writes, and every check's findings on it, `processes` cores sharing."""
    model = model_of(specs_dir, time_scale, processes)
    files, findings = render_and_check(model, prefix=display_path(str(out_dir)), processes=processes)
    return Generated(model, files), findings


def check(result: Result, out_dir: Path, prometheus_url: str | None = None) -> list[Finding]:
    """The consistency checks on freshly rendered files, as they would land in `out_dir`."""
    return run_checks(
        result.model, result.files, prefix=display_path(str(out_dir)), prometheus_url=prometheus_url
    )


def as_read(full: Path) -> str | bytes:
    """A file on disk as the checks read it: its text, or its bytes when they decode to the same.

    Bytes are UTF-8 with no carriage return to translate, decoded when a check parses the file,
    one at a time: the runbooks' emoji make CPython hold their text in 4 bytes a character (91 MB
    at 10,000 alerts, 25 MB as bytes). Anything else is read as text with undecodable bytes
    replaced, as before.
    """
    data = full.read_bytes()
    if b"\r" not in data:
        try:
            data.decode()
        except UnicodeDecodeError:
            pass
        else:
            return data
    return full.read_text(errors="replace")


def check_tree(
    specs_dir: Path, out_dir: Path, prometheus_url: str | None = None, processes: int = 1
) -> list[Finding]:
    """The consistency checks on the tree on disk (hand edits included), the specs giving intent."""
    model = model_of(specs_dir, processes=processes)
    files = {path: as_read(full) for path, full in existing_files(out_dir).items()}
    _, findings = render_and_check(
        model,
        prefix=display_path(str(out_dir)),
        processes=processes,
        prometheus_url=prometheus_url,
        files=files,
    )
    return findings
