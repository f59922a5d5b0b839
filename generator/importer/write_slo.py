"""Sloth specs written as a spec module: one Service per Sloth service, one SLO per Sloth SLO.

The SLO keeps what the spec says (objective, queries with `{{.window}}`, labels, alert name,
labels and annotations, page and ticket alerts); alertgen derives Sloth's rules from it
(build_slo.py). A Sloth spec has no rules to compare the generated ones with: the import says
how many rules each SLO gives instead.
"""

from __future__ import annotations

import dataclasses
import keyword
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import conventions as conv
from ..build_condition import number
from ..checks import Finding, Level
from ..errors import SpecError
from ..promql import flow, parse_uncached, selectors
from ..spec.slo import WINDOW
from .read_sloth import VERSION, SlothAlert, SlothSLO, SlothSpec
from .source import Where
from .write_specs import _dict, _mentioned_labels, _str, _title

_COUNTER_FUNCTIONS = frozenset({"rate", "irate", "increase", "resets"})
_TARGET_LABELS = ("job", "namespace", "instance")  # Service.target_labels' default
_ASSIGNED = re.compile(r"^(\w+) = (SLO|Service)\(")


@dataclass
class SlothPlan:
    """One spec module: a service and its SLOs, from one or more Sloth specs."""

    module: str
    service: str
    where: Where  # the `service:` line of the first spec naming it
    slos: list[SlothSLO] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # Each SLO's variable in the module, so that a problem found there names the Sloth SLO.
    variables: dict[str, SlothSLO] = field(default_factory=dict)


def sloth_plans(
    specs: Sequence[SlothSpec], service: str | None, with_rules: bool, module: Callable[[str], str]
) -> tuple[list[SlothPlan], list[str], list[str]]:
    """One plan per service (specs naming the same service share it): (plans, errors, renames).

    `module` gives a free module name for a service; `renames` lists names alertgen writes in
    kebab-case, which changes the rules' `sloth_service`, `sloth_slo` and `sloth_id` labels.
    """
    errors: list[str] = []
    renamed: list[str] = []
    if service is not None and with_rules and specs:
        errors.append(
            f"{specs[0].where}: --service puts every rule in one service, and a Sloth spec's SLOs are a "
            "service of their own; import the Sloth specs and the rule files separately"
        )
    plans: dict[str, SlothPlan] = {}
    first: dict[tuple[str, str], Where] = {}
    for spec in specs:
        name = service or _kebab(spec.service)
        if service is None and name != spec.service:
            renamed.append(
                f"{spec.where}: service `{spec.service}` is `{name}` (alertgen names are kebab-case)"
            )
        plan = plans.get(name) or plans.setdefault(name, SlothPlan(module(name), name, spec.where))
        plan.sources.append(spec.path)
        for slo in spec.slos:
            kebab = _kebab(slo.name)
            if kebab != slo.name:
                renamed.append(f"{slo.where}: SLO `{slo.name}` is `{kebab}` (alertgen names are kebab-case)")
            if (name, kebab) in first:
                errors.append(
                    f"{slo.where}: a second SLO `{kebab}` of service `{name}` "
                    f"(first: {first[(name, kebab)]}); rename one"
                )
                continue
            first[(name, kebab)] = slo.where
            plan.slos.append(dataclasses.replace(slo, name=kebab))
    # A spec whose every SLO was left out (plugin SLIs) has nothing to write.
    return [p for p in plans.values() if p.slos], errors, renamed


def house_severities(words: Sequence[str], plans: Iterable[SlothPlan]) -> tuple[str, ...]:
    """The rules' severities with the SLOs' added, most urgent first: pages' before tickets'."""
    slos = [s for p in plans for s in p.slos]
    pages = list(dict.fromkeys(w for s in slos if (w := _severity(s, s.page)) is not None))
    tickets = list(dict.fromkeys(w for s in slos if (w := _severity(s, s.ticket)) is not None))
    out = list(words)
    for page in pages:
        # Before every ticket's severity (a word may be both a page's and a ticket's), also when
        # the rules had it after one: only its name told its urgency there.
        first = min((out.index(t) for t in tickets if t in out and t not in pages), default=len(out))
        if page in out and out.index(page) < first:
            continue
        if page in out:
            out.remove(page)
            first = min((out.index(t) for t in tickets if t in out and t not in pages), default=len(out))
        out.insert(first, page)
    out += [w for w in tickets if w not in out]
    if any(_severity(s, a) is None for s in slos for a in (s.page, s.ticket)):
        # An alert without a severity takes the most urgent (page) or the next one (ticket).
        out += [w for w in ("critical", "warning") if w not in out][: max(0, 2 - len(out))]
    return tuple(out) or ("critical",)


