"""Rule groups read from files, written as a spec module a team would maintain.

Recording rules become signals, alerts keep their expression (`expr=`), labels, annotations,
durations and group, in the source's order; what the expressions read becomes the metric
catalog. The module imports the repository's Conventions, which the import writes with every
standard label and link off, so the rules generated again are the rules read.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..build_condition import number
from ..promql import parse, selectors, walk_nodes
from .forms import threshold_form
from .source import SourceCase, SourceFile, SourceRule

# Severity words from most to least urgent, for the vocabulary of Conventions(severities=...).
URGENCY = ("page", "critical", "error", "high", "warning", "ticket", "medium", "low", "info", "none")
TARGET_LABELS = ("job", "instance")
_COUNTER_FUNCTIONS = frozenset({"rate", "irate", "increase", "resets"})


@dataclass
class Plan:
    """One spec module: its file name, and what the writer adds for the checks (per rule)."""

    module: str
    service: str
    files: list[SourceFile]
    version: str = "1.0.0"
    cases: dict[int, list[SourceCase]] = field(default_factory=dict)  # by the alert's position
    # Per rule (kind, name, position in the module), the checks to disable and why.
    disables: dict[tuple[str, str, int], list[tuple[str, str]]] = field(default_factory=dict)
    # Each rule's variable in the module, so that a problem found there names the source rule.
    variables: dict[str, SourceRule] = field(default_factory=dict)
    # Rules (by identity) alertgen cannot express: left out of the module, listed as not kept.
    skip: set[int] = field(default_factory=set)


def severities(files: Iterable[SourceFile]) -> tuple[str, ...]:
    """Every severity the alerts carry, most urgent first (known words), then the rest by name."""
    rules = [r for f in files for g in f.groups for r in g.rules if r.kind == "alert"]
    seen = {r.labels.get("severity", "") for r in rules}
    seen.discard("")
    known = [s for s in URGENCY if s in seen]
    return (*known, *sorted(seen - set(known))) or ("critical",)


def house_module(words: Sequence[str], targets: str | None = None) -> str:
    """The Conventions module: nothing added to the rules as they were written, these severities;
    with `targets` (`Targets(...)`'s arguments: importer/targets.py), the repository's Targets."""
    text = (
        '"""The repository\'s conventions, written by `alertgen import`: the imported rules keep their\n'
        'own labels and annotations, so alertgen adds none (docs/rules.md says how to turn them on)."""\n\n'
        f"from generator import {_house_names(targets)}\n\n"
        "conventions = Conventions(\n"
        f"    severities={tuple(words)!r},\n"
        "    service_label=None,\n    team_label=None,\n    category_label=None,\n"
        "    runbook_annotation=None,\n    dashboard_annotation=None,\n)\n"
    )
    if targets:
        # Where the imported rules were loaded: the generated files must be loaded the same way.
        text += f"\ntargets = Targets({targets})\n"
    return text


def _house_names(targets: str | None) -> str:
    names = ["Conventions"]
    if targets:
        names += [
            n for n in ("Mimir", "Operator", "Targets", "Thanos") if n == "Targets" or f"{n}(" in targets
        ]
    return ", ".join(names)


