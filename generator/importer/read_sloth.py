"""Sloth `prometheus/v1` specs read for `alertgen import`, every problem a `file:line: message` error.

A Sloth spec (`version: "prometheus/v1"`, `service`, `labels`, `slos`) holds SLOs, not rules:
the import writes them as alertgen SLOs (write_slo.py). YAML is read as read_rules.py reads
rule files (the same messages for bad YAML, aliases, unknown keys and wrong types).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..promql import PromQLError, parse_uncached
from ..spec.slo import WINDOW
from .read_rules import _Reader
from .source import SourceFile, Where
from .yaml_nodes import INT, NULL, STR, TAG, Nodes, kind_of, line_of

__all__ = ["SlothAlert", "SlothSLO", "SlothSpec", "read_sloth", "split_sloth"]

VERSION = "prometheus/v1"
_FLOAT, _BOOL = TAG + "float", TAG + "bool"
_SPEC_KEYS = ("version", "service", "labels", "slos", "slo_plugins")
_SLO_KEYS = ("name", "objective", "description", "labels", "sli", "alerting", "slo_plugins")
_SLI_KEYS = ("events", "raw", "plugin")
_QUERIES = {"events": ("error_query", "total_query"), "raw": ("error_ratio_query",)}
_ALERTING_KEYS = ("name", "labels", "annotations", "page_alert", "ticket_alert")
_ALERT_KEYS = ("disable", "labels", "annotations")
# A word of Conventions.severities (spec/types.py's SeverityName).
_SEVERITY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
# A top-level `version: prometheus/v1` or `slos:` line: what tells a Sloth spec from a rule file
# before it is parsed (a spec with a YAML error is still reported as a Sloth spec).
_SLOTH = re.compile(r"^(?:version:\s*([\"']?)prometheus/v1\1\s*(?:#.*)?|slos:.*)$", re.MULTILINE)


@dataclass(frozen=True)
class SlothAlert:
    """A page or ticket alert of an SLO as Sloth has it."""

    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    disable: bool = False


@dataclass(frozen=True)
class SlothSLO:
    """One SLO as its spec has it; `labels` are the spec's merged with the SLO's own."""

    name: str
    objective: float
    where: Where
    sli: str  # "events" or "raw"
    queries: Mapping[str, str]  # error_query and total_query, or error_ratio_query, as written
    alert: str
    description: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    alert_labels: Mapping[str, str] = field(default_factory=dict)
    alert_annotations: Mapping[str, str] = field(default_factory=dict)
    page: SlothAlert = field(default_factory=SlothAlert)
    ticket: SlothAlert = field(default_factory=SlothAlert)


@dataclass(frozen=True)
class SlothSpec:
    """One Sloth spec document: its service (and the line that names it) and its SLOs."""

    path: str
    service: str
    where: Where
    slos: tuple[SlothSLO, ...]


def is_sloth(path: Path) -> bool:
    """Whether a file reads as a Sloth `prometheus/v1` spec (by its top-level keys)."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return False
    return _SLOTH.search(text) is not None


def split_sloth(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """(rule paths, Sloth spec files): a folder holding Sloth specs is given file by file."""
    rules: list[Path] = []
    sloth: list[Path] = []
    for path in map(Path, paths):
        if path.is_file():
            (sloth if is_sloth(path) else rules).append(path)
            continue
        found = _yaml_files(path) if path.is_dir() else []
        if not any(map(is_sloth, found)):
            rules.append(path)  # read_rules reads (or reports) it as it always has
            continue
        for file in found:
            (sloth if is_sloth(file) else rules).append(file)
    return rules, sloth


def _yaml_files(folder: Path) -> list[Path]:
    """A folder's YAML files in the order read_rules reads them (hidden ones left out)."""
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [Path(root, n) for n in names if n.endswith((".yml", ".yaml")) and n[0] != "."]
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def read_sloth(paths: Sequence[Path]) -> tuple[list[SlothSpec], list[str], list[str]]:
    """Sloth specs read: (specs, errors, what is not kept), each problem as `path:line: text`."""
    specs: list[SlothSpec] = []
    errors: list[str] = []
    dropped: list[str] = []
    for path in paths:
        reader = _SlothReader(str(path))
        reader.read(path)
        specs += reader.specs
        errors += [f"{path}:{line}: {text}" for line, text in sorted(reader.errors, key=lambda e: e[0])]
        dropped += [f"{path}:{line}: {text}" for line, text in reader.dropped]
    return specs, errors, dropped


def _peek(node: yaml.Node, key: str) -> str | None:
    """A mapping's string value for `key` before the mapping is read, for naming it in messages."""
    for k, v in node.value if isinstance(node, yaml.MappingNode) else ():
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.ScalarNode):
            return str(v.value) if v.tag == STR and v.value else None
    return None


