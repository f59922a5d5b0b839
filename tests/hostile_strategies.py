"""The Hypothesis strategies of tests/test_hostile_specs.py: hostile text, names and whole spec modules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from generator.spec.types import Comparison

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
# Free text: mostly a few fragments and random characters, sometimes 10 KiB of one fragment.
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

# Valid alert names, and lower-kebab-case names for services, teams and receivers.
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
# Durations (keep_firing_for) and `for_` values.
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
    """A runbook of one step, every text field drawn."""
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
    """A receiver `name` of a drawn kind, its secrets read from files."""
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