def module_source(plan: Plan, team: str, house: str, words: Sequence[str] = ()) -> str:
    """The spec module of `plan`, before formatting; `words` are the repository's severities."""
    names = _Names()
    rules = [(f, g, r) for f in plan.files for g in f.groups for r in g.rules]
    made = {r.name for _, _, r in rules if r.kind == "record"}
    lines: list[str] = []
    variables: dict[int, str] = {}
    records = [r.name for _, _, r in rules if r.kind == "record"]
    signals: dict[str, str] = {}  # record name -> its signal's variable, for records made once
    for index, (_file, group, rule) in enumerate(rules):
        if index in variables or id(rule) in plan.skip:
            continue  # the warning tier of a Tiers written with its critical one, or left out
        if index == 0 or rules[index - 1][1] is not group:
            lines.append(f"\n# {group.where}: group {group.name!r}")
        var = names.take(rule.name)
        variables[index] = var
        plan.variables[var] = rule
        twin = rules[index + 1][2] if index + 1 < len(rules) and rules[index + 1][1] is group else None
        pair = _tiers(rule, twin, signals, words)
        if pair is not None and twin is not None:
            variables[index + 1] = var
            record, op = pair
            sig = f"signal={signals[record]}, " + (f"op={_str(op)}, " if op != ">" else "")
            critical = _rule(rule, plan, index, names, signals, tier=True)
            warning = _rule(twin, plan, index + 1, names, signals, tier=True)
            lines.append(f"{var} = Tiers({sig}critical={critical}, warning={warning})")
            continue
        lines.append(f"{var} = {_rule(rule, plan, index, names, signals)}")
        if rule.kind == "record" and records.count(rule.name) == 1:
            signals[rule.name] = var
    groups = []
    index = 0
    for file in plan.files:
        for group in file.groups:
            members = list(
                dict.fromkeys(variables[index + i] for i in range(len(group.rules)) if index + i in variables)
            )
            index += len(group.rules)
            args = [f"name={_str(group.name)}"]
            if group.interval:
                args.append(f"interval={_str(group.interval)}")
            if group.limit:
                args.append(f"limit={group.limit}")
            args.append(f"rules=({', '.join(members)}{',' if len(members) == 1 else ''})")
            groups.append(f"Group({', '.join(args)})")
    sources = ", ".join(sorted({f.path for f in plan.files}))
    service = [
        "",
        "service = Service(",
        f"    name={_str(plan.service)},",
        f"    title={_str(_title(plan.service))},",
        f"    version={_str(plan.version)},",
        f"    team={_str(team)},",
        f"    target_labels={TARGET_LABELS!r},",
        f"    metrics=({''.join(m + ', ' for m in _metrics(rules, made))}),",
        f"    groups=({''.join(g + ', ' for g in groups)}),",
        ")",
    ]
    body = "\n".join([*lines, *service])
    found = re.findall(r"\b(Alert|Disable|Example|Fired|Group|Metric|Service|Signal|Tiers|Tier)\(", body)
    used = sorted(set(found))
    head = [
        f'"""{plan.service}: rules imported from {sources} by `alertgen import`."""',
        "",
        f"from generator import {', '.join(used)}",
        f"from {house} import conventions  # noqa: F401  (the repository's Conventions)",
    ]
    return "\n".join([*head, body]) + "\n"


def _tiers(
    critical: SourceRule, warning: SourceRule | None, signals: Mapping[str, str], words: Sequence[str]
) -> tuple[str, str] | None:
    """`(record, op)` when two alerts in a row are alertgen's Tiers: thresholds on one signal by
    one comparison, the first at the most urgent severity, the second at the next, warning first
    to fire (the order and labels alertgen writes Tiers with)."""
    if warning is None or critical.kind != "alert" or warning.kind != "alert" or len(words) < 2:
        return None
    units = {record: _unit(record) for record in signals}
    high, low = threshold_form(critical, units), threshold_form(warning, units)
    if high is None or low is None or high[:2] != low[:2] or critical.name == warning.name:
        return None
    if (critical.labels.get("severity"), warning.labels.get("severity")) != (words[0], words[1]):
        return None
    op = high[1]
    if (op in (">", ">=") and not low[2] < high[2]) or (op in ("<", "<=") and not low[2] > high[2]):
        return None
    return None if op in ("==", "!=") else (high[0], op)


