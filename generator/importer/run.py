"""`alertgen import`: read rule files (and tests), write spec modules, prove nothing changed.

read -> plan one module per service -> write them to a scratch folder -> generate there (checks
that fail on a rule as written are disabled for it, with the finding as the reason) -> read the
generated rules back and compare them with the source -> write the modules to `--out`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import Finding, Level
from ..errors import Location, SpecError, SpecErrors
from ..pipeline import run as generate
from . import write_slo
from .compare import differences
from .read_rules import read_rules
from .read_sloth import read_sloth, split_sloth
from .read_tests import read_tests
from .source import SourceCase, SourceFile, SourceRule
from .targets import HOUSE, metadata_errors, targets
from .write_specs import Plan, house_module, module_source, severities

# Check findings the import settles by disabling the check for the rule, at most this many rounds.
ROUNDS = 5


@dataclass
class Outcome:
    """What an import did: modules (file name -> text), the comparison, what was not kept."""

    modules: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    not_kept: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    # Sloth SLOs imported: they have no rules of their own to compare the generated ones with.
    uncompared: list[str] = field(default_factory=list)
    compared: bool = True  # whether any rule file was read (and so compared)
    # `Targets(...)`'s arguments from where the files were loaded (importer/targets.py), or None.
    targets: str | None = None


def import_rules(
    paths: Sequence[Path], tests: Sequence[Path], service: str | None, team: str, out: Path
) -> Outcome:
    """Everything `alertgen import` does but writing the modules."""
    outcome = Outcome()
    paths, sloth_paths = split_sloth(paths)
    files, errors = read_rules(paths) if paths or not sloth_paths else ([], [])
    sloth_specs, sloth_errors, sloth_dropped = read_sloth(sloth_paths)
    cases, test_errors, not_kept = read_tests(tests) if tests else ([], [], [])
    taken = {p.stem for p in out.glob("*.py")} if out.is_dir() else set()
    plans = _plans(files, service, taken)
    slos, plan_errors, renamed = write_slo.sloth_plans(
        sloth_specs, service, bool(files), lambda s: _module(s, taken)
    )
    outcome.errors = [*errors, *sloth_errors, *plan_errors, *test_errors, *metadata_errors(files)]
    outcome.not_kept = [*not_kept, *sloth_dropped, *renamed]
    outcome.uncompared = [slo.name for p in slos for slo in p.slos]
    outcome.compared = bool(files) or not slos
    if outcome.errors:
        return outcome
    _place_cases(plans, cases, outcome.not_kept)
    words = write_slo.house_severities(severities(files) if files else (), slos)
    outcome.targets = targets([(f, p.service) for p in plans for f in p.files], outcome.not_kept)
    house = _format(house_module(words, outcome.targets), out / f"{HOUSE}.py")
    with tempfile.TemporaryDirectory(prefix="alertgen-import-") as tmp:
        specs = Path(tmp) / "specs"
        for _ in range(ROUNDS):
            outcome.modules = {
                f"{p.module}.py": _format(module_source(p, team, HOUSE, words), out / f"{p.module}.py")
                for p in plans
                if not _left_out(p)
            }
            for s in slos:
                outcome.modules[f"{s.module}.py"] = _format(
                    write_slo.slo_module(s, team, HOUSE), out / f"{s.module}.py"
                )
            shutil.rmtree(specs, ignore_errors=True)  # a module left out in this round is gone
            _write(specs, {f"{HOUSE}.py": house, **outcome.modules})
            try:
                result = generate(specs, out=Path(tmp) / "out")
            except SpecErrors as exc:
                # A rule alertgen cannot express is left out and listed; anything else stops it.
                hard = []
                for e in exc.errors:
                    found_rule = (
                        None
                        if write_slo.at_slo(e, slos, outcome.modules)
                        else _rule_at(e, plans, outcome.modules)
                    )
                    if found_rule is None:
                        hard.append(
                            write_slo.at_slo(e, slos, outcome.modules)
                            or _at_source(e, plans, outcome.modules, out)
                        )
                        continue
                    plan, rule = found_rule
                    if id(rule) not in plan.skip:
                        plan.skip.add(id(rule))
                        outcome.not_kept.append(_at_source(e, plans, outcome.modules, out))
                if hard:
                    outcome.errors = hard
                    return outcome
                continue
            found = [f for f in result.findings if f.level is Level.ERROR and not f.suppressed]
            if not found or not _disable(plans, found, outcome.disabled):
                break
        outcome.errors = write_slo.check_errors(slos, found)
        if outcome.errors:
            return outcome
        theirs = write_slo.rule_files(slos)  # no source to compare with
        generated = sorted(p for p in result.files if p.startswith("prometheus/rules/") and p not in theirs)
        _write(Path(tmp) / "out", {p: result.files[p].decode() for p in generated})
        ours, read_errors = read_rules([Path(tmp) / "out" / p for p in generated])
    outcome.errors += read_errors
    outcome.differences = differences(files, ours)
    outcome.modules[f"{HOUSE}.py"] = house
    for plan in plans:
        count = sum(len(g.rules) for f in plan.files for g in f.groups)
        groups = sum(len(f.groups) for f in plan.files)
        if _left_out(plan):
            outcome.summary.append(f"{plan.module}.py: not written, every rule of it is left out")
            continue
        outcome.summary.append(f"{plan.module}.py: service {plan.service}, {groups} groups, {count} rules")
        outcome.summary += [
            f"{g.where}: group `{g.name}`: its labels are written on each of its rules"
            for f in plan.files
            for g in f.groups
            if g.other.get("labels")
        ]
    outcome.summary += write_slo.summary(slos, result.files)
    return outcome


def _left_out(plan: Plan) -> bool:
    """Whether every rule of a module was left out (a module without rules is not written)."""
    rules = [r for f in plan.files for g in f.groups for r in g.rules]
    return bool(rules) and all(id(r) in plan.skip for r in rules)


def _plans(files: Sequence[SourceFile], service: str | None, taken: set[str]) -> list[Plan]:
    """One module per service: all files in one with --service, else one per document."""
    if service is not None:
        return [Plan(_module(service, taken), service, list(files))]
    plans: list[Plan] = []
    names: set[str] = set()
    for file in files:
        made = _made_by_alertgen(file.path)
        base = made[0] if made else _kebab(file.name or Path(file.path).name.split(".")[0])
        name, n = base, 2
        while name in names:
            name, n = f"{base}-{n}", n + 1
        names.add(name)
        module = _module(made[1], taken) if made else _module(name, taken)
        plans.append(Plan(module, name, [file], version=made[2] if made else "1.0.0"))
    return plans


_HEADER = re.compile(r"# Generated by alertgen from \S*?([^/\s]+)\.py \(service (\S+) (\S+), alertgen ")


def _made_by_alertgen(path: str) -> tuple[str, str, str] | None:
    """(service, module, version) of a rule file alertgen generated, from its first line."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            found = _HEADER.match(handle.readline())
    except OSError:
        return None
    return (found.group(2), found.group(1), found.group(3)) if found else None


