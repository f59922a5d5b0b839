"""Errors reported in one line: spec errors, each naming the spec file and line, collected rather
than raised; and a job's worker process that died."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

_NEWLINES = re.compile(r"\s*\n\s*")


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """Where a spec object was written: a file (relative when under the cwd) and a line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __deepcopy__(self, memo: dict[int, object]) -> Location:
        # Immutable, so a copy is itself; pydantic deep-copies the default of every spec object.
        return self


def display_path(path: str) -> str:
    """Show a path relative to the working directory when it lies below it."""
    return _relative(path, os.getcwd())


# Every spec object's location passes here (76,000 at 10k alerts, from a few hundred files):
# one relpath per file, and the objects of a file share one string.
@functools.lru_cache(maxsize=4096)
def _relative(path: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


@dataclass(frozen=True, order=True)
class SpecError:
    """One problem in a spec: `file:line: Subject 'name': what is wrong and what to change`."""

    location: Location
    subject: str
    message: str

    def __str__(self) -> str:
        prefix = f"{self.location}: "
        text = f"{prefix}{self.subject}: {self.message}" if self.subject else prefix + self.message
        # One error, one line: expressions and spec text may span several.
        return _NEWLINES.sub(" ", text)


@dataclass
class ErrorSink:
    """Collects spec errors so that a run reports all of them at once."""

    errors: list[SpecError] = field(default_factory=list)

    def add(self, location: Location, subject: str, message: str) -> None:
        """Record one error."""
        self.errors.append(SpecError(location, subject, message))

    def sorted(self) -> list[SpecError]:
        """The errors in file, line order, duplicates dropped."""
        return sorted(set(self.errors))


class SpecErrors(Exception):
    """Raised at the end of loading or building when any spec error was found."""

    def __init__(self, errors: list[SpecError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class WorkerDied(Exception):
    """A job's worker process ended without a result: killed from outside (the out-of-memory
    killer, a signal), not by alertgen's code, which would have raised with its traceback."""

    def __init__(self) -> None:
        super().__init__(
            "a worker process died while rendering and checking (killed from outside, e.g. by the "
            "out-of-memory killer: see dmesg); nothing written; run again, with fewer jobs (-j) "
            "to use less memory"
        )
