"""The prometheus-operator's `PrometheusRule` CRD schema, and objects checked against it.

The schema is Kubernetes' OpenAPI v3 dialect: JSON Schema plus `x-kubernetes-*` markers and
Go regular expressions. It is read as JSON Schema, with the two differences that matter here
bridged: Go's `^(?i)...` becomes Python's `(?i)^...`, and `x-kubernetes-list-map-keys` lists
must not repeat a key (the API server refuses two groups with one name).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

# A copy of prometheus-operator 0.93's CRD (Apache-2.0), byte for byte; tests hold it equal to
# the corpus copy in ../shared/corpus/prometheus-operator.
CRD = Path(__file__).parent / "data" / "prometheusrules.crd.yaml"


@functools.cache
def schema(path: Path = CRD) -> dict[str, Any]:
    """The v1 openAPIV3Schema of a PrometheusRule CRD file, its patterns in Python's dialect."""
    crd = yaml.safe_load(path.read_text())
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
    spec: dict[str, Any] = _python_patterns(version["schema"]["openAPIV3Schema"])
    return spec


def _python_patterns(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _python_patterns(v) for k, v in node.items()}
        pattern = out.get("pattern")
        # Python only takes global flags at the very start; Go takes them after the anchor.
        if isinstance(pattern, str) and pattern.startswith("^(?i)"):
            out["pattern"] = "(?i)^" + pattern[len("^(?i)") :]
        return out
    if isinstance(node, list):
        return [_python_patterns(v) for v in node]
    return node


def problems(document: Any, path: Path = CRD) -> list[str]:
    """What the API server would refuse in a PrometheusRule object: `at <path>: <why>`, in order."""
    from jsonschema import Draft7Validator  # imported when used: only verify and tests need it

    if not isinstance(document, dict):
        return ["not a mapping"]
    found = []
    if document.get("apiVersion") != "monitoring.coreos.com/v1" or document.get("kind") != "PrometheusRule":
        found.append("at /: not apiVersion monitoring.coreos.com/v1, kind PrometheusRule")
    spec = schema(path)
    for error in sorted(Draft7Validator(spec).iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/" + "/".join(map(str, error.absolute_path))
        found.append(f"at {where}: {error.message}")
    found.extend(_repeated_keys(spec, document, "/"))
    return found


def _repeated_keys(node: dict[str, Any], value: Any, where: str) -> Iterator[str]:
    """`x-kubernetes-list-type: map` lists whose items share their keys."""
    if isinstance(value, dict):
        for key, sub in node.get("properties", {}).items():
            if key in value:
                yield from _repeated_keys(sub, value[key], f"{where}{key}/")
    elif isinstance(value, list):
        keys = node.get("x-kubernetes-list-map-keys")
        seen: set[tuple[Any, ...]] = set()
        for i, item in enumerate(value):
            if keys and isinstance(item, dict):
                key = tuple(item.get(k) for k in keys)
                if key in seen:
                    yield f"at {where}{i}: {', '.join(keys)} {key if len(key) > 1 else key[0]!r} listed twice"
                seen.add(key)
            yield from _repeated_keys(node.get("items", {}), item, f"{where}{i}/")
