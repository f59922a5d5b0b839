"""`alertgen verify` on the other targets' rule files: each checked by what reads it.

PrometheusRule objects against the operator's CRD schema; Thanos Ruler files by promtool once
the one field Thanos adds (`partial_response_strategy`) is checked and set aside, as Thanos does;
Mimir namespace files for their shape, then their groups by promtool; vmalert files by
`vmalert -dryRun`. Groups lifted out of a file are checked from a copy in a temporary folder and
reported under the file's own name.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from . import conventions as conv
from . import crd

CRD_SCHEMA = "PrometheusRule CRD schema"
THANOS_RULES = "promtool check rules (Thanos)"
MIMIR_SHAPE = "Mimir namespace"
VMALERT_DRY_RUN = "vmalert -dryRun"
TOOLS = (CRD_SCHEMA, THANOS_RULES, MIMIR_SHAPE, VMALERT_DRY_RUN)
# Which check reads which target's files.
BY_TARGET = {"operator": CRD_SCHEMA, "thanos": THANOS_RULES, "mimir": MIMIR_SHAPE, "vmalert": VMALERT_DRY_RUN}
_STRATEGIES = ("warn", "abort")

RunTool = Callable[[Sequence[str], float], tuple[int | None, list[str]]]
CheckRules = Callable[[str, Sequence[Path], float], list[str | None]]


def files(out_dir: Path) -> list[tuple[str, Path]]:
    """`(check, file)` for every target rule file under `out_dir`, in target then path order."""
    found: list[tuple[str, Path]] = []
    for target, (folder, suffix) in conv.TARGET_FILES.items():
        found.extend((BY_TARGET[target], p) for p in sorted((out_dir / folder).glob(f"*{suffix}")))
    return found


def check(
    tool: str, path: Path, promtool: str, vmalert: str, timeout: float, run: RunTool, rules: CheckRules
) -> str | None:
    """None when `path` passes `tool`'s check, else why not, on one line."""
    if tool == VMALERT_DRY_RUN:
        code, lines = run([vmalert, "-dryRun", f"-rule={path}", "-loggerLevel=ERROR"], timeout)
        if code == 0:
            return None
        # vmalert logs `... fatal ... failed to parse [...]: errors(1): <why>`: the why is the news.
        why = [line.rpartition("errors(")[2].partition(": ")[2] or line for line in lines if "fatal" in line]
        return (why or lines or ["failed without a message"])[0].strip()
    try:
        data: Any = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        return f"cannot read: {str(exc).splitlines()[0]}"
    if tool == CRD_SCHEMA:
        found = crd.problems(data)
        if found:
            return " / ".join(found[:3]) + (f" (+{len(found) - 3} more)" if len(found) > 3 else "")
        groups = data["spec"]["groups"]
    elif tool == MIMIR_SHAPE:
        shape = _mimir_shape(data)
        if shape is not None:
            return shape
        groups = data["groups"]
    else:
        thanos = _thanos_strategies(data)
        if isinstance(thanos, str):
            return thanos
        groups = thanos
    return _promtool(promtool, path, groups, timeout, rules)


def _mimir_shape(data: Any) -> str | None:
    if not isinstance(data, dict) or set(data) != {"namespace", "groups"}:
        keys = sorted(data) if isinstance(data, dict) else type(data).__name__
        return f"not a Mimir namespace file: holds {keys}, expected exactly namespace and groups"
    if not isinstance(data["namespace"], str) or not data["namespace"]:
        return "namespace: not a non-empty string"
    if not isinstance(data["groups"], list):
        return "groups: not a list"
    return None


def _thanos_strategies(data: Any) -> list[Any] | str:
    """The groups without their `partial_response_strategy`, or what is wrong with one."""
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        return "not a rule file: no groups list"
    out = []
    for group in data["groups"]:
        if not isinstance(group, dict):
            return "a group is not a mapping"
        strategy = group.get("partial_response_strategy", "abort")
        if not isinstance(strategy, str) or strategy.lower() not in _STRATEGIES:
            return f"group {group.get('name')!r}: partial_response_strategy {strategy!r} is not warn or abort"
        out.append({k: v for k, v in group.items() if k != "partial_response_strategy"})
    return out


def _promtool(promtool: str, path: Path, groups: Any, timeout: float, rules: CheckRules) -> str | None:
    with tempfile.TemporaryDirectory(prefix="alertgen-verify-") as tmp:
        copy = Path(tmp) / path.name
        copy.write_text(yaml.safe_dump({"groups": groups}, sort_keys=False))
        message = rules(promtool, [copy], timeout)[0]
    return None if message is None else message.replace(str(copy), str(path))