def slo_module(plan: SlothPlan, team: str, house: str) -> str:
    """The spec module of `plan`, before formatting."""
    taken = {"service", "conventions", "generator"}
    lines: list[str] = []
    for slo in plan.slos:
        var = _unique(slo.name.replace("-", "_"), taken)
        plan.variables[var] = slo
        lines += [f"\n# {slo.where}: SLO {slo.name!r}", f"{var} = {_slo(slo)}"]
    metrics, aggregated = _metrics(plan.slos)
    service = [
        "",
        "service = Service(",
        f"    name={_str(plan.service)},",
        f"    title={_str(_title(plan.service))},",
        '    version="1.0.0",',
        f"    team={_str(team)},",
        # Sloth's queries sum the targets away: the SLIs keep no job or instance to list.
        *(["    target_labels=(),"] if aggregated else []),
        f"    metrics=({''.join(m + ', ' for m in metrics)}),",
        f"    slos=({''.join(v + ', ' for v in plan.variables)}),",
        ")",
    ]
    body = "\n".join([*lines, *service])
    used = sorted(set(re.findall(r"\b(Events|Metric|RawRatio|Service|SLO|SLOAlert)\(", body)))
    head = [
        f'"""{plan.service}: SLOs imported from {", ".join(plan.sources)} by `alertgen import`'
        f' (Sloth {VERSION})."""',
        "",
        f"from generator import {', '.join(used)}",
        f"from {house} import conventions  # noqa: F401  (the repository's Conventions)",
    ]
    return "\n".join([*head, body]) + "\n"


def _slo(slo: SlothSLO) -> str:
    if slo.sli == "events":
        sli = (
            "Events(" + ", ".join(f"{k}={_str(slo.queries[k])}" for k in ("error_query", "total_query")) + ")"
        )
    else:
        sli = f"RawRatio(error_ratio_query={_str(slo.queries['error_ratio_query'])})"
    args = [f"name={_str(slo.name)}", f"objective={number(slo.objective)}"]
    if slo.description:
        args.append(f"description={_str(slo.description)}")
    args += [f"sli={sli}", f"alert={_str(slo.alert)}"]
    if slo.labels:
        args.append(f"labels={_dict(slo.labels)}")
    labels = {k: v for k, v in slo.alert_labels.items() if k != "severity"}
    if labels:
        args.append(f"alert_labels={_dict(labels)}")
    if slo.alert_annotations:
        args.append(f"alert_annotations={_dict(slo.alert_annotations)}")
    for key, alert in (("page", slo.page), ("ticket", slo.ticket)):
        made = _alert(slo, alert)
        if made:
            args.append(f"{key}={made}")
    return _call(args)


def _call(args: Sequence[str]) -> str:
    """`SLO(...)`, one argument a line (as ruff formats a call that does not fit on one)."""
    return "\n".join(["SLO(", *(f"    {arg}," for arg in args), ")"])


def _alert(slo: SlothSLO, alert: SlothAlert) -> str:
    """`SLOAlert(...)` for what the spec says of a page or ticket alert, "" when it says nothing."""
    args = []
    severity = _severity(slo, alert)
    if severity is not None:
        args.append(f"severity={_str(severity)}")
    labels = {k: v for k, v in alert.labels.items() if k != "severity"}
    if labels:
        args.append(f"labels={_dict(labels)}")
    if alert.annotations:
        args.append(f"annotations={_dict(alert.annotations)}")
    if alert.disable:
        args.append("enabled=False")
    return f"SLOAlert({', '.join(args)})" if args else ""


def _severity(slo: SlothSLO, alert: SlothAlert) -> str | None:
    """The alert's own `severity` label, else the one `alerting.labels` gives both alerts."""
    return alert.labels.get("severity") or slo.alert_labels.get("severity")


def _metrics(slos: Sequence[SlothSLO]) -> tuple[list[str], bool]:
    """The catalog from what the queries read (as write_specs makes it from rules), and whether
    every query aggregates all labels away (then the service has no target labels)."""
    uses: dict[str, set[str]] = {}
    rated: set[str] = set()
    aggregated = True
    for query in (q for slo in slos for q in slo.queries.values()):
        ast = parse_uncached(query.replace(WINDOW, "5m"))
        kept = flow(ast)
        aggregated = aggregated and not kept.open and not kept.names
        mentioned = _mentioned_labels(ast)
        for sel in selectors(ast):
            if sel.name:
                uses.setdefault(sel.name, set()).update(m[0] for m in sel.matchers if m[0] != "__name__")
                uses[sel.name].update(mentioned)
                if sel.function in _COUNTER_FUNCTIONS:
                    rated.add(sel.name)
    target = set() if aggregated else set(_TARGET_LABELS)
    histograms = {n.removesuffix("_bucket") for n in uses if n.endswith("_bucket")}
    out: list[str] = []
    for name in sorted(uses):
        base = next((h for h in histograms if name in (f"{h}_bucket", f"{h}_sum", f"{h}_count")), None)
        if base is not None:
            labels = set().union(*(uses.get(f"{base}{s}", set()) for s in ("_bucket", "_sum", "_count")))
            entry = _metric(base, "histogram", labels - {"le"} - target, None)
        elif ":" in name:  # a record other rules make: it keeps the labels its readers use
            entry = _metric(name, "gauge", uses[name], ())
        else:
            kind = "counter" if name in rated or name.endswith("_total") else "gauge"
            entry = _metric(name, kind, uses[name] - target, None)
        if entry not in out:
            out.append(entry)
    return out, aggregated


