"""Import every module under specs/ and collect the Service, Team and Routing objects it defines."""

from __future__ import annotations

import importlib.util
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType

from .compileahead import compiled
from .errors import ErrorSink, Location, SpecError, SpecErrors, display_path
from .spec import Service
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


def load_all(specs_dir: Path, sink: ErrorSink | None = None, processes: int = 1) -> Loaded:
    """Services, teams and routing settings defined under `specs_dir` (errors as for `load`).

    `processes=2` has a second process compile the modules ahead (generator/compileahead.py).
    """
    own_sink = sink is None
    sink = sink if sink is not None else ErrorSink()
    loaded = Loaded()
    found = loaded.services
    files = (
        sorted(p for p in specs_dir.glob("*.py") if not p.name.startswith("_")) if specs_dir.is_dir() else []
    )
    where = display_path(str(specs_dir))
    if not specs_dir.is_dir():
        raise SpecErrors([_error(where, 0, f"no spec directory {where!r}; pass --specs DIR")])
    codes = compiled([_module_name(p) for p in files], files, processes)
    for path, code in zip(files, codes, strict=True):
        objects = _load_file(path, sink, code)
        # Artifacts name their source as `<specs folder>/<file>`, the same from any cwd.
        found.extend((s, f"{path.parent.name}/{path.name}") for s in objects if isinstance(s, Service))
        # A module that imports another's team re-creates an equal object: keep one.
        for obj in objects:
            if isinstance(obj, Team) and obj not in loaded.teams:
                loaded.teams.append(obj)
            elif isinstance(obj, Routing) and obj not in loaded.routings:
                loaded.routings.append(obj)
    if not sink.errors and not found:
        sink.add(
            Location(where, 0),
            "",
            f"no Service found in {where}/*.py; define one, e.g. `service = Service(name=..., ...)`",
        )
    if own_sink and sink.errors:
        raise SpecErrors(sink.sorted())
    return loaded


def _error(file: str, line: int, message: str) -> SpecError:
    return SpecError(Location(file, line), "", message)


def _module_name(path: Path) -> str:
    return f"alertgen_specs.{path.stem}"


def _load_file(path: Path, sink: ErrorSink, code: CodeType | None = None) -> list[SpecModel]:
    name = _module_name(path)
    shown = display_path(str(path))
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py file always has a loader
        sink.add(Location(shown, 0), "", "cannot be imported")
        return []
    module = importlib.util.module_from_spec(spec)
    # Specs may import helpers from their own folder.
    sys.path.insert(0, str(path.parent))
    try:
        with collecting(sink):
            if code is None:
                spec.loader.exec_module(module)
            else:  # compiled ahead, as the loader would have: only executing is left
                exec(code, module.__dict__)
    except SyntaxError as exc:
        sink.add(Location(shown, exc.lineno or 0), "", f"syntax error: {exc.msg}")
        return []
    except Exception as exc:  # a spec module may raise anything; report it on one line
        line = _spec_line(exc, path)
        sink.add(
            Location(shown, line),
            "",
            f"the spec module raised {type(exc).__name__}: {exc}".rstrip(": ").replace("\n", " "),
        )
        return []
    finally:
        sys.path.remove(str(path.parent))
        sys.modules.pop(name, None)
    objects: list[SpecModel] = [v for v in vars(module).values() if isinstance(v, Service | Team | Routing)]
    # A module may also list services in SERVICES; keep definition order, no duplicates.
    for extra in getattr(module, "SERVICES", ()):
        if isinstance(extra, Service) and all(extra is not s for s in objects):
            objects.append(extra)
    return objects


def _spec_line(exc: BaseException, path: Path) -> int:
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == path.resolve():
            line = frame.lineno or 0
    return line
