"""Existing rule files read for `alertgen import`, every problem a `file:line: message` error.

Reads Prometheus rule files (`groups:`), Kubernetes `PrometheusRule` objects (also several per
file and inside a `kind: List`) and Mimir/Cortex ruler namespaces (`namespace:` + `groups:`),
telling them apart by content, into the neutral types of `source.py`.
"""

from __future__ import annotations

import contextlib
import difflib
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import yaml

from generator.promql import PromQLError, flow, parse_uncached
from generator.spec.types import Duration

from .source import SourceFile, SourceGroup, SourceRule, Where
from .yaml_nodes import ALIAS_BUDGET, INT, LOADER, NULL, STR, Merges, Nodes, is_null, kind_of, line_of

__all__ = ["read_rules"]

_RULE_KEYS = ("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations")
_GROUP_KEYS = ("name", "interval", "limit", "rules")
# Group keys of Prometheus (query_offset, labels), Thanos (partial_response_strategy) and Mimir
# (source_tenants, evaluation_delay) that alertgen does not write: SourceGroup.other keeps them.
_OTHER_KEYS = ("query_offset", "partial_response_strategy", "source_tenants", "evaluation_delay", "labels")
_API_VERSION = "monitoring.coreos.com/v1"
_NOT_RULES = "not a rule file: expected `groups:`, a PrometheusRule or a Mimir namespace"


def read_rules(paths: Sequence[Path]) -> tuple[list[SourceFile], list[str]]:
    """Read rule files and folders (their *.yml/*.yaml, recursively, sorted): documents and errors.

    Every problem is an error line `path:line: what is wrong; what to do` (line 0: the file as a
    whole), never an exception. With errors the documents are partial: what could not be read
    (a rule without an expression, say) is left out.
    """
    files: list[SourceFile] = []
    errors: list[str] = []
    for path in paths:
        for file in _expand(Path(path), errors):
            reader = _Reader(str(file))
            files += reader.read(file)
            # In line order, as a person fixes them (a rule's errors come out after its group's).
            errors += [f"{file}:{line}: {text}" for line, text in sorted(reader.errors, key=lambda e: e[0])]
    return files, errors


def _expand(path: Path, errors: list[str]) -> list[Path]:
    """The path itself, or a folder's YAML files (hidden ones, such as .github/, left out)."""
    if path.is_dir():
        found = []
        # os.walk does not follow symlinked folders, so a link loop cannot make it run forever.
        for root, dirs, names in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found += [Path(root, n) for n in names if n.endswith((".yml", ".yaml")) and n[0] != "."]
        if not found:
            errors.append(f"{path}:0: no .yml or .yaml file in this folder; pass rule files or their folder")
        return sorted(found, key=lambda p: p.relative_to(path).parts)
    if not path.exists():
        errors.append(f"{path}:0: no such file or folder; check the path")
        return []
    return [path]


def _same_series(first: SourceRule, second: SourceRule) -> bool:
    """Whether two recordings of one name and labels surely write the same series.

    Different expressions often write disjoint series (kube-prometheus records
    `code_verb:apiserver_request_total:increase1h` four times, once per status class, each
    `sum by (code, ...)`), so only a repeated expression or two label-less results are certain.
    """
    if " ".join(first.expr.split()) == " ".join(second.expr.split()):
        return True
    flows = flow(parse_uncached(first.expr)), flow(parse_uncached(second.expr))
    return all(not f.open and not f.names for f in flows)


