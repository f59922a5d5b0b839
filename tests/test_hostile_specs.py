"""Hostile specs: arbitrary text in every free-text field, arbitrary valid names, thresholds,
durations and routing, written as a spec module and run through `alertgen generate`.

An accepted spec must yield artifacts that `promtool check rules`, `promtool test rules` and
`amtool check-config` accept, JSON that parses, and runbooks where every alert's `runbook_url`
anchor is a heading a CommonMark parser finds (generate has also run alertgen's own checks,
runbook anchors among them, and refuses on any error). A rejected spec must get one line per
error naming the spec file and line, then the summary line, exit 2 and no traceback.

Fixed seed (derandomize=True) and MAX_EXAMPLES examples of 1-3 services each, so CI runs the
same cases every time; the test prints how many were accepted and rejected (docs/testing.md).
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.spec.types import Comparison
from tests.conftest import SPECS, require_tool, run_tool
from tests.markdown_doc import headings

MAX_EXAMPLES = 30
SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # No shrinking: each case runs promtool and amtool, and CI must stay bounded; a failure
    # prints the spec module it generated (add Phase.shrink locally for a minimal one).
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# Text that breaks naive emitters: YAML and Markdown syntax, Go template braces, control and
# invisible characters, scripts of other languages, a lone surrogate.
FRAGMENTS = (
    '"',
    "'",
    "\n",
    "\r\n",
    "\t",
    "#",
    "# ",
    ": ",
    "---",
    "...",
    "{{",
    "}}",
    "{{ $value }}",
    "{{ $labels.job }}",
    "{{ .Labels }}",
    "`",
    "```",
    "~~~",
    "*",
    "_",
    "**",
    "[x](http://example.com)",
    "<b>",
    "</details>",
    "<!--",
    "&amp;",
    "|",
    "\\",
    "- ",
    "> ",
    "1. ",
    "%",
    "@",
    "!",
    "&a",
    "*a",
    "? ",
    "{",
    "}",
    "[",
    "]",
    ",",
    " ",
    "é",
    "日本語",
    "🚀",
    "\u200b",
    "\u2028",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "null",
    "~",
    "0x1F",
    "$",
    "$1",
    "${x}",
)
SURROGATE = "\ud800"  # a lone surrogate: no UTF-8 file can hold it
_SHORT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), min_size=1, max_size=6).map(
    "".join
)
_LONG = st.sampled_from(("x", "é", "{{", "\n", "# ", "🚀", "a: b")).map(lambda f: (f * 10_240)[:10_240])
TEXT = st.one_of(_SHORT, _SHORT, _SHORT, _SHORT, _SHORT, _SHORT, _SHORT, _LONG)
OPTIONAL_TEXT = st.one_of(st.just(""), TEXT)
# Required text fields: blank text is a (tested) spec error; here it would only mask the rest.
REQUIRED = TEXT.map(lambda s: s if s.strip() else s + "x")
# Summaries and descriptions are Prometheus templates: mostly text with the supported actions,
# sometimes anything (stray braces must then be a one-line spec error).
_ACTIONS = ("{{ $value }}", "{{ $value | humanize }}", "{{ $labels.job }}", "{{- $value -}}")
_PLAIN = tuple(f for f in FRAGMENTS if "{" not in f and "}" not in f) + _ACTIONS
_TEMPLATE = st.lists(st.sampled_from(_PLAIN), min_size=1, max_size=8).map("".join)
# Alert titles become runbook headings: one with no letter, digit or space has no anchor (an error).
TITLE = st.one_of(st.just(""), TEXT.map(lambda s: s + " x"), TEXT.map(lambda s: "x " + s))

ALERT_NAME = st.from_regex(r"\A[A-Z][A-Za-z0-9]{0,14}\Z")
KEBAB = st.from_regex(r"\A[a-z][a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}\Z")
# The labels alertgen sets itself: a value of the user's for one is a clash (a spec error), so
# only raw specs write them, and most specs are accepted and their artifacts checked.
SET_BY_ALERTGEN = ("severity", "team", "service", "category", "alertname")
LABEL_NAME = st.one_of(
    st.from_regex(r"\A[a-zA-Z][a-zA-Z0-9_]{0,10}\Z").filter(lambda name: name not in SET_BY_ALERTGEN),
    st.sampled_from(("job", "instance", "le")),
)
# Label values are static: anything but an empty value or a '{{' (both spec errors, see RAW_LABELS).
LABELS = st.dictionaries(LABEL_NAME, TEXT.map(lambda s: re.sub(r"\{(?=\{)", "{ ", s) or "x"), max_size=3)
RAW_LABELS = st.dictionaries(
    st.one_of(LABEL_NAME, st.sampled_from(SET_BY_ALERTGEN)), OPTIONAL_TEXT, max_size=3
)
DURATION = st.sampled_from(("0s", "30s", "1m", "2m", "5m", "10m", "1h"))
FOR = st.sampled_from(("0s", "1m", "5m", "10m"))


@dataclass(frozen=True)
class Call:
    """A spec constructor call, rendered as Python source."""

    name: str
    kwargs: dict[str, Any]


def py(value: Any) -> str:
    """Python source for a spec value; strings through repr, so any text survives exactly."""
    if isinstance(value, Call):
        return f"{value.name}(" + ", ".join(f"{k}={py(v)}" for k, v in value.kwargs.items()) + ")"
    if isinstance(value, tuple):
        return "(" + "".join(py(v) + ", " for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(k)}: {py(v)}" for k, v in value.items()) + "}"
    return repr(value)


@st.composite
def runbooks(draw: st.DrawFn) -> Call:
    step = Call(
        "Step",
        {
            "title": draw(REQUIRED),
            "text": draw(OPTIONAL_TEXT),
            "commands": (Call("Command", {"code": draw(REQUIRED), "variant": draw(OPTIONAL_TEXT)}),),
            "bullets": tuple(draw(st.lists(TEXT, max_size=2))),
        },
    )
    return Call(
        "Runbook",
        {
            "actions": (step,),
            "causes": tuple(draw(st.lists(TEXT, max_size=2))),
            "escalation": tuple(draw(st.lists(TEXT, max_size=2))),
            "notes": draw(OPTIONAL_TEXT),
        },
    )


def _alert_text(draw: st.DrawFn, raw: bool) -> dict[str, Any]:
    """The free-text fields every alert and tier has; `raw` lets anything into the templates."""
    return {
        "summary": draw(REQUIRED if raw else _TEMPLATE.map(lambda s: s if s.strip() else s + "x")),
        "description": draw(OPTIONAL_TEXT if raw else st.one_of(st.just(""), _TEMPLATE)),
        "title": draw(OPTIONAL_TEXT if raw else TITLE),
        "labels": draw(RAW_LABELS if raw else LABELS),
        "runbook": draw(runbooks()),
    }


@st.composite
def services(draw: st.DrawFn, name: str, team: str, alert_names: list[str], raw: bool) -> Call:
    """A service with a tiered ratio alert and a gauge alert, each with examples promtool runs."""
    snake = name.replace("-", "_")
    requests, queue = f"{snake}_requests_total", f"{snake}_queue"
    target = 'job="app",namespace="ns",instance="10.0.0.1:80"'
    ratio = Call(
        "Signal",
        {
            "name": "error_ratio",
            "expr": f'sum by (job) (rate({requests}{{code=~"5.."}}[5m])) / sum by (job) (rate({requests}[5m]))',
            "unit": "percentunit",
            "title": draw(OPTIONAL_TEXT),
            "description": draw(OPTIONAL_TEXT),
        },
    )
    half_errors = {
        f'{requests}{{{target},code="500"}}': "0+10x30",
        f'{requests}{{{target},code="200"}}': "0+10x30",
    }
    warning, critical = sorted(
        draw(st.lists(st.floats(0.001, 0.999, allow_nan=False), min_size=2, max_size=2, unique=True))
    )
    tiers = []
    for tier_name, threshold in ((alert_names[0], warning), (alert_names[1], critical)):
        example = Call(
            "Example",
            {
                "name": draw(REQUIRED),
                "series": half_errors,
                "at": "20m",
                "fires": threshold < 0.5,
                "value": 0.5,
            },
        )
        tiers.append(
            Call(
                "Tier",
                {
                    "name": tier_name,
                    "threshold": threshold,
                    "for_": draw(FOR),
                    **_alert_text(draw, raw),
                    "examples": (example,),
                },
            )
        )
    op = draw(st.sampled_from(list(Comparison)))
    threshold = draw(st.one_of(st.integers(-1000, 1000), st.floats(-1e9, 1e9, allow_nan=False)))
    level = draw(st.integers(-100, 100))
    gauge_alert = Call(
        "Alert",
        {
            "name": alert_names[2],
            "signal": Call(
                "Signal",
                {
                    "name": "queue",
                    "expr": f"sum by (job) ({queue})",
                    "unit": "short",
                    "title": draw(OPTIONAL_TEXT),
                },
            ),
            "severity": draw(st.sampled_from(("critical", "warning", "info"))),
            "category": draw(st.sampled_from(("service", "business"))),
            "op": op.value,
            "threshold": threshold,
            "for_": draw(FOR),
            "keep_firing_for": draw(st.one_of(st.none(), DURATION)),
            **_alert_text(draw, raw),
            "examples": (
                Call(
                    "Example",
                    {
                        "name": draw(REQUIRED),
                        "series": {f'{queue}{{{target},pool="p"}}': f"{level}x20"},
                        "at": "15m",
                        "fires": op.holds(level, threshold),
                        "value": level,
                    },
                ),
            ),
        },
    )
    return Call(
        "Service",
        {
            "name": name,
            "title": draw(REQUIRED),
            "version": "1.0.0",
            "team": team,
            "description": draw(OPTIONAL_TEXT),
            "labels": draw(RAW_LABELS if raw else LABELS),
            "metrics": (
                Call(
                    "Metric",
                    {"name": requests, "type": "counter", "labels": ("code",), "help": draw(OPTIONAL_TEXT)},
                ),
                Call(
                    "Metric",
                    {"name": queue, "type": "gauge", "labels": ("pool",), "help": draw(OPTIONAL_TEXT)},
                ),
            ),
            "alerts": (
                Call("Tiers", {"signal": ratio, "warning": tiers[0], "critical": tiers[1]}),
                gauge_alert,
            ),
            "runbook_base_url": "https://example.com/runbooks/",
            "scrape_interval": draw(st.sampled_from(("15s", "30s", "1m"))),
            "evaluation_interval": "1m",
            "links": tuple(
                Call("Link", {"title": draw(REQUIRED), "url": "https://example.com/x"})
                for _ in range(draw(st.integers(0, 1)))
            ),
            "escalation": tuple(
                Call(
                    "EscalationLevel",
                    {"level": 1, "window": draw(REQUIRED), "who": draw(REQUIRED), "duties": (draw(TEXT),)},
                )
                for _ in range(draw(st.integers(0, 1)))
            ),
            "sections": tuple(
                Call(
                    "Section",
                    {
                        "title": draw(REQUIRED),
                        "steps": (Call("Step", {"title": draw(REQUIRED), "text": draw(TEXT)}),),
                    },
                )
                for _ in range(draw(st.integers(0, 1)))
            ),
        },
    )


@st.composite
def receivers(draw: st.DrawFn, name: str) -> Call:
    secret = f"/etc/alertmanager/secrets/{name}"
    kind = draw(st.sampled_from(("PagerDuty", "Slack", "Webhook", "Email")))
    if kind == "PagerDuty":
        return Call(
            "PagerDuty", {"name": name, "routing_key_file": secret, "details": {draw(KEBAB): draw(TEXT)}}
        )
    if kind == "Slack":
        return Call("Slack", {"name": name, "channel": f"#{name}", "api_url_file": secret})
    if kind == "Webhook":
        return Call("Webhook", {"name": name, "url": f"https://hooks.example.com/{name}"})
    return Call(
        "Email",
        {
            "name": name,
            "to": (f"{name}@example.com",),
            "sender": "am@example.com",
            "smarthost": "smtp.example.com:587",
        },
    )


@st.composite
def spec_modules(draw: st.DrawFn) -> str:
    """A whole spec module: one team with its receivers and routing, 1-3 services."""
    count = draw(st.integers(1, 3))
    # Whole-spec choices, so that most specs are accepted and the artifacts get checked: one in
    # five lets arbitrary text into templates, labels and titles, one in ten holds a lone surrogate.
    raw = draw(st.sampled_from((False,) * 4 + (True,)))
    surrogate = draw(st.sampled_from((False,) * 9 + (True,)))
    names = draw(st.lists(KEBAB, min_size=count + 4, max_size=count + 4, unique=True))
    service_names, team, receiver_names = names[:count], names[count], names[count + 1 :]
    alert_names = draw(st.lists(ALERT_NAME, min_size=3 * count, max_size=3 * count, unique=True))
    # Entries in a first-match order where each still catches something: no spec error for an
    # entry shadowed by an earlier one, and the catch-all only when something is left.
    every = {(sev, cat) for sev in ("critical", "warning", "info") for cat in ("service", "business")}
    notify, covered = [], set()
    for _ in range(draw(st.integers(0, 3))):
        severity = draw(st.sampled_from((None, "critical", "warning", "info")))
        category = draw(st.sampled_from((None, "service", "business")))
        catches = {(s, c) for s, c in every if severity in (None, s) and category in (None, c)}
        if not catches - covered:
            continue
        covered |= catches
        chosen = draw(st.lists(st.sampled_from(receiver_names), min_size=1, max_size=2, unique=True))
        notify.append(
            Call("Notify", {"severity": severity, "category": category, "receivers": tuple(chosen)})
        )
    if covered != every:
        notify.append(Call("Notify", {"receivers": (receiver_names[0],)}))  # nothing left unrouted
    team_call = Call(
        "Team",
        {
            "name": team,
            "receivers": tuple(draw(receivers(n)) for n in receiver_names),
            "notify": tuple(notify),
        },
    )
    lines = [
        "from generator import (Alert, Command, Email, EscalationLevel, Example, Link, Metric, Notify, PagerDuty,",
        "    Runbook, Section, Service, Signal, Slack, Step, Team, Tier, Tiers, Webhook)",
        "",
        f"team = {py(team_call)}",
    ]
    for i, name in enumerate(service_names):
        call = draw(services(name, team, alert_names[3 * i : 3 * i + 3], raw))
        if surrogate:
            call.kwargs["description"] += SURROGATE
            surrogate = False
        lines.append(f"service_{i} = {py(call)}")
    return "\n".join(lines) + "\n"


ERROR_LINE = re.compile(r"^specs/hostile\.py:\d+: \S.*$")
SUMMARY_LINE = re.compile(r"^alertgen: (\d+) errors? in specs; nothing written$")


def check_rejection(stderr: str) -> None:
    """One line per error naming the spec file and line, then the count; nothing else."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.rstrip("\n").split("\n")
    summary = SUMMARY_LINE.match(lines[-1])
    assert summary, f"no summary line:\n{stderr[-3000:]}"
    errors = [line for line in lines[:-1] if not line.startswith("warning: ")]
    assert len(errors) == int(summary.group(1)), f"errors are not one line each:\n{stderr[-3000:]}"
    bad = [line for line in errors if not ERROR_LINE.match(line)]
    assert not bad, f"error lines without file:line: {bad[:3]}"


