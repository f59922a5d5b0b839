"""Markdown runbooks: one per service (what to do for each alert) and an index of them all.

Every heading a runbook writes is listed first (`outline`), the anchors of alerts come from the
same list in the build (`conventions.runbook_alert_outline`), and the rendered file is checked
against it, so an alert's `runbook_url` always lands on its heading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jinja2 import Environment

from .. import __version__
from .. import conventions as conv
from ..artifacts.runbooks import parse_runbook
from ..model import AlertRunbook, ChangelogEntry, Model, ResolvedAlert, ResolvedService
from ..spec import Section
from ..spec.types import Unit
from .markdown import check_outline, environment
from .mermaid import routing_mermaid

ESCALATION = "Escalation Procedures"
LINKS = "Useful Links"
# The service's versions from git history (`generate --history`), after everything else.
CHANGELOG = "Changelog"
INDEX_TITLE = "Runbooks"
NOT_ROUTED = "not routed"


@dataclass(frozen=True, slots=True)
class Ref:
    """A named link target: an alert or heading, with its href from the page that shows it."""

    name: str
    href: str


@dataclass(frozen=True, slots=True)
class AlertView:
    """What the templates show for one alert, worded from the resolved rule."""

    alert: ResolvedAlert
    service: ResolvedService
    href: str
    severity: str
    signal_title: str
    description: str
    condition: str
    # The rule's `for`; empty when it fires at the first evaluation that sees the condition.
    for_text: str
    receivers: tuple[str, ...]
    # Each receiver with what it is (`PagerDuty brownie-oncall`) when the routing says so.
    destinations: tuple[tuple[str, str], ...]
    inhibited_by: tuple[Ref, ...]
    inhibits: tuple[Ref, ...]
    twin: Ref | None
    twin_condition: str
    # The alert's runbook (empty when the spec gives none) and the URL of one kept elsewhere.
    book: AlertRunbook
    elsewhere: str


_NO_RUNBOOK = AlertRunbook()


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`runbooks/<service>.md`: what to do for each of the service's alerts."""
    return {conv.runbook_path(service.name): _runbook(environment(), model, service)}


def render_index(model: Model) -> dict[str, str]:
    """`runbooks/README.md`: the index of every service's runbook, the alert catalog, the routing."""
    return {conv.runbooks_index_path(): _index(environment(), model)}


def _runbook(env: Environment, model: Model, service: ResolvedService) -> str:
    path = conv.runbook_path(service.name)
    views = [_view(model, service, a, service.name) for a in service.alerts]
    groups: list[tuple[str, list[AlertView]]] = []
    for view in views:
        group = conv.runbook_group_heading(
            conv.runbook_group(view.alert.severity, view.alert.category), model.conventions.severities
        )
        if not groups or groups[-1][0] != group:
            groups.append((group, []))
        groups[-1][1].append(view)
    changelog = model.changelog.get(service.name, ())
    headings = outline(service, model.conventions.severities, changelog)
    slugger = conv.Slugger()
    planned = [(h, slugger.slug(h.text)) for h in headings]
    escalation = next((anchor for h, anchor in planned if h.level == 2 and h.text == ESCALATION), "")
    spec = service.spec
    text = env.get_template("runbook.md.j2").render(
        notice=_notice(service),
        title=conv.runbook_title(spec.title),
        glance=conv.RUNBOOK_GLANCE,
        service=service,
        spec=spec,
        version=__version__,
        views=views,
        groups=groups,
        during=[s for s in spec.sections if not s.follow_up],
        after=[s for s in spec.sections if s.follow_up],
        escalation_heading=ESCALATION,
        escalation_href=f"#{escalation}" if escalation else "",
        links_heading=LINKS,
        sections=(*conv.ALERT_SECTIONS, "Details"),
        index=_file(conv.runbooks_index_path()),
        not_routed=NOT_ROUTED,
        changelog=changelog,
        changelog_heading=CHANGELOG,
        entry_title=_entry_title,
    )
    for heading, anchor in zip(headings, _checked(path, text, headings), strict=True):
        if heading.alert is not None and anchor != service.alerts[heading.alert].anchor:
            alert = service.alerts[heading.alert]
            raise RuntimeError(
                f"{path}: heading of {alert.name} has anchor {anchor!r}, but its runbook_url "
                f"ends in {alert.anchor!r}"
            )
    return text


