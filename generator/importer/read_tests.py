"""Promtool test files read as the alert examples they hold (`alertgen import --tests`)."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from pathlib import Path

import promql_parser
import yaml

from ..promql.concrete import series_labels
from ..spec.alert import _series_values
from ..spec.types import Duration
from .source import Expected, SourceCase, Where
from .yaml_nodes import Merges

__all__ = ["read_tests"]

# The keys promtool's test file format has (its YAML is read strictly: any other key fails the
# file), up to the newest promtool, so that a file written for a newer one still reads.
_FILE = ("rule_files", "evaluation_interval", "fuzzy_compare", "group_eval_order", "tests")
_GROUP = (
    "interval",
    "input_series",
    "name",
    "start_timestamp",
    "alert_rule_test",
    "promql_expr_test",
    "external_labels",
    "external_url",
)
_SERIES = ("series", "values")
_ALERT_TEST = ("eval_time", "alertname", "exp_alerts")
_ALERT = ("exp_labels", "exp_annotations")
_EXPR_TEST = ("expr", "eval_time", "exp_samples")
_SAMPLE = ("labels", "value", "histogram")

_NULL = "tag:yaml.org,2002:null"
_SPACE = re.compile(r"\s+")


class _Fields(dict[str, yaml.Node]):
    """A mapping's values by key, with the line of each key."""

    lines: dict[str, int]


def read_tests(paths: Sequence[Path]) -> tuple[list[SourceCase], list[str], list[str]]:
    """Each `alert_rule_test` entry of promtool test files, as a case with its test's input.

    Returns (cases, errors, not_kept): errors are every problem found, as `path:line: message`;
    not_kept says, as `path:line: ...`, what the files hold that a spec example cannot carry.
    """
    cases: list[SourceCase] = []
    errors: list[str] = []
    not_kept: list[str] = []
    for path in paths:
        reader = _Reader(str(path))
        reader.read(path)
        cases.extend(reader.cases)
        errors.extend(reader.errors)
        not_kept.extend(reader.not_kept)
    return cases, errors, not_kept


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _first(finding: tuple[int, str]) -> int:
    return finding[0]


def _nonzero(duration: str, default: str) -> str:
    return duration if Duration(duration).seconds else default


def _one_line(text: str) -> str:
    # One finding, one line: selectors and expressions in these files often span several.
    return _SPACE.sub(" ", text).strip()


def _selector_text(text: str) -> str:
    """An input series as one line, `name{a="b",c="d"}`, labels in the order written.

    promtool reads the series with the PromQL parser, where spacing and line breaks between
    tokens mean nothing. Raises ValueError when the text is not a selector with `=` matchers.
    """
    labels = series_labels(text)
    name = labels.pop("__name__", "")
    if not name and "__name__" in text:
        # series_labels leaves a `{__name__="m"}` matcher out; promtool takes it as the name.
        node = promql_parser.parse(text)
        if isinstance(node, promql_parser.VectorSelector):
            name = next((m.value for m in node.matchers.matchers if m.name == "__name__"), "")
    # JSON's string escapes are a subset of PromQL's, so the value reads back as it was.
    body = ",".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in labels.items())
    return f"{name}{{{body}}}" if body or not name else name


