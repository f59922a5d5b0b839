"""Which folders `generate` may replace: only its own output, never what a user keeps there.

`generate` swaps the whole out folder for a new tree, so a wrong `--out` (the repository, the
specs, a home folder) would delete whatever was in it. A folder is alertgen's when it is new or
empty, when it holds the marker file every written tree carries, or when every file in it is one
alertgen writes and says so (a tree written before the marker existed).
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER = ".alertgen-output"
MARKER_TEXT = (
    "This folder is written by alertgen (`alertgen generate`): every run replaces it whole.\n"
    "Do not keep anything else here; change the specs and regenerate instead.\n"
)

# Top-level folders of a tree alertgen writes (generator/conventions.py's output paths).
_ARTIFACT_DIRS = (
    *("prometheus", "alertmanager", "grafana", "runbooks"),
    *("kubernetes", "thanos", "mimir", "vmalert"),
)


def refusal(out: Path, specs_dir: Path) -> str | None:
    """Why `out` must not be replaced by a generated tree, or None when it may be."""
    real = Path(os.path.realpath(out))
    specs = Path(os.path.realpath(specs_dir))
    shown = str(out)
    advice = "give a folder of its own, e.g. --out output"
    if real == Path(real.anchor):
        return f"--out {shown} is the file system root; {advice}"
    if real in _homes():
        return f"--out {shown} is a home folder; {advice}"
    if real.is_dir() and (real / ".git").exists():
        return f"--out {shown} is a repository's root; {advice}"
    if specs == real or real in specs.parents:
        return f"--out {shown} contains the specs folder {specs_dir}; {advice}"
    if not real.exists():
        return None
    if not real.is_dir():
        return f"--out {shown} is not a folder; {advice}"
    # A run killed while swapping a mounted folder's entries left the marker with the old ones.
    aside = any((old / MARKER).is_file() for old in real.glob(".alertgen-old-*"))
    if (real / MARKER).is_file() or aside or _written_before(real):
        return None
    return (
        f"--out {shown} holds files alertgen did not write (no {MARKER} marker); "
        "give an empty or new folder, or move those files away"
    )


def _homes() -> set[Path]:
    homes = {Path(os.path.realpath(Path.home())), Path("/root")}
    for base in (Path("/home"), Path("/Users")):
        if base.is_dir():
            homes.update(Path(os.path.realpath(p)) for p in base.iterdir() if p.is_dir())
    return homes


def _written_before(real: Path) -> bool:
    """Whether every file under `real` is alertgen's: one in its folders that names alertgen (a
    tree from before the marker: every file alertgen writes does; an empty folder too)."""
    for root, dirs, names in os.walk(real):
        dirs.sort()
        for name in names:
            full = Path(root) / name
            rel = full.relative_to(real).as_posix()
            if rel.split("/", 1)[0] not in _ARTIFACT_DIRS or full.is_symlink() or not full.is_file():
                return False
            try:
                with open(full, "rb") as handle:
                    if b"alertgen" not in handle.read(8192):
                        return False
            except OSError:
                return False
    return True