def outline(
    service: ResolvedService, severities: Sequence[str], changelog: Sequence[ChangelogEntry] = ()
) -> list[conv.Heading]:
    """Every heading of a service's runbook, in document order."""
    spec = service.spec
    entries = [
        (a.title, conv.runbook_group(a.severity, a.category), bool(a.runbook and a.runbook.causes))
        for a in service.alerts
    ]
    out = conv.runbook_alert_outline(spec.title, entries, severities)
    for section in (s for s in spec.sections if not s.follow_up):
        out.extend(_section_outline(section))
    if spec.escalation:
        out.append(conv.Heading(2, ESCALATION))
        out.extend(conv.Heading(3, _level_title(level.level, level.window)) for level in spec.escalation)
    for section in (s for s in spec.sections if s.follow_up):
        out.extend(_section_outline(section))
    out.append(conv.Heading(2, LINKS))
    if changelog:
        out.append(conv.Heading(2, CHANGELOG))
        out.extend(conv.Heading(3, _entry_title(entry)) for entry in changelog)
    return out


def _entry_title(entry: ChangelogEntry) -> str:
    return f"{entry.version} ({entry.date})" if entry.date else f"{entry.version} (not committed)"


def _section_outline(section: Section) -> list[conv.Heading]:
    out = [conv.Heading(2, section.title)]
    if not section.numbered:
        out.extend(conv.Heading(3, step.title) for step in section.steps)
    return out


def _level_title(level: int, window: str) -> str:
    return f"Level {level} ({conv.one_line(window)})"  # as the `text` filter shows it


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """An alert as the index's catalog lists it: what `AlertView` says of it, less its links."""

    alert: ResolvedAlert
    service: ResolvedService
    href: str
    severity: str
    condition: str
    for_text: str
    receivers: tuple[str, ...]


def _row(model: Model, service: ResolvedService, alert: ResolvedAlert) -> CatalogRow:
    """The catalog row of an alert, linking into its service's runbook from the index."""
    facts = model.route(service.name, alert)
    return CatalogRow(
        alert=alert,
        service=service,
        href=f"{_file(conv.runbook_path(service.name))}#{alert.anchor}",
        severity=alert.severity.capitalize(),
        condition=condition(alert),
        for_text=alert.for_.text if alert.for_ else "",
        receivers=facts.receivers,
    )


def _signal_title(alert: ResolvedAlert) -> str:
    if alert.signal is None:
        return ""
    return alert.signal.title or conv.title_from_name(alert.signal.name)


def condition(alert: ResolvedAlert) -> str:
    """The condition for tables: `Error ratio > 10%`, or the PromQL of an `expr=` alert."""
    if alert.record is None or alert.signal is None or alert.op is None or alert.threshold is None:
        return alert.expr  # an expr= alert: its condition is its PromQL
    return conv.condition_text(
        _signal_title(alert), alert.op.value, alert.threshold, alert.signal.unit, alert.absent
    )


def _description(alert: ResolvedAlert) -> str:
    lasting = f" for more than {conv.format_duration_words(alert.for_.seconds)}" if alert.for_ else ""
    if alert.record is None or alert.signal is None or alert.op is None or alert.threshold is None:
        return f"the condition below holds{lasting}."
    absent = ", or its series is absent," if alert.absent else ""
    value = conv.format_value(alert.threshold, alert.signal.unit)
    return f"{_signal_title(alert)} is {alert.op.words} {value}{absent}{lasting}."