class _Reader:
    """Reads one test file, collecting its cases, errors and what is not kept."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.cases: list[SourceCase] = []
        # (line, message): each file's findings are given in line order, whatever order they
        # are found in (a test's promql_expr_test is read before its alert_rule_test).
        self._errors: list[tuple[int, str]] = []
        self._not_kept: list[tuple[int, str]] = []
        self._merges = Merges()

    @property
    def errors(self) -> list[str]:
        """The file's errors as `path:line: message`, in line order."""
        return [f"{Where(self.path, line)}: {text}" for line, text in sorted(self._errors, key=_first)]

    @property
    def not_kept(self) -> list[str]:
        """What the file holds that a spec example cannot carry, as `path:line: ...`."""
        return [f"{Where(self.path, line)}: {text}" for line, text in sorted(self._not_kept, key=_first)]

    def error(self, line: int, message: str) -> None:
        """Record an error at a line."""
        self._errors.append((line, _one_line(message)))

    def drop(self, line: int, message: str) -> None:
        """Record something not kept, at a line."""
        self._not_kept.append((line, _one_line(message)))

    def read(self, path: Path) -> None:
        """Read the file at `path` (shown as given)."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            self.error(0, f"cannot read the file: {e.strerror or e}")
            return
        except UnicodeDecodeError as e:
            self.error(0, f"not UTF-8 text ({e.reason} at byte {e.start})")
            return
        try:
            root = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            self.error(mark.line + 1 if mark else 0, f"invalid YAML: {e.problem or e.context}")
            return
        except yaml.YAMLError as e:
            self.error(0, f"invalid YAML: {e}")
            return
        keys = [k.value for k, _ in root.value] if isinstance(root, yaml.MappingNode) else []
        if not isinstance(root, yaml.MappingNode) or "tests" not in keys:
            rules = "; it looks like a rule file, which goes before --tests" if "groups" in keys else ""
            self.error(_line(root) if root else 0, f"not a promtool test file: it has no `tests:`{rules}")
            return
        top = self.fields(root, _FILE, "the test file")
        # promtool takes an unset or zero evaluation_interval as one minute.
        interval = _nonzero(self.duration(top.get("evaluation_interval"), "evaluation_interval", "1m"), "1m")
        if "fuzzy_compare" in top:
            self.drop(
                top.lines["fuzzy_compare"],
                "fuzzy_compare: it loosens only promql_expr_test values, which are not imported",
            )
        if "group_eval_order" in top:
            self.drop(
                top.lines["group_eval_order"],
                "group_eval_order: a spec example cannot set the order promtool evaluates rule "
                "groups in; cases that depend on it may not pass",
            )
        for group in self.items(top.get("tests"), "tests"):
            self.read_group(group, interval)

    def read_group(self, node: yaml.Node, default_interval: str) -> None:
        group = self.fields(node, _GROUP, "a test")
        # promtool takes an unset or zero interval as the file's evaluation_interval.
        interval = _nonzero(
            self.duration(group.get("interval"), "interval", default_interval), default_interval
        )
        name = self.text(group.get("name"), "name") or None
        if "start_timestamp" in group:
            self.drop(
                group.lines["start_timestamp"],
                "start_timestamp: a spec example starts at time 0 (1970-01-01); alerts that read "
                "time() or its functions may not fire as the peer's test expects",
            )
        for key, reads in (("external_labels", "$externalLabels"), ("external_url", "$externalURL")):
            if key in group:
                self.drop(
                    group.lines[key],
                    f"{key}: a spec example cannot set it; templates that read {reads} "
                    "render without it there",
                )
        series = self.read_series(group.get("input_series"))
        for entry in self.items(group.get("promql_expr_test"), "promql_expr_test"):
            self.read_expr_test(entry)
        for entry in self.items(group.get("alert_rule_test"), "alert_rule_test"):
            self.read_alert_test(entry, series, interval, name)

    def read_series(self, node: yaml.Node | None) -> dict[str, str]:
        out: dict[str, str] = {}
        # Series by their label sets, which is how promtool tells them apart.
        seen: dict[frozenset[tuple[str, str]], tuple[str, int]] = {}
        for entry in self.items(node, "input_series"):
            fields = self.fields(entry, _SERIES, "an input_series entry")
            written, values = (
                self.text(fields.get("series"), "series"),
                self.text(fields.get("values"), "values"),
            )
            if written is None or values is None or not isinstance(entry, yaml.MappingNode):
                continue
            if "series" not in fields:
                self.error(_line(entry), "input_series entry has no `series:`")
                continue
            try:
                selector = _selector_text(written)
            except ValueError as e:
                shown = f"input series {_one_line(written)!r}"
                like = 'is not a series selector like name{label="value"}'
                message = str(e) if "input series" in str(e) else f"{shown} {like} ({e})"
                self.error(fields.lines.get("series", _line(entry)), message)
                continue
            values = _one_line(values)
            if "{{" in values:
                self.drop(
                    _line(entry),
                    f"input series {selector}: native histogram values; a spec example takes "
                    "float samples only, so its cases leave the series out",
                )
                continue
            if not values:
                self.drop(
                    _line(entry),
                    f"input series {selector}: no values; promtool loads no sample for it, "
                    "and its cases leave it out",
                )
                continue
            try:
                _series_values({selector: values})
            except ValueError as e:
                self.error(fields.lines["values"], str(e))
                continue
            key = frozenset(series_labels(selector).items())
            if key in seen:
                # promtool loads the last values given for a series; the cases do the same.
                earlier, line = seen.pop(key)
                del out[earlier]
                again = f"given again at line {_line(entry)}; promtool uses those values"
                self.drop(line, f"input series {selector}: {again}")
            seen[key] = (selector, _line(entry))
            out[selector] = values
        return out

    def read_expr_test(self, node: yaml.Node) -> None:
        fields = self.fields(node, _EXPR_TEST, "a promql_expr_test entry")
        self.duration(fields.get("eval_time"), "eval_time", "0s")
        for sample in self.items(fields.get("exp_samples"), "exp_samples"):
            self.fields(sample, _SAMPLE, "an exp_samples entry")
        if isinstance(node, yaml.MappingNode):
            expr = _one_line(self.text(fields.get("expr"), "expr") or "")
            self.drop(
                _line(node),
                f"promql_expr_test of `{expr}`: not an alert example; kept in the peer's test file only",
            )

    def read_alert_test(
        self, node: yaml.Node, series: dict[str, str], interval: str, name: str | None
    ) -> None:
        errors = len(self._errors)
        fields = self.fields(node, _ALERT_TEST, "an alert_rule_test entry")
        if not isinstance(node, yaml.MappingNode):
            return
        alertname = self.text(fields.get("alertname"), "alertname")
        if alertname == "":
            self.error(_line(node), "alert_rule_test entry has no `alertname:`")
        # promtool checks an entry without eval_time at time 0.
        eval_time = self.duration(fields.get("eval_time"), "eval_time", "0s")
        expected = []
        # exp_alerts left out means none expected, as `exp_alerts: []` does.
        for alert in self.items(fields.get("exp_alerts"), "exp_alerts"):
            parts = self.fields(alert, _ALERT, "an exp_alerts entry")
            labels = self.text_map(parts.get("exp_labels"), "exp_labels")
            expected.append(Expected(labels, self.text_map(parts.get("exp_annotations"), "exp_annotations")))
        if alertname and len(self._errors) == errors:
            where = Where(self.path, _line(node))
            self.cases.append(
                SourceCase(alertname, dict(series), interval, eval_time, tuple(expected), where, name)
            )

    # -- YAML nodes as promtool's strict reader takes them ----------------------------------

    def fields(self, node: yaml.Node | None, known: Sequence[str] | None, what: str) -> _Fields:
        """A mapping's values by key; reports non-mappings, repeated and unknown keys."""
        out = _Fields()
        out.lines = {}
        if node is None or self.null(node):
            return out
        if not isinstance(node, yaml.MappingNode):
            self.wrong(node, what, "a mapping")
            return out
        for key, value in self.pairs(node):
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name is None:
                self.error(_line(key), f"{what}: keys must be text")
            elif name in out:
                self.error(_line(key), f"{what}: {name!r} is given twice (promtool refuses the file)")
            elif known is not None and name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
                self.error(_line(key), f"unknown key {name!r} in {what}; {hint}")
            else:
                out[name] = value
                out.lines[name] = _line(key)
        return out

    def pairs(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        """A mapping's pairs with `<<` merge keys resolved, as promtool's YAML reader does."""
        merges = self._merges
        bad, cycles = len(merges.not_mappings), len(merges.cycles)
        pairs = merges.pairs(node)
        for source in merges.not_mappings[bad:]:
            self.wrong(source, "a `<<` merge", "a mapping")
        for cycle in merges.cycles[cycles:]:
            self.error(_line(cycle), "a `<<` merge includes the mapping it is in")
        return pairs

    def wrong(self, node: yaml.Node, what: str, wanted: str) -> None:
        """Report a node that is not of the kind wanted."""
        found = "a list" if isinstance(node, yaml.SequenceNode) else "text"
        found = "a mapping" if isinstance(node, yaml.MappingNode) else found
        self.error(_line(node), f"{what} must be {wanted}, not {found}")

    def items(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        """A sequence's items; nothing for an absent or null value (promtool's empty list)."""
        if node is None or self.null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.wrong(node, what, "a list")
            return []
        return list(node.value)

    def text(self, node: yaml.Node | None, what: str) -> str | None:
        """A scalar's text as written ("" when absent); promtool reads `values: 10` as text too."""
        if node is None or self.null(node):
            return ""
        if isinstance(node, yaml.ScalarNode):
            return str(node.value)
        self.wrong(node, what, "text")
        return None

    def text_map(self, node: yaml.Node | None, what: str) -> dict[str, str]:
        """A mapping of text to text: exp_labels or exp_annotations."""
        texts = {
            name: self.text(value, f"{what} {name!r}")
            for name, value in self.fields(node, None, what).items()
        }
        return {name: text for name, text in texts.items() if text is not None}

    def duration(self, node: yaml.Node | None, what: str, default: str) -> str:
        """A duration's text as written; `default` when absent or not a duration (reported)."""
        text = self.text(node, what)
        # Prometheus reads a bare `0` as a duration.
        text = "0s" if text == "0" else text
        if not text:
            return default
        try:
            Duration(text)
        except ValueError as e:
            self.error(_line(node) if node else 0, f"{what}: {e}")
            return default
        return text

    @staticmethod
    def null(node: yaml.Node) -> bool:
        """Whether a node is YAML's null (`~`, or a key with nothing after it)."""
        return isinstance(node, yaml.ScalarNode) and node.tag == _NULL
