"""Alertmanager notification templates (Slack title, e-mail html, ...) checked at spec time.

They are Go templates that Alertmanager executes only when it sends: `amtool check-config`
passes a template whose `{{ end }}` closes nothing or that calls a template nobody defines, and
the notification then fails when an incident is on. Their block structure and the templates they
call are checked here, against what Alertmanager defines itself (alertgen writes no template
files of its own).
"""

from __future__ import annotations

import re

# The templates Alertmanager 0.25+ defines in its built-in default.tmpl and email.tmpl.
ALERTMANAGER_TEMPLATES = frozenset(
    {
        "__alertmanager", "__alertmanagerURL", "__subject", "__description", "__text_alert_list",
        "slack.default.title", "slack.default.username", "slack.default.fallback",
        "slack.default.callbackid", "slack.default.pretext", "slack.default.titlelink",
        "slack.default.iconemoji", "slack.default.iconurl", "slack.default.text",
        "slack.default.footer", "pagerduty.default.description", "pagerduty.default.client",
        "pagerduty.default.clientURL", "pagerduty.default.instances", "opsgenie.default.message",
        "opsgenie.default.description", "opsgenie.default.source", "wechat.default.message",
        "wechat.default.to_user", "wechat.default.to_party", "wechat.default.to_tag",
        "wechat.default.agent_id", "victorops.default.state_message",
        "victorops.default.entity_display_name", "victorops.default.monitoring_tool",
        "pushover.default.title", "pushover.default.message", "pushover.default.url",
        "sns.default.subject", "sns.default.message", "telegram.default.message",
        "discord.default.title", "discord.default.message", "webex.default.message",
        "email.default.subject", "email.default.html",
    }
)  # fmt: skip

_ACTION = re.compile(r"\{\{(-?)(.*?)(-?)\}\}", re.S)
_OPENS = ("if", "range", "with", "define", "block")
_NAME = re.compile(r'^(?:template|define|block)\s+"([^"\\]*)"')


def checked_template(value: str) -> str:
    """`value` when its actions are closed, its blocks balanced and every template it calls is
    defined (by it or by Alertmanager); ValueError saying which otherwise."""
    if value.count("{{") != len(_ACTION.findall(value)):
        raise ValueError("unclosed '{{' in notification template; close it with '}}'")
    open_blocks: list[str] = []
    defined: set[str] = set()
    called: list[str] = []
    for action in _ACTION.finditer(value):
        body = action.group(2).strip()
        if body.startswith("/*"):
            continue  # a comment
        word = body.split(None, 1)[0] if body else ""
        named = _NAME.match(body)
        if word in _OPENS:
            open_blocks.append(word)
            if named and word in ("define", "block"):
                defined.add(named.group(1))
        elif word == "end":
            if not open_blocks:
                raise ValueError("'{{ end }}' closes no if, range, with, define or block; remove it")
            open_blocks.pop()
        elif word == "else" and (not open_blocks or open_blocks[-1] not in ("if", "range", "with")):
            raise ValueError("'{{ else }}' outside an if, range or with; remove it")
        if named and word in ("template", "block"):
            called.append(named.group(1))
    if open_blocks:
        raise ValueError(f"'{{{{ {open_blocks[-1]} ... }}}}' is never closed; add '{{{{ end }}}}'")
    for name in called:
        if name not in defined and name not in ALERTMANAGER_TEMPLATES:
            raise ValueError(
                f"calls template {name!r}, which neither this text nor Alertmanager defines, so "
                "every notification would fail; define it here or call one of Alertmanager's "
                "(e.g. 'slack.default.text')"
            )
    return value
