"""Import every module under specs/ and collect the Service, Team and Routing objects it defines."""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from .errors import ErrorSink, Location, SpecError, SpecErrors, display_path
from .isolate import SpecTimeout
from .spec import Conventions, Service, Targets
from .spec.base import SpecModel, collecting
from .spec.routing import Routing, Team


@dataclass
class Loaded:
    """What the spec modules define: services (with their file), teams and routing settings."""

    services: list[tuple[Service, str]] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    routings: list[Routing] = field(default_factory=list)


def load(specs_dir: Path, sink: ErrorSink | None = None) -> list[tuple[Service, str]]:
    """Each service defined under `specs_dir` with its file's display path.

    Errors go to `sink` when one is given, so the build can add its own and the user sees all
    of them at once; without a sink they raise SpecErrors.
    """
    return load_all(specs_dir, sink).services


def load_all(specs_dir: Path, sink: ErrorSink | None = None) -> Loaded:
    """Services, teams and routing settings defined under `specs_dir` (errors as for `load`)."""
    own_sink = sink is None
    sink = sink if sink is not None else ErrorSink()
    loaded = Loaded()
    for path in spec_files(specs_dir):
        add(loaded, path, load_file(path, sink))
    if not sink.errors and not loaded.services:
        where = display_path(str(specs_dir))
        sink.add(
            Location(where, 0),
            "",
            f"no Service found in {where}/*.py; define one, e.g. `service = Service(name=..., ...)`",
        )
    if own_sink and sink.errors:
        raise SpecErrors(sink.sorted())
    return loaded


def spec_files(specs_dir: Path) -> list[Path]:
    """The spec modules of a folder in load order (`_*.py` are helpers); SpecErrors without one."""
    if not specs_dir.is_dir():
        where = display_path(str(specs_dir))
        raise SpecErrors([_error(where, 0, f"no spec directory {where!r}; pass --specs DIR")])
    found = sorted(p for p in specs_dir.glob("*.py") if not p.name.startswith("_"))
    odd = [p for p in found if not p.is_file()]  # a FIFO or device would never finish reading
    if odd:
        raise SpecErrors(
            [_error(display_path(str(p)), 0, "not a regular file; a spec is a .py file") for p in odd]
        )
    return found


def add(loaded: Loaded, path: Path, objects: list[SpecModel]) -> None:
    """What one spec module defined, added to `loaded` in file order."""
    # Artifacts name their source as `<specs folder>/<file>`, the same from any cwd.
    loaded.services.extend((s, f"{path.parent.name}/{path.name}") for s in objects if isinstance(s, Service))
    # A module that imports another's team re-creates an equal object: keep one.
    for obj in objects:
        if isinstance(obj, Team) and obj not in loaded.teams:
            loaded.teams.append(obj)
        elif isinstance(obj, Routing) and obj not in loaded.routings:
            loaded.routings.append(obj)


def _error(file: str, line: int, message: str) -> SpecError:
    return SpecError(Location(file, line), "", message)


def load_file(path: Path, sink: ErrorSink) -> list[SpecModel]:
    """The Service, Team, Routing, Conventions and Targets objects one spec module defines or imports; its
    errors go to `sink`."""
    name = f"alertgen_specs.{path.stem}"
    shown = display_path(str(path))
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py file always has a loader
        sink.add(Location(shown, 0), "", "cannot be imported")
        return []
    module = importlib.util.module_from_spec(spec)
    # Specs may import helpers from their own folder.
    sys.path.insert(0, str(path.parent))
    try:
        with collecting(sink), _no_process_exit():
            spec.loader.exec_module(module)
    except SyntaxError as exc:
        sink.add(Location(shown, exc.lineno or 0), "", f"syntax error: {exc.msg}")
        return []
    except SpecTimeout as exc:
        line = _spec_line(exc, path)
        sink.add(
            Location(shown, line),
            "",
            f"the spec module did not finish loading within {exc.seconds:g} s (--timeout); this line "
            "was running then: look for an endless loop",
        )
        return []
    except BaseException as exc:  # a spec module may raise anything, sys.exit too: one line
        line = _spec_line(exc, path)
        sink.add(Location(shown, line), "", f"the spec module raised {_described(exc)}")
        return []
    finally:
        sys.path.remove(str(path.parent))
        sys.modules.pop(name, None)
    objects: list[SpecModel] = [
        v for v in vars(module).values() if isinstance(v, Service | Team | Routing | Conventions | Targets)
    ]
    # A module may also list services in SERVICES; keep definition order, no duplicates.
    extras = getattr(module, "SERVICES", ())
    if not isinstance(extras, list | tuple) or not all(isinstance(e, Service) for e in extras):
        line = next(
            (n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("SERVICES")), 0
        )
        sink.add(Location(shown, line), "", "SERVICES must be a list of Service objects; fix or remove it")
        return objects
    objects.extend(e for e in extras if all(e is not s for s in objects))
    return objects


class _ProcessExit(BaseException):
    """A spec's os._exit(code), turned into an exception while the spec module runs."""


@contextmanager
def _no_process_exit() -> Iterator[None]:
    """os._exit raises while a spec module runs, so that its line can be named (the worker's own
    exit, after the module, is left alone)."""

    def refuse(status: int) -> NoReturn:
        raise _ProcessExit(f"os._exit({status})")

    real = os._exit
    os._exit = refuse
    try:
        yield
    finally:
        os._exit = real


def _described(exc: BaseException) -> str:
    """`Type: message` of an exception, even one whose `__str__` fails."""
    try:
        text = str(exc)
    except Exception:
        text = "(its message could not be shown)"
    if isinstance(exc, _ProcessExit):
        return f"no exception but called {text}; a spec must only define objects, not exit"
    if isinstance(exc, SystemExit):
        text = f"{text or 'no code'}; a spec must only define objects, not exit"
    return f"{type(exc).__name__}: {text}".rstrip(": ").replace("\n", " ")


def _spec_line(exc: BaseException, path: Path) -> int:
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == path.resolve():
            line = frame.lineno or 0
    return line