def _view(model: Model, service: ResolvedService, alert: ResolvedAlert, here: str) -> AlertView:
    facts = model.route(service.name, alert)
    twin = model.alert_index[alert.twin][1] if alert.twin else None
    unit = alert.signal.unit if alert.signal is not None else Unit.NONE
    return AlertView(
        alert=alert,
        service=service,
        href=f"#{alert.anchor}",
        severity=alert.severity.capitalize(),
        signal_title=_signal_title(alert),
        description=_description(alert),
        condition=condition(alert),
        for_text=alert.for_.text if alert.for_ else "",
        receivers=facts.receivers,
        destinations=tuple(
            (r, d if d != r else "")
            for r, d in zip(facts.receivers, facts.destinations or facts.receivers, strict=False)
        ),
        inhibited_by=tuple(_alert_ref(model, name, here) for name in facts.inhibited_by),
        inhibits=tuple(_alert_ref(model, name, here) for name in facts.inhibits),
        twin=_alert_ref(model, twin.name, here) if twin else None,
        twin_condition=_threshold(twin, unit) if twin else "",
        book=alert.runbook or _NO_RUNBOOK,
        elsewhere=alert.runbook_elsewhere or "",
    )


def _threshold(twin: ResolvedAlert, unit: Unit) -> str:
    if twin.op is None or twin.threshold is None:
        return "on its own condition"
    return f"{twin.op.words} {conv.format_value(twin.threshold, unit)}"


def _alert_ref(model: Model, name: str, here: str) -> Ref:
    """A link to an alert's runbook section from the runbook of service `here`."""
    found = model.alert_index.get(name)
    if found is None:
        return Ref(name, "")
    service, alert = found
    page = "" if service == here else _file(conv.runbook_path(service))
    return Ref(name, f"{page}#{alert.anchor}")


def _file(path: str) -> str:
    # Runbooks and their index share one folder: a link between them is the bare file name.
    return path.rsplit("/", 1)[-1]


def _notice(service: ResolvedService) -> str:
    source = f"{service.source} (service {service.name} {service.spec.version}, alertgen {__version__})"
    return conv.GENERATED_NOTICE.format(source=source)


def _index(env: Environment, model: Model) -> str:
    path = conv.runbooks_index_path()
    views = [_row(model, s, a) for s in model.services for a in s.alerts]
    services = [(s, _file(conv.runbook_path(s.name))) for s in model.services]
    docs = {(s.name, d.name): d for s in model.services for d in s.spec.documents}
    text = env.get_template("index.md.j2").render(
        notice=conv.GENERATED_NOTICE.format(source=f"specs/ (alertgen {__version__})"),
        title=INDEX_TITLE,
        version=__version__,
        services=services,
        docs=docs,
        quick=[s for s in model.services if s.spec.quick_reference or s.spec.change_management],
        views=views,
        mermaid=routing_mermaid(model).strip("\n"),
        not_routed=NOT_ROUTED,
    )
    _checked(path, text, _index_outline(model))
    return text


def _checked(path: str, text: str, outline: list[conv.Heading]) -> list[str]:
    """The anchors of a rendered runbook's headings as the checks read them, checked against its
    outline."""
    read = parse_runbook(path, text)
    return check_outline(path, [(h.level, h.text) for h in read.headings], outline)


def _index_outline(model: Model) -> list[conv.Heading]:
    """Every heading of the runbook index, in document order."""
    out = [conv.Heading(1, INDEX_TITLE), conv.Heading(2, "Available Runbooks")]
    out.append(conv.Heading(3, "Incident Response"))
    if any(s.spec.documents for s in model.services):
        out.append(conv.Heading(3, "Other Runbooks"))
    refs = [s for s in model.services if s.spec.quick_reference or s.spec.change_management]
    if refs:
        out.append(conv.Heading(2, "Quick Reference"))
        for service in refs:
            out.append(conv.Heading(3, service.spec.title))
            if service.spec.quick_reference:
                out.append(conv.Heading(4, "Emergency Procedures"))
            if service.spec.change_management:
                out.append(conv.Heading(4, "Change Management"))
    out.append(conv.Heading(2, "Alert Catalog"))
    out.append(conv.Heading(2, "Routing"))
    out.append(conv.Heading(2, "Contributing"))
    return out
