"""A semantic diff in words: Markdown for a pull-request comment, plain text, or JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..render.markdown import code_span, escape_text, fence
from .compare import ADDED, REMOVED, RENAMED, Change, ServiceDiff
from .snapshot import Value

NO_CHANGE = "no behaviour change"

# Facts whose value is a list of names: worded as what was added and what was removed.
_LIST_WORDS = {
    "notified (production)": ("now also notifies {} in production", "no longer notifies {} in production"),
    "notified (staging)": ("now also notifies {} in staging", "no longer notifies {} in staging"),
    "inhibited by": ("now also inhibited by {}", "no longer inhibited by {}"),
    "inhibits": ("now also inhibits {}", "no longer inhibits {}"),
    "labels": ("label {} added", "label {} removed"),
}
# Values long or multi-line enough to read better as a diff block than inline.
_BLOCK_AT = 60


@dataclass(frozen=True)
class Diff:
    """What `alertgen diff` found: the two sides' names, the services that changed, and the
    generated files whose bytes differ (behaviour or not)."""

    base: str
    head: str
    services: tuple[ServiceDiff, ...]
    files: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether any alerting behaviour differs."""
        return bool(self.services)


def _version(s: ServiceDiff) -> str:
    if s.before_version is None:
        return f"new service, version {s.after_version}"
    if s.after_version is None:
        return f"service removed, was version {s.before_version}"
    if s.version_bumped:
        return f"version {s.before_version} → {s.after_version}"
    return f"version {s.after_version}, not bumped"


def _names(items: Sequence[str], code: Callable[[str], str]) -> str:
    return ", ".join(code(i) for i in items)


def words(change: Change, code: Callable[[str], str] = str) -> list[str]:
    """A change as short phrases (a list fact gives one for what came and one for what went);
    long values are left to the caller as a block (see `block`)."""
    if change.field == ADDED:
        return ["new alert"]
    if change.field == REMOVED:
        return ["alert removed"]
    if change.field == RENAMED:
        return [f"renamed from {code(str(change.before))}"]
    if change.field in _LIST_WORDS:
        came_word, went_word = _LIST_WORDS[change.field]
        before, after = _items(change.before), _items(change.after)
        came = [i for i in after if i not in before]
        went = [i for i in before if i not in after]
        out = [came_word.format(_names(came, code))] if came else []
        out += [went_word.format(_names(went, code))] if went else []
        return out or [f"{change.field}: order changed"]
    if block(change):
        return [f"{change.field} changed"]
    return [f"{change.field} {_value(change.before, code)} → {_value(change.after, code)}"]


def _items(value: Value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else () if value is None else (value,)


def _value(value: Value, code: Callable[[str], str]) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return _names(value, code) if value else "none"
    return code(value)


def block(change: Change) -> bool:
    """Whether a change's values are shown as a block of their own (long or multi-line text)."""
    values = [v for v in (change.before, change.after) if isinstance(v, str)]
    return change.field not in (ADDED, REMOVED, RENAMED) and any(
        "\n" in v or len(v) > _BLOCK_AT for v in values
    )


def markdown(diff: Diff) -> str:
    """The diff as a pull-request comment: a heading per service, a bullet per change."""
    lines = [f"### Alerting behaviour: {code_span(diff.base)} → {escape_text(diff.head)}", ""]
    if not diff.changed:
        lines.append(f"**{NO_CHANGE}**.{_files_note(diff)}")
        return "\n".join(lines) + "\n"
    for service in diff.services:
        lines += [f"#### {escape_text(service.title)} ({code_span(service.name)}, {_version(service)})", ""]
        for change in service.changes:
            for phrase in words(change, code_span):
                lines.append(f"- **{escape_text(change.alert)}**: {phrase}")
            if block(change):
                before = "" if change.before is None else str(change.before)
                after = "" if change.after is None else str(change.after)
                diffed = "\n".join(
                    [*(f"- {ln}" for ln in before.splitlines()), *(f"+ {ln}" for ln in after.splitlines())]
                )
                lines += [
                    "",
                    *("  " + ln if ln else ln for ln in fence(diffed + "\n", "diff").splitlines()),
                    "",
                ]
        if lines[-1]:
            lines.append("")
    n = sum(len(words(c)) for s in diff.services for c in s.changes)
    m = len(diff.services)
    lines.append(
        f"{n} change{'s' if n != 1 else ''} in {m} service{'s' if m != 1 else ''}.{_files_note(diff)}"
    )
    return "\n".join(lines) + "\n"


def _files_note(diff: Diff) -> str:
    if not diff.files:
        return " No generated file differs."
    n = len(diff.files)
    return f" {n} generated file{'s' if n != 1 else ''} differ{'s' if n == 1 else ''}."


def text(diff: Diff) -> str:
    """The diff as plain lines: `service alert: change`, or the no-change line."""
    if not diff.changed:
        return f"{diff.base} → {diff.head}: {NO_CHANGE}\n"
    lines = []
    for service in diff.services:
        lines.append(f"{service.name} ({_version(service)})")
        for change in service.changes:
            for phrase in words(change):
                lines.append(f"  {change.alert}: {phrase}")
            if block(change):
                lines.append(f"    was: {' '.join(str(change.before).split())}")
                lines.append(f"    now: {' '.join(str(change.after).split())}")
    return "\n".join(lines) + "\n"


def as_json(diff: Diff) -> str:
    """The diff as JSON: base, head, changed, and per service its versions and changes."""
    data = {
        "base": diff.base,
        "head": diff.head,
        "changed": diff.changed,
        "services": [
            {
                "service": s.name,
                "title": s.title,
                "before_version": s.before_version,
                "after_version": s.after_version,
                "changes": [
                    {"alert": c.alert, "field": c.field, "before": c.before, "after": c.after}
                    for c in s.changes
                ],
            }
            for s in diff.services
        ],
        "files": list(diff.files),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[Diff], str]] = {"markdown": markdown, "text": text, "json": as_json}