def check_artifacts(out: Path, promtool: str, amtool: str) -> None:
    """The generated tree passes the real tools, parses, and its runbook anchors exist."""
    rules = sorted((out / "prometheus/rules").glob("*.yml"))
    proc = run_tool(promtool, "check", "rules", *map(str, rules))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tests = sorted((out / "prometheus/tests").glob("*.yml"))
    proc = run_tool(promtool, "test", "rules", *(t.name for t in tests), cwd=out / "prometheus/tests")
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-5000:]
    for config in sorted((out / "alertmanager").glob("alertmanager*.yml")):
        proc = run_tool(amtool, "check-config", str(config))
        assert proc.returncode == 0, proc.stdout + proc.stderr
    for path in sorted(out.rglob("*")):
        if path.suffix == ".json":
            json.loads(path.read_text())
        elif path.suffix == ".yml":
            yaml.safe_load(path.read_text())
    anchors: dict[str, set[str]] = {}
    for rule_file in rules:
        for group in yaml.safe_load(rule_file.read_text())["groups"]:
            for rule in group["rules"]:
                if "alert" not in rule:
                    continue
                url = rule["annotations"]["runbook_url"]
                page, _, anchor = url.rpartition("#")
                name = page.rsplit("/", 1)[1]
                if name not in anchors:  # parse each runbook once
                    anchors[name] = {h.anchor for h in headings((out / "runbooks" / name).read_text())}
                assert anchor and anchor in anchors[name], f"{rule['alert']}: {url} has no heading in {name}"


