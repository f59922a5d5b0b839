"""Where the imported rules were loaded, as the repository's `Targets` (written into house.py).

A PrometheusRule object is selected by its namespace and labels, a Thanos group carries its
partial_response_strategy, a Mimir namespace is what `mimirtool rules sync` replaces: the
generated files must carry the same, or the rules are not loaded as they were. Targets hold one
setting per target for the whole repository, so a file that one setting cannot describe is
listed as not kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from ..spec.base import format_validation_error
from ..spec.targets import Operator
from .source import SourceFile

HOUSE = "house"
DEFAULT_NAMESPACE = str(Operator.model_fields["namespace"].default)
_THANOS_DEFAULT = "abort"  # what Thanos does with a group that names no strategy


def metadata_errors(files: Sequence[SourceFile]) -> list[str]:
    """A PrometheusRule's namespace or labels that Kubernetes would refuse (as `Operator` does)."""
    out = []
    for f in files:
        if f.kind != "prometheusrule":
            continue
        try:
            Operator(namespace=f.namespace or DEFAULT_NAMESPACE, labels=dict(f.labels))
        except ValidationError as exc:
            what = f"{f.where}: PrometheusRule `{f.name}`: metadata"
            out += [f"{what}: {format_validation_error(Operator, e)}" for e in exc.errors()]
    return out


def targets(files: Sequence[tuple[SourceFile, str]], not_kept: list[str]) -> str | None:
    """`Targets(...)`'s arguments for the imported files, each with the service it goes into;
    None when they are plain Prometheus rule files. Whatever one setting cannot describe is
    added to `not_kept`."""
    chosen = [
        setting
        for setting in (
            _operator([f for f, _ in files], not_kept),
            _thanos([f for f, _ in files], not_kept),
            _mimir(files, not_kept),
        )
        if setting
    ]
    return ", ".join(chosen) or None


def _operator(files: Sequence[SourceFile], not_kept: list[str]) -> str | None:
    """The first PrometheusRule's namespace and labels; each object they do not fit is listed."""
    objects = [f for f in files if f.kind == "prometheusrule"]
    if not objects:
        return None
    first = objects[0]
    namespace = first.namespace or DEFAULT_NAMESPACE
    for f in objects:
        lost = [] if f.namespace else [f"it has no metadata.namespace and goes into {namespace!r}"]
        if f.namespace and f.namespace != namespace:
            lost.append(f"its namespace {f.namespace!r} is not {namespace!r}")
        if dict(f.labels) != dict(first.labels):
            lost.append(f"its labels {dict(f.labels)!r} are not {dict(first.labels)!r}")
        if lost:
            not_kept.append(
                f"{f.where}: PrometheusRule `{f.name}`: {'; '.join(lost)} (one Operator in {HOUSE}.py "
                "writes every PrometheusRule)"
            )
    return f"operator=Operator(namespace={namespace!r}, labels={dict(first.labels)!r})"


def _thanos(files: Sequence[SourceFile], not_kept: list[str]) -> str | None:
    """The first partial_response_strategy groups name; each group that names another is listed."""
    groups = [g for f in files for g in f.groups]
    named = [
        str(g.other["partial_response_strategy"]).lower()
        for g in groups
        if "partial_response_strategy" in g.other
    ]
    if not named:
        return None
    strategy = named[0]
    for g in groups:
        own = str(g.other.get("partial_response_strategy", _THANOS_DEFAULT)).lower()
        if own != strategy:
            not_kept.append(
                f"{g.where}: group `{g.name}`: partial_response_strategy {own} is not {strategy} "
                f"(one Thanos in {HOUSE}.py writes every group's)"
            )
    return f"thanos=Thanos(partial_response_strategy={strategy!r})"


def _mimir(files: Sequence[tuple[SourceFile, str]], not_kept: list[str]) -> str | None:
    """Each service in the namespace of its name (Mimir's default), or all in the one namespace
    the files share; a namespace neither describes is listed."""
    spaces = [(f, service) for f, service in files if f.kind == "mimir" and f.name]
    if not spaces:
        return None
    if all(f.name == service for f, service in spaces):
        return "mimir=Mimir()"
    if len({f.name for f, _ in spaces}) == 1:
        return f"mimir=Mimir(namespace={spaces[0][0].name!r})"
    not_kept.extend(
        f"{f.where}: Mimir namespace `{f.name}` is written as `{service}`, the service's name "
        "(Mimir(namespace=...) in Targets would put every service in one namespace)"
        for f, service in spaces
        if f.name != service
    )
    return "mimir=Mimir()"