def _rule(
    rule: SourceRule, plan: Plan, index: int, names: _Names, signals: Mapping[str, str], tier: bool = False
) -> str:
    disable = "".join(
        f"Disable(check={_str(check)}, reason={_str(reason)}), "
        for check, reason in plan.disables.get((rule.kind, rule.name, index), [])
    )
    if rule.kind == "record":
        args = [
            f"name={_str(names.signal(rule.name))}",
            f"record={_str(rule.name)}",
            f"expr={_str(rule.expr)}",
            f"unit={_str(_unit(rule.name))}",
        ]
        if rule.labels:
            args.append(f"labels={_dict(rule.labels)}")
        if disable:
            args.append(f"disable=({disable})")
        return f"Signal({', '.join(args)})"
    labels = {k: v for k, v in rule.labels.items() if k != "severity"}
    notes = dict(rule.annotations)
    args = [f"name={_str(rule.name)}", f"severity={_str(rule.labels.get('severity', 'critical'))}"]
    short = threshold_form(rule, {record: _unit(record) for record in signals})
    if tier and short is not None:  # a tier: its Tiers holds the signal, comparison and severity
        args = [f"name={_str(rule.name)}", f"threshold={number(short[2])}"]
    elif short is None:
        args.append(f"expr={_str(rule.expr)}")
    else:  # alertgen's short form: a threshold on the signal that records the compared series
        record, op, value = short
        args += [
            f"signal={signals[record]}",
            *([f"op={_str(op)}"] if op != ">" else []),
            f"threshold={number(value)}",
        ]
    if rule.for_:
        args.append(f"for_={_str(rule.for_)}")
    if rule.keep_firing_for:
        args.append(f"keep_firing_for={_str(rule.keep_firing_for)}")
    if "summary" in notes:
        args.append(f"summary={_str(notes.pop('summary'))}")
    if "description" in notes:
        args.append(f"description={_str(notes.pop('description'))}")
    url = notes.get("runbook_url", "")
    # runbook_url= comes after the other annotations; where the source has it before one, it
    # stays among them, so that the annotations keep the order they were written in.
    if re.fullmatch(r"https?://\S+", url) and list(notes)[-1] == "runbook_url":
        args.append(f"runbook_url={_str(notes.pop('runbook_url'))}")
    if labels:
        args.append(f"labels={_dict(labels)}")
    if notes:
        args.append(f"annotations={_dict(notes)}")
    cases = plan.cases.get(index, [])
    titles = [example_name(c, rule.name) for c in cases]
    # Several cases of one test (eval times) are told apart by when they are evaluated.
    examples = [
        _example(c, rule, t if titles.count(t) == 1 else f"{t} at {c.eval_time}")
        for c, t in zip(cases, titles, strict=True)
    ]
    if examples:
        args.append(f"examples=({''.join(e + ', ' for e in examples)})")
    if disable:
        args.append(f"disable=({disable})")
    return f"{'Tier' if tier else 'Alert'}({', '.join(args)})"


def example_name(case: SourceCase, alert: str) -> str:
    """An example's name: its test's (less an `Alert: ` prefix alertgen writes), else its place."""
    name = case.test_name or f"{Path(case.where.path).name}:{case.where.line}"
    return name.removeprefix(f"{alert}: ")


def _example(case: SourceCase, rule: SourceRule, name: str) -> str:
    args = [
        f"name={_str(name)}",
        f"series={_dict(case.series)}",
        f"at={_str(case.eval_time)}",
        f"interval={_str(case.interval)}",
        f"fires={bool(case.expected)!r}",
    ]
    if case.expected:
        fired = []
        for alert in case.expected:
            # promtool sets alertname itself; the rule's static labels come from the rule.
            produced = {k: v for k, v in alert.labels.items() if k not in rule.labels and k != "alertname"}
            fired.append(f"Fired(labels={_dict(produced)}, annotations={_dict(alert.annotations)})")
        args.append(f"alerts=({''.join(f + ', ' for f in fired)})")
    return f"Example({', '.join(args)})"