def _metric(name: str, kind: str, labels: set[str], target: tuple[str, ...] | None) -> str:
    args = [f"name={_str(name)}", f"type={_str(kind)}"]
    if labels:
        args.append(f"labels={tuple(sorted(labels))!r}")
    if target is not None:
        args.append(f"target_labels={target!r}")
    return f"Metric({', '.join(args)})"


def at_slo(error: SpecError, plans: Sequence[SlothPlan], modules: Mapping[str, str]) -> str | None:
    """A problem alertgen found in a module written from Sloth specs, told of the SLO (or the
    service) it came from; None for a problem in another module."""
    name = Path(error.location.file).name
    plan = next((p for p in plans if f"{p.module}.py" == name), None)
    if plan is None:
        return None
    lines = modules.get(name, "").splitlines()[: error.location.line]
    found = next((m for text in reversed(lines) if (m := _ASSIGNED.match(text))), None)
    slo = plan.variables.get(found.group(1)) if found is not None and found.group(2) == "SLO" else None
    what = f"{error.subject}: {error.message}" if error.subject else error.message
    if slo is None:
        return f"{plan.where}: service `{plan.service}`: alertgen cannot keep it as written: {what}"
    return f"{slo.where}: SLO `{slo.name}`: alertgen cannot keep it as written: {what}"


def check_errors(plans: Sequence[SlothPlan], findings: Iterable[Finding]) -> list[str]:
    """The failing checks' findings on the SLOs' rules: generating the modules would stop there."""
    out = []
    for finding in findings:
        plan = next((p for p in plans if p.service == finding.service), None)
        if plan is None or finding.level is not Level.ERROR or finding.suppressed:
            continue
        slo = next((s for s in plan.slos if s.alert == finding.alert), None)
        where, what = (slo.where, f"SLO `{slo.name}`") if slo else (plan.where, f"service `{plan.service}`")
        out.append(f"{where}: {what}: alertgen's check {finding.check} fails on its rules: {finding.message}")
    return out


def rule_files(plans: Iterable[SlothPlan]) -> set[str]:
    """The generated rule files of the plans' services (not compared: there is no source to)."""
    return {conv.rules_path(p.service) for p in plans}


def summary(plans: Sequence[SlothPlan], files: Mapping[str, bytes]) -> list[str]:
    """Per module its service and SLOs, per SLO how many rules alertgen generates for it."""
    out = []
    for plan in plans:
        text = files.get(conv.rules_path(plan.service), b"")
        groups = {
            g["name"]: len(g.get("rules") or ()) for g in (yaml.safe_load(text) or {}).get("groups", ())
        }
        out.append(f"{plan.module}.py: service {plan.service}, {len(plan.slos)} SLOs from Sloth {VERSION}")
        for slo in plan.slos:
            ident = f"{plan.service}-{slo.name}"
            kinds = ("sli-recordings", "meta-recordings", "alerts")
            rules = sum(groups.get(f"sloth-slo-{kind}-{ident}", 0) for kind in kinds)
            out.append(f"slo {slo.name}: {rules} rules (Sloth's layout: SLI, meta, alert groups)")
    return out


def _kebab(text: str) -> str:
    """A kebab-case name (alertgen's service and SLO names) from Sloth's."""
    word = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", text)
    word = re.sub(r"[^a-z0-9]+", "-", word.lower()).strip("-")
    word = word if word[:1].isalpha() else f"slo-{word}".strip("-")
    return word if len(word) >= 2 else f"{word}-slo"


def _unique(name: str, taken: set[str]) -> str:
    """A free variable name: an SLO named `if` or `class` is `if_`, `class_`."""
    found, n = f"{name}_" if keyword.iskeyword(name) else name, 2
    base = found
    while found in taken:
        found, n = f"{base}_{n}", n + 1
    taken.add(found)
    return found