def test_hostile_specs_yield_valid_artifacts_or_one_line_errors(capsys: pytest.CaptureFixture[str]) -> None:
    promtool, amtool = require_tool("promtool"), require_tool("amtool")
    tally: Counter[str] = Counter()

    @SETTINGS
    @given(source=spec_modules())
    def case(source: str) -> None:
        # A fresh working directory per case, so spec paths in messages read `specs/hostile.py`.
        with tempfile.TemporaryDirectory() as cwd, contextlib.chdir(cwd):
            Path(cwd, "specs").mkdir()
            Path(cwd, "specs/hostile.py").write_text(source, encoding="utf-8")
            result = CliRunner().invoke(main, ["generate", "--specs", "specs", "--out", "out"])
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise result.exception
            if result.exit_code == 2:
                check_rejection(result.stderr)
                tally["rejected"] += 1
                return
            assert result.exit_code == 0, f"exit {result.exit_code}:\n{result.stderr[-5000:]}"
            check_artifacts(Path(cwd, "out"), promtool, amtool)
            tally["accepted"] += 1

    case()
    total = tally["accepted"] + tally["rejected"]
    with capsys.disabled():
        print(
            f"\nhostile specs: {total} cases ({tally['accepted']} accepted, {tally['rejected']} rejected), "
            f"max_examples={MAX_EXAMPLES}, derandomize=True"
        )
    assert total >= MAX_EXAMPLES
    # Both outcomes must be exercised, or the strategy has drifted from what the test claims.
    assert tally["accepted"] and tally["rejected"], tally


