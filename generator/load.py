"""Import every module under specs/ and collect the Service objects it defines."""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path

from .errors import ErrorSink, Location, SpecError, SpecErrors, display_path
from .spec import Service
from .spec.base import collecting


def load(specs_dir: Path, sink: ErrorSink | None = None) -> list[tuple[Service, str]]:
    """Each service defined under `specs_dir` with its file's display path.

    Errors go to `sink` when one is given, so the build can add its own and the user sees all
    of them at once; without a sink they raise SpecErrors.
    """
    own_sink = sink is None
    sink = sink if sink is not None else ErrorSink()
    found: list[tuple[Service, str]] = []
    files = (
        sorted(p for p in specs_dir.glob("*.py") if not p.name.startswith("_")) if specs_dir.is_dir() else []
    )
    where = display_path(str(specs_dir))
    if not specs_dir.is_dir():
        raise SpecErrors([_error(where, 0, f"no spec directory {where!r}; pass --specs DIR")])
    for path in files:
        services = _load_file(path, sink)
        # Artifacts name their source as `<specs folder>/<file>`, the same from any cwd.
        found.extend((s, f"{path.parent.name}/{path.name}") for s in services)
    if not sink.errors and not found:
        sink.add(
            Location(where, 0),
            "",
            f"no Service found in {where}/*.py; define one, e.g. `service = Service(name=..., ...)`",
        )
    if own_sink and sink.errors:
        raise SpecErrors(sink.sorted())
    return found


def _error(file: str, line: int, message: str) -> SpecError:
    return SpecError(Location(file, line), "", message)


def _load_file(path: Path, sink: ErrorSink) -> list[Service]:
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
        with collecting(sink):
            spec.loader.exec_module(module)
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
    services = [v for v in vars(module).values() if isinstance(v, Service)]
    # A module may also list services in SERVICES; keep definition order, no duplicates.
    for extra in getattr(module, "SERVICES", ()):
        if isinstance(extra, Service) and all(extra is not s for s in services):
            services.append(extra)
    return services


def _spec_line(exc: BaseException, path: Path) -> int:
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == path.resolve():
            line = frame.lineno or 0
    return line