class _SlothReader(_Reader):
    """One Sloth spec file read document by document (read_rules' reader, other documents)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.specs: list[SlothSpec] = []
        self.dropped: list[tuple[int, str]] = []

    def document(self, node: yaml.Node) -> list[SourceFile]:
        """Reads the spec into `self.specs`: a Sloth spec has no rules of its own."""
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL:
            return []
        m = self.mapping(node, "a Sloth spec", _SPEC_KEYS)
        if m is None:
            return []
        version = self.string(m["version"], "`version`") if "version" in m else None
        if "version" not in m:
            self.error(node, f'a Sloth spec has no `version`; add `version: "{VERSION}"`')
        elif version is not None and version != VERSION:
            self.error(m["version"], f'Sloth spec version `{version}`; alertgen reads `"{VERSION}"` specs')
        service = self.string(m["service"], "`service`") if "service" in m else None
        if "service" not in m:
            self.error(node, "a Sloth spec has no `service`; add `service: NAME`")
        labels = self.strings(m.get("labels"), "label", "the spec")
        self.plugins(m, "the spec")
        items = self.sequence(m.get("slos"), "`slos`")
        if "slos" not in m:
            self.error(node, "a Sloth spec has no `slos`; list the service's SLOs under `slos:`")
        elif not items and (m["slos"].tag == NULL or isinstance(m["slos"], yaml.SequenceNode)):
            self.error(m["slos"], "`slos` is empty; list the service's SLOs under it")
        slos = [s for s in (self.slo(item, labels or {}) for item in items) if s is not None]
        if service is not None:
            where = Where(self.path, line_of(m["service"]))
            self.specs.append(SlothSpec(self.path, service, where, tuple(slos)))
        return []

    def plugins(self, m: Nodes, what: str) -> None:
        """Sloth's SLO plugins rewrite the rules Sloth generates: alertgen has no such step."""
        if "slo_plugins" in m:
            self.dropped.append(
                (line_of(m["slo_plugins"]), f"`slo_plugins` of {what}: alertgen runs no Sloth plugins")
            )

    def slo(self, node: yaml.Node, spec_labels: Mapping[str, str]) -> SlothSLO | None:
        """One SLO; None after an error, or when it is left out (a plugin SLI)."""
        named = _peek(node, "name")
        what = f"SLO `{named}`" if named else "an SLO"
        m = self.mapping(node, what, _SLO_KEYS)
        if m is None:
            return None
        name = self.string(m["name"], "`name` of an SLO") if "name" in m else None
        for key, fix in (
            ("name", "add `name: NAME`"),
            ("objective", "add the percentage it aims for, e.g. `objective: 99.9`"),
            ("sli", "add `sli:` with `events:` or `raw:` queries"),
            ("alerting", "add `alerting:` with the alerts' `name:`"),
        ):
            if key not in m:
                self.error(node, f"{what} has no `{key}`; {fix}")
        objective = self.objective(m["objective"], what) if "objective" in m else None
        description = self.text(m.get("description"), f"`description` of {what}")
        labels = self.strings(m.get("labels"), "label", what)
        self.plugins(m, what)
        sli = self.sli(m["sli"], what) if "sli" in m else None
        alerting = (
            self.mapping(m["alerting"], f"`alerting` of {what}", _ALERTING_KEYS) if "alerting" in m else None
        )
        alert = None
        if alerting is not None:
            alert = (
                self.string(alerting["name"], f"`alerting.name` of {what}") if "name" in alerting else None
            )
            if "name" not in alerting:
                self.error(m["alerting"], f"`alerting` of {what} has no `name`; add the alerts' name")
        notes = alerting or {}
        alert_labels = self.strings(notes.get("labels"), "label", f"`alerting` of {what}")
        if alert_labels is not None and not self.severity(
            notes.get("labels"), alert_labels, f"`alerting` of {what}"
        ):
            alert_labels = None
        annotations = self.strings(notes.get("annotations"), "annotation", f"`alerting` of {what}")
        page = self.alert(notes.get("page_alert"), f"`page_alert` of {what}")
        ticket = self.alert(notes.get("ticket_alert"), f"`ticket_alert` of {what}")
        if name is None or objective is None or sli is None or alert is None or description is None:
            return None
        if labels is None or alert_labels is None or annotations is None or page is None or ticket is None:
            return None
        return SlothSLO(
            name=name,
            objective=objective,
            where=Where(self.path, line_of(node)),
            sli=sli[0],
            queries=sli[1],
            alert=alert,
            description=description,
            labels={**spec_labels, **labels},
            alert_labels=alert_labels,
            alert_annotations=annotations,
            page=page,
            ticket=ticket,
        )

    def objective(self, node: yaml.Node, what: str) -> float | None:
        """A percentage above 0 and below 100 (alertgen has no error budget to burn at 100)."""
        if not self.claim(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (INT, _FLOAT):
            self.error(node, f"`objective` of {what} is {kind_of(node)}; write a percentage such as 99.9")
            return None
        constructor = yaml.constructor.SafeConstructor()
        read = constructor.construct_yaml_int if node.tag == INT else constructor.construct_yaml_float
        value = float(read(node))
        if not (math.isfinite(value) and 0 < value < 100):
            self.error(
                node, f"`objective` of {what} is {node.value}; write a percentage above 0 and below 100"
            )
            return None
        return value

    def sli(self, node: yaml.Node, what: str) -> tuple[str, dict[str, str]] | None:
        """("events" or "raw", its queries); None after an error or for a plugin (not kept)."""
        m = self.mapping(node, f"`sli` of {what}", _SLI_KEYS)
        if m is None:
            return None
        kinds = [k for k in _SLI_KEYS if k in m]
        if len(kinds) != 1:
            found = f"{' and '.join(kinds)}; keep one" if kinds else "none; add `events:` or `raw:`"
            self.error(node, f"`sli` of {what} has {found} (Sloth takes one of events, raw, plugin)")
            return None
        kind = kinds[0]
        if kind == "plugin":
            plugin = self.mapping(m["plugin"], f"`sli.plugin` of {what}", ("id", "options"))
            ident = (
                self.string(plugin["id"], f"`sli.plugin.id` of {what}") if plugin and "id" in plugin else None
            )
            self.dropped.append(
                (
                    line_of(m["plugin"]),
                    f"{what}: its SLI is Sloth plugin `{ident}`, whose queries only Sloth knows; write "
                    "them as `sli.events` or `sli.raw` and import it again",
                )
            )
            return None
        keys = _QUERIES[kind]
        queries = self.mapping(m[kind], f"`sli.{kind}` of {what}", keys)
        if queries is None:
            return None
        out: dict[str, str] = {}
        for key in keys:
            if key not in queries:
                self.error(m[kind], f"`sli.{kind}` of {what} has no `{key}`; add the query")
                continue
            query = self.query(queries[key], f"`{key}` of {what}")
            if query is not None:
                out[key] = query
        return (kind, out) if len(out) == len(keys) else None

    def query(self, node: yaml.Node, what: str) -> str | None:
        """A query as written, with `{{.window}}` where its range goes, PromQL once that is set."""
        text = self.string(node, what)
        if text is None:
            return None
        if WINDOW not in text:
            self.error(
                node, f"{what} has no `{WINDOW}`; write it where the range goes, e.g. x_total[{WINDOW}]"
            )
            return None
        try:
            parse_uncached(text.replace(WINDOW, "5m"))
        except PromQLError as exc:
            self.error(node, f"invalid PromQL in {what}: {exc}; fix the query")
            return None
        return text

    def alert(self, node: yaml.Node | None, what: str) -> SlothAlert | None:
        """`page_alert` or `ticket_alert`; absent is an alert with nothing of its own."""
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL):
            return SlothAlert()
        m = self.mapping(node, what, _ALERT_KEYS)
        if m is None:
            return None
        disable = False
        if "disable" in m:
            flag = m["disable"]
            if isinstance(flag, yaml.ScalarNode) and flag.tag == _BOOL:
                disable = bool(yaml.constructor.SafeConstructor().construct_yaml_bool(flag))
            else:
                self.error(flag, f"`disable` of {what} is {kind_of(flag)}; write true or false")
                return None
        labels = self.strings(m.get("labels"), "label", what)
        annotations = self.strings(m.get("annotations"), "annotation", what)
        if labels is None or annotations is None or not self.severity(m.get("labels"), labels, what):
            return None
        return SlothAlert(labels, annotations, disable)

    def severity(self, node: yaml.Node | None, labels: Mapping[str, str], what: str) -> bool:
        """Whether a `severity` label, which becomes a word of Conventions.severities, is one."""
        word = labels.get("severity")
        if node is None or word is None or _SEVERITY.match(word):
            return True
        at = next((v for k, v in node.value if k.value == "severity"), node)
        self.error(at, f"severity `{word}` of {what}: write a word of letters, digits, '_', '.' and '-'")
        return False

    def text(self, node: yaml.Node | None, what: str) -> str | None:
        """An optional string: absent or empty is ""."""
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL):
            return ""
        if not isinstance(node, yaml.ScalarNode) or node.tag != STR:
            self.error(node, f"{what} is {kind_of(node)}; write a string")
            return None
        return str(node.value)
