"""The repository's `Targets`: one for all modules, narrowed by `--target`, and what each refuses.

A module's `Targets` is found while the module is built (`build.module_targets`); the
repository's is decided once all modules are in (`repository_targets`), with the errors of rules
a chosen target cannot read, each naming the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .errors import ErrorSink, SpecError
from .spec.targets import DEFAULT, TARGET_NAMES, Mimir, Operator, Targets, Thanos, VMAlert

if TYPE_CHECKING:
    from .build import ModulePart
    from .model import ResolvedService

# vmalert learnt `keep_firing_for` in 1.92 (VictoriaMetrics' changelog); older ones refuse the file.
VMALERT_KEEP_FIRING_FOR = "1.92"
_DEFAULTS = {"operator": Operator, "thanos": Thanos, "mimir": Mimir, "vmalert": VMAlert}


def repository_targets(
    parts: Sequence[ModulePart], chosen: Sequence[str] | None = None
) -> tuple[list[ModulePart], Targets]:
    """The Targets of every module (one for all), narrowed to `chosen` when given; the parts come
    back with the errors of two different Targets and of rules a target cannot read."""
    declared = [p.targets for p in parts if p.targets is not None]
    targets = declared[0] if declared else DEFAULT
    errors: dict[int, list[SpecError]] = {}
    for i, part in enumerate(parts):
        sink = ErrorSink()
        if part.targets is not None and part.targets != targets:
            sink.add(
                part.targets.location,
                "Targets",
                f"differs from the Targets at {targets.location}; declare them once and import them",
            )
        errors[i] = sink.errors
    if chosen is not None:
        targets = select(targets, chosen)
    for i, part in enumerate(parts):
        sink = ErrorSink()
        for service in part.services:
            unsupported(sink, targets, service)
        errors[i].extend(sink.errors)
    out = [replace(p, errors=(*p.errors, *errors[i])) if errors[i] else p for i, p in enumerate(parts)]
    return out, targets


def select(targets: Targets, names: Sequence[str]) -> Targets:
    """Only the targets named, each with the spec's settings or, where it declares none, the defaults."""
    unknown = sorted(set(names) - set(TARGET_NAMES))
    if unknown:
        raise ValueError(f"unknown target {unknown[0]!r}; choose from {', '.join(TARGET_NAMES)}")
    chosen = {n: getattr(targets, n) or _DEFAULTS[n]() for n in TARGET_NAMES if n in names}
    return Targets.model_construct(**chosen, global_layer=targets.global_layer)


def unsupported(sink: ErrorSink, targets: Targets, service: ResolvedService) -> None:
    """An error for each rule field a chosen target does not read, naming the target."""
    vmalert = targets.vmalert
    if vmalert is None or vmalert.supports(VMALERT_KEEP_FIRING_FOR):
        return
    for alert in service.alerts:
        if alert.keep_firing_for is not None:
            sink.add(
                alert.location,
                f"Alert {alert.name!r}",
                f"keep_firing_for: target vmalert {vmalert.version} does not read it (vmalert reads it since "
                f"{VMALERT_KEEP_FIRING_FOR}); set VMAlert(version=...) to the vmalert you run, or drop it",
            )
