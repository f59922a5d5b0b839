"""An output tree read back: every file whose path says what it is, parsed from its bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from .. import conventions as conv
from .alertmanager import AlertmanagerFile, is_alertmanager_config, parse_alertmanager
from .dashboards import Dashboard, parse_dashboard
from .rules import RULES_SUFFIX, TESTS_SUFFIX, Examples, Rule, parse_rules, parse_tests, service_of
from .runbooks import Runbook, parse_runbook


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file that is not what its path says it is, and why."""

    path: str
    message: str


@dataclass(frozen=True)
class Artifacts:
    """The parsed artifacts of (part of) an output tree, each kind in path order."""

    rules: tuple[Rule, ...] = ()
    examples: Mapping[str, Mapping[str, Examples]] = field(default_factory=dict)  # per service
    dashboards: Mapping[str, Dashboard] = field(default_factory=dict)
    runbooks: Mapping[str, Runbook] = field(default_factory=dict)
    alertmanagers: Mapping[str, AlertmanagerFile] = field(default_factory=dict)
    unreadable: tuple[Unreadable, ...] = ()


def text_of(data: bytes) -> str:
    """A file's bytes as the text the parsers read (undecodable bytes replaced, not fatal)."""
    return data.decode("utf-8", errors="replace")


def read(files: Mapping[str, bytes]) -> Artifacts:
    """Parse every file of `files` whose path names an artifact kind; the others are left alone."""
    rules: list[Rule] = []
    examples: dict[str, Mapping[str, Examples]] = {}
    dashboards: dict[str, Dashboard] = {}
    runbooks: dict[str, Runbook] = {}
    alertmanagers: dict[str, AlertmanagerFile] = {}
    unreadable: list[Unreadable] = []
    production = conv.alertmanager_path("production")
    for path in sorted(files, key=lambda p: (p != production, p)):
        try:
            if service_of(path, conv.RULES_DIR, RULES_SUFFIX) is not None:
                rules.extend(_or_say(parse_rules, path, files, "a Prometheus rules file"))
            elif (service := service_of(path, conv.TESTS_DIR, TESTS_SUFFIX)) is not None:
                examples[service] = _or_say(lambda _p, t: parse_tests(t), path, files, "a promtool test file")
            elif service_of(path, conv.GRAFANA_DIR, ".json") is not None:
                dashboards[path] = _or_say(parse_dashboard, path, files, "a Grafana dashboard")
            elif path.startswith(conv.RUNBOOKS_DIR + "/") and path.endswith(".md"):
                runbooks[path] = parse_runbook(path, text_of(files[path]))
            elif is_alertmanager_config(path):
                alertmanagers[path] = _or_say(parse_alertmanager, path, files, "an Alertmanager config")
        except _Unreadable as exc:
            unreadable.append(exc.args[0])
    return Artifacts(
        rules=tuple(sorted(rules, key=lambda r: r.path)),
        examples=dict(sorted(examples.items())),
        dashboards=dict(sorted(dashboards.items())),
        runbooks=dict(sorted(runbooks.items())),
        alertmanagers=alertmanagers,
        unreadable=tuple(unreadable),
    )


T = TypeVar("T")


class _Unreadable(Exception):
    """Carries the Unreadable of a file that did not parse."""


def _or_say(parse: Callable[[str, str], T], path: str, files: Mapping[str, bytes], what: str) -> T:
    try:
        return parse(path, text_of(files[path]))
    except ValueError as exc:
        raise _Unreadable(Unreadable(path, f"cannot be read as {what}: {exc}")) from None


def joined(parts: Iterable[Artifacts]) -> Artifacts:
    """Parts of one tree (no path in two of them) as one, each kind in path order."""
    parts = list(parts)
    production = conv.alertmanager_path("production")
    alertmanagers = {k: v for p in parts for k, v in p.alertmanagers.items()}
    return Artifacts(
        rules=tuple(sorted((r for p in parts for r in p.rules), key=lambda r: r.path)),
        examples=dict(sorted((k, v) for p in parts for k, v in p.examples.items())),
        dashboards=dict(sorted((k, v) for p in parts for k, v in p.dashboards.items())),
        runbooks=dict(sorted((k, v) for p in parts for k, v in p.runbooks.items())),
        alertmanagers=dict(sorted(alertmanagers.items(), key=lambda kv: (kv[0] != production, kv[0]))),
        unreadable=tuple(u for p in parts for u in p.unreadable),
    )
