"""Where the rules are deployed: the rule formats written besides the plain Prometheus files.

Declared once for the repository, like `Conventions`: one `Targets` object in a spec module,
imported by the others. The command line's `--target` picks targets for one run.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .secrets import Committed
from .types import LabelName, MetricName

# Kubernetes object names and namespaces are DNS-1123 labels; label values have their own grammar.
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_K8S_KEY = re.compile(
    r"^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"
)
_K8S_VALUE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$")
_VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")

# The target names `--target` and messages use, in the order files are listed.
TARGET_NAMES = ("operator", "thanos", "mimir", "vmalert")


class Operator(Committed):
    """Kubernetes `PrometheusRule` objects (monitoring.coreos.com/v1), one per service.

    `labels` are what the Prometheus object's `ruleSelector` matches; `namespace` what its
    `ruleNamespaceSelector` selects.
    """

    namespace: str = "monitoring"
    labels: dict[str, str] = Field(default_factory=dict)

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        if not _DNS_LABEL.match(value):
            raise ValueError(
                f"invalid namespace {value!r}; use lower-case letters, digits and '-', at most 63"
            )
        return value

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        for key, label in value.items():
            if not _K8S_KEY.match(key):
                raise ValueError(f"invalid Kubernetes label key {key!r}")
            if not _K8S_VALUE.match(label):
                raise ValueError(
                    f"label {key!r}: invalid Kubernetes label value {label!r}; at most 63 of [A-Za-z0-9-_.]"
                )
        return value


class Thanos(Committed):
    """Thanos Ruler rule files: every group says what to do when a store answers partially."""

    # `abort` (Thanos' default) fails the evaluation; `warn` evaluates on what answered.
    partial_response_strategy: Literal["warn", "abort"] = "abort"


class Mimir(Committed):
    """Mimir/Cortex ruler namespace files (`namespace:` + `groups:`), for `mimirtool rules sync`."""

    # One namespace per service unless set: `mimirtool rules sync` replaces a namespace whole.
    namespace: str | None = None


class VMAlert(Committed):
    """Rule files for VictoriaMetrics' vmalert, as the given vmalert version reads them."""

    # Debian's victoria-metrics package ships 1.79; fields newer vmalerts read are refused below it.
    version: str = "1.79"

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not _VERSION.match(value):
            raise ValueError(f"invalid version {value!r}; write it as 1.79 or 1.92.1")
        return value

    def supports(self, since: str) -> bool:
        """Whether this vmalert version reads a field first read in version `since`."""
        return _parts(self.version) >= _parts(since)


def _parts(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


class GlobalLayer(Committed):
    """What the global ruler sees: the labels each source adds, and the raw series forwarded.

    Source recording rules always reach it (remote-written or queried through the query layer);
    a raw series only when it is listed in `forwarded`.
    """

    # Labels every source Prometheus adds to what leaves it (its external_labels).
    external_labels: tuple[LabelName, ...] = ("cluster", "replica")
    # Of those, the ones that tell replicas of one source apart: a global alert must drop them,
    # or it fires once per replica.
    replica_labels: tuple[LabelName, ...] = ("replica",)
    forwarded: tuple[MetricName, ...] = ()

    @model_validator(mode="after")
    def _replicas_are_external(self) -> GlobalLayer:
        stray = sorted(set(self.replica_labels) - set(self.external_labels))
        if stray:
            raise ValueError(f"replica_labels: {stray[0]!r} is not one of external_labels; list it there too")
        return self


class Targets(Committed):
    """The rule formats written besides `prometheus/rules/` (always written: tests and checks read it).

    Declare it once (e.g. next to `Conventions`) and import it into every spec module.
    """

    operator: Operator | None = None
    thanos: Thanos | None = None
    mimir: Mimir | None = None
    vmalert: VMAlert | None = None
    # Unset: the defaults below for the eval/ checks, and no label counts as added by the sources.
    global_layer: GlobalLayer | None = None

    def layer(self) -> GlobalLayer:
        """The global layer as declared, or the defaults (`cluster`, `replica`, nothing forwarded)."""
        return self.global_layer or GlobalLayer()

    def names(self) -> tuple[str, ...]:
        """The targets selected, in `TARGET_NAMES` order."""
        return tuple(n for n in TARGET_NAMES if getattr(self, n) is not None)


DEFAULT = Targets()
