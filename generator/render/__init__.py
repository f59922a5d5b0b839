"""Renderers: each a pure function from the resolved model to `{relative path: text}`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from .. import handover
from ..handover import Files
from ..model import Model
from . import (
    alertmanager,
    amtool_tests,
    grafana,
    grafana_provisioning,
    prometheus,
    promtool_tests,
    readback,
    runbooks,
)
from .readback import ReadBack

Renderer = Callable[[Model], dict[str, str]]

# One renderer per artifact; a new artifact adds its module here.
RENDERERS: tuple[Renderer, ...] = (
    prometheus.render,
    promtool_tests.render,
    grafana.render,
    grafana_provisioning.render,
    runbooks.render,
    alertmanager.render,
    amtool_tests.render,
)


def render_all(
    model: Model, renderers: Sequence[Renderer] = RENDERERS, written: dict[str, ReadBack] | None = None
) -> dict[str, str]:
    """Every artifact of the model (or of `renderers`), by path; generator/parallel.py shares them out.

    With `written`, what a file reads back as goes there by its path, when its renderer recorded
    it (generator/render/readback.py): each runbook, the cases of each promtool test file.
    """
    if written is None:
        return join(renderer(model) for renderer in renderers)
    with readback.recording() as records:
        files = join(renderer(model) for renderer in renderers)
    for path, text in files.items():
        record = records.get(id(text))
        if record is not None and record[0] is text:
            written[path] = record[1]
    return files


# Renderers that can hand over their files one at a time (the others' outputs are taken apart).
_ONE_BY_ONE: dict[Renderer, Callable[[Model], Iterator[tuple[str, str]]]] = {
    runbooks.render: runbooks.each,
    promtool_tests.render: promtool_tests.each,
}


def render_encoded(
    model: Model,
    renderers: Sequence[Renderer],
    written: dict[str, ReadBack],
    spool: handover.Spool | None = None,
) -> Files:
    """What `render_all` renders, as the UTF-8 bytes to write, each text let go once encoded and
    its bytes once written into a shared file (`spool`, else a new one: generator/handover.py),
    where they wait to be compared with output/ and written there.

    The texts of one renderer are never all held at once when it can hand them over one by one
    (the runbooks: 91 MB of 4-byte strings at 10,000 alerts, their bytes 25 MB).
    """
    if spool is None:
        fd = handover.shared_file()
        try:
            return render_encoded(model, renderers, written, handover.Spool(fd))
        finally:
            if fd is not None:
                os.close(fd)  # the files keep their own descriptor
    with readback.recording() as records:
        for renderer in renderers:
            for path, text in _one_by_one(renderer, model):
                record = records.pop(id(text), None)
                if record is not None and record[0] is text:
                    written[path] = record[1]
                spool.add(path, text.encode())
                del text
    return spool.files()


def _one_by_one(renderer: Renderer, model: Model) -> Iterator[tuple[str, str]]:
    each = _ONE_BY_ONE.get(renderer)
    if each is not None:
        yield from each(model)
        return
    out = renderer(model)
    while out:
        yield out.popitem()


_Content = TypeVar("_Content", bound=str | bytes)


def join(outputs: Iterable[Mapping[str, _Content]]) -> dict[str, _Content]:
    """Renderers' outputs as one tree in path order; two renderers claiming one path is a bug."""
    files: dict[str, _Content] = {}
    for output in outputs:
        for path, text in output.items():
            if path in files:
                raise RuntimeError(f"two renderers write {path}")
            files[path] = text
    return dict(sorted(files.items()))
