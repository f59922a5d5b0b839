"""Receivers per environment: the same names everywhere, different integrations behind them.

- production: each receiver as the spec declares it.
- staging: each receiver with its `staging=` target (its own channel, key or webhook file);
  the others stay as receivers without integrations, so the routing tree (and its tests) is
  identical and staging reaches nobody it was not declared for.
- local: every receiver is a webhook to one URL, for end-to-end tests; the payload's
  `receiver` field tells which receiver it was.
"""

from __future__ import annotations

from typing import Any

from ..spec.house import DEFAULT, Conventions
from ..spec.routing import Email, PagerDuty, Receiver, Slack, Webhook
from . import templates as tmpl


def receiver_config(
    name: str,
    receiver: Receiver | None,
    env: str,
    webhook_url: str | None,
    conventions: Conventions = DEFAULT,
) -> dict[str, Any]:
    """One entry of `receivers:`; `receiver` None is one without integrations (the null default)."""
    if env == "local":
        if webhook_url is None:
            raise ValueError("the local environment needs a webhook URL")
        return {"name": name, "webhook_configs": [{"url": webhook_url, "send_resolved": True}]}
    receiver = receiver.in_environment(env) if receiver is not None else None
    if receiver is None:
        return {"name": name}
    if isinstance(receiver, PagerDuty):
        return {"name": name, "pagerduty_configs": [_pagerduty(receiver, conventions)]}
    if isinstance(receiver, Slack):
        return {"name": name, "slack_configs": [_slack(receiver)]}
    if isinstance(receiver, Email):
        return {"name": name, "email_configs": [_email(receiver)]}
    if isinstance(receiver, Webhook):
        return {"name": name, "webhook_configs": [_webhook(receiver)]}
    raise TypeError(f"no Alertmanager form for {type(receiver).__name__}")  # pragma: no cover


def _set(out: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """`out` with the fields that are set (not None, not empty)."""
    out.update({k: v for k, v in fields.items() if v not in (None, {}, ())})
    return out


def _pagerduty(r: PagerDuty, conventions: Conventions) -> dict[str, Any]:
    out: dict[str, Any] = {"send_resolved": r.send_resolved}
    _set(
        out,
        routing_key_file=r.routing_key_file,
        service_key_file=r.service_key_file,
    )
    out["description"] = r.description if r.description is not None else tmpl.call(tmpl.PAGERDUTY_DESCRIPTION)
    _set(out, severity=r.severity, client=r.client, client_url=r.client_url)
    # On-call opens the runbook, the dashboard and a silence from the incident itself.
    out["links"] = [{"href": tmpl.call(t), "text": text} for text, t in tmpl.links(conventions)]
    return _set(out, details=dict(sorted(r.details.items())))


def _slack(r: Slack) -> dict[str, Any]:
    out: dict[str, Any] = {
        "send_resolved": r.send_resolved,
        "api_url_file": r.api_url_file,
        "channel": r.channel,
        "title": r.title if r.title is not None else tmpl.call(tmpl.SLACK_TITLE),
        "text": r.text if r.text is not None else tmpl.call(tmpl.SLACK_TEXT),
    }
    return _set(out, title_link=r.title_link, color=r.color, username=r.username, icon_emoji=r.icon_emoji)


def _email(r: Email) -> dict[str, Any]:
    out: dict[str, Any] = {
        "send_resolved": r.send_resolved,
        "to": ", ".join(r.to),
        "from": r.sender,
        "smarthost": r.smarthost,
        "require_tls": r.require_tls,
    }
    return _set(
        out,
        auth_username=r.auth_username,
        auth_password_file=r.auth_password_file,
        headers={"Subject": r.title if r.title is not None else tmpl.call(tmpl.EMAIL_SUBJECT)},
        html=r.html if r.html is not None else tmpl.call(tmpl.EMAIL_HTML),
        text=r.text,
    )


def _webhook(r: Webhook) -> dict[str, Any]:
    out: dict[str, Any] = {"send_resolved": r.send_resolved, "url": r.url}
    auth = (
        {"authorization": {"type": "Bearer", "credentials_file": r.bearer_token_file}}
        if r.bearer_token_file
        else None
    )
    return _set(out, max_alerts=r.max_alerts or None, http_config=auth)