def _metrics(rules: Sequence[tuple[SourceFile, object, SourceRule]], made: set[str]) -> list[str]:
    """The catalog: each series read that no rule here records, with the labels the rules use."""
    uses: dict[str, set[str]] = {}
    rated: set[str] = set()
    for _, _, rule in rules:
        ast = parse(rule.expr)
        templates = " ".join(rule.annotations.values())
        mentioned = _mentioned_labels(ast) | set(re.findall(r"\$labels\.([A-Za-z_]\w*)", templates))
        for sel in selectors(ast):
            if not sel.name or sel.name in made:
                continue
            uses.setdefault(sel.name, set()).update(m[0] for m in sel.matchers if m[0] != "__name__")
            uses[sel.name].update(mentioned)
            if sel.function in _COUNTER_FUNCTIONS:
                rated.add(sel.name)
    out = []
    histograms = {n[: -len("_bucket")] for n in uses if n.endswith("_bucket")}
    done: set[str] = set()
    for name in sorted(uses):
        base = next((h for h in histograms if name in (f"{h}_bucket", f"{h}_sum", f"{h}_count")), None)
        if base is not None:
            if base in done:
                continue
            done.add(base)
            labels = set().union(*(uses.get(f"{base}{s}", set()) for s in ("_bucket", "_sum", "_count")))
            out.append(_metric(base, "histogram", labels - {"le"} - set(TARGET_LABELS), None))
        elif ":" in name:  # a record other rules make: it keeps what its readers use
            out.append(_metric(name, "gauge", uses[name], ()))
        else:
            kind = "counter" if name in rated or name.endswith("_total") else "gauge"
            out.append(_metric(name, kind, uses[name] - set(TARGET_LABELS), None))
    return out


def _metric(name: str, kind: str, labels: set[str], target: tuple[str, ...] | None) -> str:
    args = [f"name={_str(name)}", f"type={_str(kind)}"]
    if labels:
        args.append(f"labels={tuple(sorted(labels))!r}")
    if target is not None:
        args.append(f"target_labels={target!r}")
    return f"Metric({', '.join(args)})"


def _mentioned_labels(ast: object) -> set[str]:
    """Label names an expression's by/without/on/ignoring clauses name."""
    out: set[str] = set()
    for node, _ in walk_nodes(ast):
        modifier = getattr(node, "modifier", None)
        for part in (modifier, getattr(modifier, "matching", None)):
            out.update(getattr(part, "labels", None) or ())
    return out


def _unit(record: str) -> str:
    """A record's unit, as its name says it (Prometheus naming practice); `short` when it does not."""
    if re.search(r"ratio|percent", record):
        return "percentunit"
    if re.search(r"seconds|duration|latency", record):
        return "s"
    if "bytes" in record:
        return "bytes"
    return "short"


class _Names:
    """Python names for the module's variables and snake_case names for its signals, unique."""

    def __init__(self) -> None:
        self.taken = {"service", "conventions", "generator"}
        self.signals: set[str] = set()

    def take(self, text: str) -> str:
        """A free variable name made from `text`."""
        return _unique(_snake(text), self.taken)

    def signal(self, record: str) -> str:
        """A free signal name made from a record name."""
        return _unique(_snake(record), self.signals)


def _snake(text: str) -> str:
    word = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)
    word = re.sub(r"[^A-Za-z0-9]+", "_", word).strip("_").lower() or "rule"
    word = word if word[0].isalpha() else f"r_{word}"
    return f"{word}_" if keyword.iskeyword(word) else word


def _unique(name: str, taken: set[str]) -> str:
    found, n = name, 2
    while found in taken:
        found, n = f"{name}_{n}", n + 1
    taken.add(found)
    return found


def _title(name: str) -> str:
    return " ".join(part.capitalize() for part in re.split(r"[-_]", name) if part)


def _str(text: str) -> str:
    """A Python literal for `text`: triple-quoted when it spans lines and that reads as written."""
    if "\n" in text and '"""' not in text and "\\" not in text and not text.endswith('"'):
        return f'"""{text}"""'
    return repr(text)


def _dict(items: Mapping[str, str]) -> str:
    return "{" + ", ".join(f"{_str(k)}: {_str(v)}" for k, v in items.items()) + "}"