def test_spec_module_writer_round_trips_any_text() -> None:
    """The harness itself: a string written with py() reads back identical."""
    text = "".join(FRAGMENTS) + "x" * 10
    namespace: dict[str, Any] = {}
    exec(textwrap.dedent(f"value = {py(text)}"), namespace)
    assert namespace["value"] == text


def _brownie_with(old: str, new: str, tmp_path: Path) -> Path:
    source = (SPECS / "brownie_metadata.py").read_text()
    assert source.count(old) == 1, old
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "brownie_metadata.py").write_text(source.replace(old, new), encoding="utf-8")
    return specs


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'summary="Brownie Metadata Database service is down",',
            'summary="Brownie Metadata Database service is down\\ud800",',
            "Alert 'ServiceDown': summary: text holds a lone surrogate such as '\\ud800', which no UTF-8 "
            "file can hold; write the character itself",
        ),
        (
            'name="ServiceDown",',
            'name="ServiceDown",\n    title="!!!",',
            "Alert 'ServiceDown': title '!!!' gives its runbook heading an empty anchor (GitHub keeps only "
            "letters, digits, spaces, '-' and '_'), so runbook_url cannot point at it; use words",
        ),
        (
            'summary="Brownie Metadata Database service is down",',
            'summary="{{" * 5000,',
            "Alert 'ServiceDown': summary: unbalanced '{{' in template; close every '{{' with '}}'",
        ),
        (
            'name="ServiceDown",',
            'name="ServiceDown",\n    labels={"tier": ""},',
            "Alert 'ServiceDown': labels.tier: empty label value; Prometheus drops a label whose value is "
            "empty, so remove it",
        ),
        (
            'name="ServiceDown",',
            'name="ServiceDown",\n    labels={"tier": "{{ $value }}"},',
            "Alert 'ServiceDown': labels.tier: label value '{{ $value }}' contains '{{', which Prometheus "
            "expands as a template; labels are static here (routing matches them), so remove the braces",
        ),
    ],
    ids=[
        "lone-surrogate",
        "title-without-anchor",
        "10kB-of-braces",
        "empty-label-value",
        "template-label-value",
    ],
)
def test_bugs_found_by_hostile_specs_are_spec_errors(
    old: str, new: str, message: str, tmp_path: Path
) -> None:
    """Each of these once crashed generate with a traceback, or took seconds, or wrote a broken link."""
    specs = _brownie_with(old, new, tmp_path)
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if not line.startswith(("warning: ", "alertgen: "))]
    assert [e for e in errors if e.endswith(message)], errors


def test_titles_with_line_breaks_and_edge_spaces_keep_their_anchor(tmp_path: Path) -> None:
    """A title with a tab, a line break or a trailing space renders as one trimmed line, and its
    runbook_url anchor is that heading's (once: 'headings differ from the outline' traceback)."""
    specs = _brownie_with(
        'name="ServiceDown",', 'name="ServiceDown",\n    title="\\tService\\r\\n down ",', tmp_path
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rules = yaml.safe_load((out / "prometheus/rules/brownie-metadata.rules.yml").read_text())
    (down,) = [r for r in rules["groups"][0]["rules"] if r.get("alert") == "ServiceDown"]
    assert down["annotations"]["runbook_url"].endswith("/brownie-metadata.md#service-down")
    heads = headings((out / "runbooks/brownie-metadata.md").read_text())
    assert [h.text for h in heads if h.anchor == "service-down"] == ["Service down"]