def _module(service: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", service.lower()).strip("_") or "imported"
    name, n = base, 2
    while name in taken or name == HOUSE:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _kebab(text: str) -> str:
    """A service name from a file or object name: lower-kebab-case, 2 to 63 characters."""
    word = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", text)
    word = re.sub(r"[^a-z0-9]+", "-", word.lower()).strip("-")
    word = word if word[:1].isalpha() else f"rules-{word}".strip("-")
    return (word if len(word) >= 2 else f"{word}-rules")[:63].rstrip("-")


def _place_cases(plans: Sequence[Plan], cases: Sequence[SourceCase], not_kept: list[str]) -> None:
    """Each test case on the alert it tests: of the alerts of its name, the first whose static
    labels every expected alert carries (promtool checks all alerts of the name together)."""
    owners: dict[str, list[tuple[Plan, int, SourceRule]]] = {}
    for plan in plans:
        for index, rule in enumerate(r for f in plan.files for g in f.groups for r in g.rules):
            if rule.kind == "alert":
                owners.setdefault(rule.name, []).append((plan, index, rule))
    for case in cases:
        found = [
            (plan, index)
            for plan, index, rule in owners.get(case.alertname, [])
            if all(rule.labels.items() <= alert.labels.items() for alert in case.expected)
        ]
        if not owners.get(case.alertname):
            not_kept.append(
                f"{case.where}: a test of alert {case.alertname!r}, which no imported file defines"
            )
        elif not found:
            not_kept.append(
                f"{case.where}: a test of alert {case.alertname!r} expecting alerts of several of its "
                "rules at once; an example belongs to one"
            )
        else:
            plan, index = found[0]
            plan.cases.setdefault(index, []).append(case)


def _disable(plans: Sequence[Plan], found: Sequence[Finding], said: list[str]) -> bool:
    """Disable each failing check for the rule it names; False when no finding names a rule."""
    changed = False
    for finding in found:
        name, check, message = finding.alert, finding.check, finding.message
        for plan in plans:
            index = 0
            for file in plan.files:
                for group in file.groups:
                    for rule in group.rules:
                        key = (rule.kind, rule.name, index)
                        index += 1
                        if rule.name != name or plan.service != finding.service:
                            continue
                        entry = (check, f"imported as written: {message}")
                        if entry not in plan.disables.setdefault(key, []):
                            plan.disables[key].append(entry)
                            said.append(f"{rule.where}: {rule.kind} {rule.name!r}: {check} off: {message}")
                            changed = True
    return changed


def _format(source: str, target: Path) -> str:
    """The module as ruff sorts its imports and formats it where it will live (the user's config)."""
    for command in (["check", "--fix", "--select", "I", "--quiet", "--exit-zero"], ["format"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--stdin-filename", str(target.resolve()), "-"],
            input=source,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"ruff could not format an imported module: {done.stderr.strip()}")
        source = done.stdout
    return source


_ASSIGNED = re.compile(r"^(\w+) = (?:Signal|Alert)\(")


def _rule_at(
    error: SpecError, plans: Sequence[Plan], modules: Mapping[str, str]
) -> tuple[Plan, SourceRule] | None:
    """The source rule whose part of a module the import wrote a spec error points into."""
    name = Path(error.location.file).name
    plan = next((p for p in plans if f"{p.module}.py" == name), None)
    lines = modules.get(name, "").splitlines()[: error.location.line]
    var = next((m.group(1) for text in reversed(lines) if (m := _ASSIGNED.match(text))), None)
    rule = plan.variables.get(var) if plan is not None and var is not None else None
    return (plan, rule) if plan is not None and rule is not None else None


def _at_source(error: SpecError, plans: Sequence[Plan], modules: Mapping[str, str], out: Path) -> str:
    """A problem alertgen found in a module it wrote, told of the rule it came from."""
    found = _rule_at(error, plans, modules)
    what = f"{error.subject}: {error.message}" if error.subject else error.message
    # A message may name another place in the modules (`defined at <module>.py:7`): the rule
    # written there, which the user knows, rather than the import's scratch folder.
    folder = re.escape(str(Path(error.location.file).parent))

    def source(place: re.Match[str]) -> str:
        other = SpecError(Location(place.group(1), int(place.group(2))), "", "")
        hit = _rule_at(other, plans, modules)
        return str(hit[1].where) if hit else f"{out / place.group(1)}:{place.group(2)}"

    what = re.sub(rf"{folder}/([\w.-]+\.py):(\d+)", source, what)
    if found is None:
        return f"{out / Path(error.location.file).name}:{error.location.line}: {what}"
    rule = found[1]
    return (
        f"{rule.where}: {rule.kind} {rule.name!r}: alertgen cannot keep it as written, so it is "
        f"left out: {what}"
    )


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