class _Reader:
    """One file read document by document, collecting its errors."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[tuple[int, str]] = []
        # Nodes walked in the current document: libyaml gives an alias the very node its anchor
        # names, so meeting one again is an alias, walked again within ALIAS_BUDGET visits.
        self.seen: set[int] = set()
        self.repeats = 0
        self.merges = Merges()
        self.aliased = False

    def error(self, where: yaml.Node | int, message: str) -> None:
        line = where if isinstance(where, int) else line_of(where)
        self.errors.append((line, message))

    def read(self, file: Path) -> list[SourceFile]:
        """Every rule document of the file."""
        try:
            text = file.read_bytes().decode("utf-8")
        except OSError as exc:
            self.error(0, f"cannot read it ({exc.strerror or exc}); pass a readable file")
            return []
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            self.error(line, "not UTF-8 text; save the file as UTF-8 YAML")
            return []
        out: list[SourceFile] = []
        try:
            for node in yaml.compose_all(text, Loader=LOADER):
                self.seen.clear()  # an earlier document's nodes are gone, and their ids reused
                self.repeats = 0
                self.merges = Merges()
                out += self.document(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 0
            self.error(line, f"invalid YAML: {exc.problem or exc.context}; fix the syntax")
        except yaml.YAMLError as exc:
            self.error(0, f"invalid YAML: {exc}; fix the syntax")
        except RecursionError:  # `kind: List` items that are Lists, hundreds deep
            self.error(0, "nested too deeply to read; flatten it")
        if self.aliased:
            self.report_aliases(text)
        return out

    def report_aliases(self, text: str) -> None:
        # Nodes do not say where an alias was written (only where its anchor is): the events do.
        with contextlib.suppress(yaml.YAMLError):  # a syntax error: the compose reported it
            for event in yaml.parse(text, Loader=LOADER):
                if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                    much = f"expand to more than {ALIAS_BUDGET:,} values; write them out"
                    self.error(event.start_mark.line + 1, f"YAML aliases from `*{event.anchor}` on {much}")
                    return

    def claim(self, node: yaml.Node) -> bool:
        """False once aliases made the walk too long (reported by `report_aliases`)."""
        if id(node) in self.seen:
            self.repeats += 1
            if self.repeats > ALIAS_BUDGET:
                self.aliased = True
                return False
        self.seen.add(id(node))
        return True

    def document(self, node: yaml.Node) -> list[SourceFile]:
        if is_null(node):
            return []  # an empty document, as between two `---`
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        top = {k.value for k, _ in pairs if isinstance(k, yaml.ScalarNode)}
        if "kind" in top:
            return self.kubernetes(node)
        if "groups" in top:
            kind = "mimir" if "namespace" in top else "prometheus"
            keys = ("namespace", "groups") if "namespace" in top else ("groups",)
            m = self.mapping(node, f"a {kind} rule file", keys)
            name = self.string(m["namespace"], "`namespace`") if m and "namespace" in m else None
            line = line_of(m["namespace"]) if m and "namespace" in m else 0
            return [SourceFile(self.path, kind, self.groups(m.get("groups")), name, line=line)] if m else []
        if "rule_files" not in top and "tests" not in top:  # a promtool test file is not an error
            self.error(node, f"{_NOT_RULES}; pass only rule files")
        return []

    def kubernetes(self, node: yaml.Node) -> list[SourceFile]:
        m = self.mapping(node, "a Kubernetes object")
        kind = self.string(m["kind"], "`kind`") if m and "kind" in m else None
        if m is None or kind is None:
            return []
        if kind == "List":
            return [f for item in self.sequence(m.get("items"), "`items`") for f in self.document(item)]
        if kind != "PrometheusRule":
            self.error(node, f"{_NOT_RULES}, not `kind: {kind}`; pass only rule files")
            return []
        api = self.string(m["apiVersion"], "`apiVersion`") if "apiVersion" in m else None
        if api != _API_VERSION:
            where = m.get("apiVersion", node)
            self.error(where, f"PrometheusRule apiVersion `{api}`; write `{_API_VERSION}`")
        metadata = self.mapping(m["metadata"], "`metadata`") if "metadata" in m else None
        name = self.string(metadata["name"], "`metadata.name`") if metadata and "name" in metadata else None
        meta = metadata or {}
        namespace = self.string(meta["namespace"], "`metadata.namespace`") if "namespace" in meta else None
        labels = self.strings(meta.get("labels"), "label", "`metadata`") or {}
        if "spec" not in m:
            self.error(node, f"PrometheusRule `{name}` has no `spec`; add `spec:` with its `groups:`")
            return []
        spec = self.mapping(m["spec"], "`spec`", ("groups",))
        if spec is None:
            return []
        groups, line = self.groups(spec.get("groups")), line_of(m.get("metadata", node))
        return [SourceFile(self.path, "prometheusrule", groups, name, namespace, labels, line)]

    def groups(self, node: yaml.Node | None) -> tuple[SourceGroup, ...]:
        names: dict[str, int] = {}
        groups = [g for g in (self.group(item, names) for item in self.sequence(node, "`groups`")) if g]
        self.check_records(groups)
        return tuple(groups)

    def group(self, node: yaml.Node, names: dict[str, int]) -> SourceGroup | None:
        m = self.mapping(node, "a group", _GROUP_KEYS + _OTHER_KEYS)
        if m is None:
            return None
        name = self.string(m["name"], "group `name`") if "name" in m else None
        if "name" not in m:
            self.error(node, "a group has no `name`; add `name: NAME`")
        elif name is not None and name in names:
            self.error(m["name"], f"a second group `{name}` (first: line {names[name]}); rename or merge")
        elif name is not None:
            names[name] = line_of(m["name"])
        what = f"group `{name}`" if name else "a group"
        interval = self.duration(m.get("interval"), f"`interval` of {what}")
        limit = self.limit(m.get("limit"), what)
        other = {k: v for k in m if k in _OTHER_KEYS and (v := self.other(k, m[k], what)) is not None}
        items = self.sequence(m.get("rules"), f"`rules` of {what}")
        rules = tuple(r for r in map(self.rule, items) if r)
        if name is None:
            return None
        shared = other.get("labels")
        if isinstance(shared, dict) and shared:
            # Prometheus 3 adds a group's labels to each rule's, the rule's own winning: written on
            # each rule, they give the same series and alerts in every Prometheus version.
            rules = tuple(replace(r, labels={**shared, **r.labels}) for r in rules)
        return SourceGroup(name, Where(self.path, line_of(node)), rules, interval, limit or 0, other)

    def other(self, key: str, node: yaml.Node, what: str) -> object:
        """A group key alertgen does not write, checked as its system would, as plain data."""
        if key in ("query_offset", "evaluation_delay"):
            return self.duration(node, f"`{key}` of {what}")
        if key == "labels":
            return self.strings(node, "label", what)
        if key == "source_tenants":
            nodes = self.sequence(node, f"`{key}` of {what}")
            items = [self.string(i, f"a `source_tenants` item of {what}") for i in nodes]
            return items if None not in items else None
        strategy = self.string(node, f"`partial_response_strategy` of {what}")
        if strategy is not None and strategy.lower() not in ("abort", "warn"):
            self.error(node, f"`partial_response_strategy` of {what} is `{strategy}`; write abort or warn")
            return None
        return strategy

    def rule(self, node: yaml.Node) -> SourceRule | None:
        m = self.mapping(node, "a rule", _RULE_KEYS)
        if m is None:
            return None
        kinds = [k for k in ("record", "alert") if k in m]
        if len(kinds) != 1:
            both = "both `record` and `alert`; keep one" if kinds else "neither `record` nor `alert`; add one"
            self.error(node, f"a rule has {both} (`record: NAME` records a series, `alert: NAME` alerts)")
        kind = kinds[0] if len(kinds) == 1 else None
        name = self.string(m[kind], f"`{kind}`") if kind else None
        what = f"rule `{name}`" if name else "a rule"
        expr = self.expr(m, node, what)
        for_ = self.duration(m.get("for"), f"`for` of {what}")
        keep = self.duration(m.get("keep_firing_for"), f"`keep_firing_for` of {what}")
        labels = self.strings(m.get("labels"), "label", what)
        annotations = self.strings(m.get("annotations"), "annotation", what)
        if kind == "record":
            # Prometheus refuses these on a recording rule (a zero duration or no annotations pass).
            for key, value in (("for", for_), ("keep_firing_for", keep), ("annotations", annotations)):
                if value and (isinstance(value, dict) or Duration(value).seconds):
                    self.error(m[key], f"recording {what} has `{key}` (alerts only); remove it")
        if not kind or name is None or expr is None or labels is None or annotations is None:
            return None
        return SourceRule(kind, name, expr, Where(self.path, line_of(node)), labels, annotations, for_, keep)

    def check_records(self, groups: list[SourceGroup]) -> None:
        """Two recording rules of one name and labels writing one series: Prometheus would fail."""
        first: dict[tuple[str, tuple[tuple[str, str], ...]], SourceRule] = {}
        for group in groups:
            for rule in (r for r in group.rules if r.kind == "record"):  # group labels included
                key = (rule.name, tuple(sorted(rule.labels.items())))
                if key in first and _same_series(first[key], rule):
                    was = f"recording rule `{rule.name}` writes the series of line {first[key].where.line}"
                    self.error(rule.where.line, f"{was} (same name and labels); remove one or relabel it")
                first.setdefault(key, rule)

    def expr(self, m: Nodes, node: yaml.Node, what: str) -> str | None:
        if "expr" not in m:
            self.error(node, f"{what} has no `expr`; add the PromQL expression it evaluates")
            return None
        value = m["expr"]
        if not self.claim(value):
            return None
        if not isinstance(value, yaml.ScalarNode):
            self.error(
                value, f"`expr` of {what} is {kind_of(value)}; write the PromQL expression as a string"
            )
            return None
        # A number (`expr: 1`) is an expression too: its text is what Prometheus parses.
        if value.tag == NULL or not value.value.strip():
            self.error(value, f"{what} has an empty `expr`; write the PromQL expression it evaluates")
            return None
        try:
            parse_uncached(value.value)
        except PromQLError as exc:
            self.error(value, f"invalid PromQL in `expr` of {what}: {exc}; fix the expression")
            return None
        return str(value.value)

    def mapping(self, node: yaml.Node, what: str, keys: Sequence[str] | None = None) -> Nodes | None:
        """A mapping's values by key; duplicate keys and keys not in `keys` are errors."""
        if not self.claim(node):
            return None
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} is {kind_of(node)}; write it as a mapping of `key: value` lines")
            return None
        out: Nodes = {}
        lines: dict[str, int] = {}
        merges = self.merges
        bad, cycles = len(merges.not_mappings), len(merges.cycles)
        pairs = merges.pairs(node)
        for source in merges.not_mappings[bad:]:
            self.error(source, f"a `<<` merge in {what} is {kind_of(source)}; merge mappings (`<<: *name`)")
        for cycle in merges.cycles[cycles:]:
            self.error(cycle, f"a `<<` merge in {what} includes the mapping it is in; remove it")
        for key_node, value in pairs:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, f"a key of {what} is {kind_of(key_node)}; write keys as plain names")
                continue
            key = str(key_node.value)
            if key in lines:
                self.error(key_node, f"a second `{key}` in {what} (first: line {lines[key]}); keep one")
            elif keys is not None and key not in keys:
                close = difflib.get_close_matches(key, keys, n=1)
                fix = f"did you mean `{close[0]}`?" if close else f"remove it (keys: {', '.join(keys)})"
                self.error(key_node, f"unknown key `{key}` in {what}; {fix}")
            else:
                out[key], lines[key] = value, line_of(key_node)
        return out

    def sequence(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        """A list's items; absent or empty (`rules:`) is no items."""
        if node is None or is_null(node) or not self.claim(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} is {kind_of(node)}; write it as a list (`- ` items)")
            return []
        return list(node.value)

    def string(self, node: yaml.Node, what: str) -> str | None:
        """A non-empty string scalar, or None after an error."""
        if not self.claim(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != STR or not node.value:
            found = "empty" if isinstance(node, yaml.ScalarNode) and node.tag == STR else kind_of(node)
            self.error(node, f"{what} is {found}; write a non-empty string")
            return None
        return str(node.value)

    def strings(self, node: yaml.Node | None, what: str, owner: str) -> dict[str, str] | None:
        """Labels or annotations: names to strings; None after an error."""
        if node is None or is_null(node):
            return {}
        m = self.mapping(node, f"`{what}s` of {owner}")
        if m is None:
            return None
        out: dict[str, str] = {}
        for key, value in m.items():
            if not self.claim(value):
                continue
            if isinstance(value, yaml.ScalarNode) and value.tag == STR:
                out[key] = str(value.value)
                continue
            # YAML reads `1`, `true`, `no` or `2024-01-01` as other types; a label is a string.
            example = f'`{key}: "{value.value if isinstance(value, yaml.ScalarNode) else "..."}"`'
            found = f"{what} `{key}` of {owner} is {kind_of(value)}"
            self.error(value, f"{found}, not a string; quote it: {example}")
        return out if len(out) == len(m) else None

    def duration(self, node: yaml.Node | None, what: str) -> str | None:
        """A Prometheus duration as written; None when absent or after an error."""
        if node is None or is_null(node) or not self.claim(node):
            return None
        # `for: 0` is an int to YAML, and Prometheus accepts a bare 0: it is `0s` to Duration.
        if isinstance(node, yaml.ScalarNode) and node.tag in (STR, INT):
            text = "0s" if node.value == "0" else str(node.value)
            try:
                Duration(text)
            except ValueError as exc:
                self.error(node, f"{what}: {exc}")
                return None
            return text
        self.error(node, f"{what} is {kind_of(node)}; write a duration such as `5m`")
        return None

    def limit(self, node: yaml.Node | None, what: str) -> int | None:
        if node is None or is_null(node) or not self.claim(node):
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag == INT:
            value = yaml.constructor.SafeConstructor().construct_yaml_int(node)
            if isinstance(value, int) and value >= 0:
                return value
        found = f"`{node.value}`" if isinstance(node, yaml.ScalarNode) else kind_of(node)
        self.error(node, f"`limit` of {what} is {found}; write a whole number, 0 or more")
        return None
