"""The one notification template file every receiver's messages come from, and its template names.

Receivers refer to these by `{{ template "alertgen.slack.text" . }}` instead of repeating the
text inline: one place to read and change what on-call sees, and `amtool template render`
can test each of them. The file sits beside the configs and is named in their `templates:`
(relative paths resolve against the config's folder, so `output/alertmanager/` mounts as is).
"""

from __future__ import annotations

from ..spec.house import Conventions

FILE = "notifications.tmpl"

SLACK_TITLE = "alertgen.slack.title"
SLACK_TEXT = "alertgen.slack.text"
PAGERDUTY_DESCRIPTION = "alertgen.pagerduty.description"
EMAIL_SUBJECT = "alertgen.email.subject"
EMAIL_HTML = "alertgen.email.html"
RUNBOOK_URL = "alertgen.runbook.url"
DASHBOARD_URL = "alertgen.dashboard.url"
SILENCE_URL = "alertgen.silence.url"

# Every template a receiver calls; tests render each with `amtool template render`.
CALLED = (SLACK_TITLE, SLACK_TEXT, PAGERDUTY_DESCRIPTION, EMAIL_SUBJECT, EMAIL_HTML)


def call(name: str) -> str:
    """The receiver field text that executes one template of the file."""
    return f'{{{{ template "{name}" . }}}}'


def links(conventions: Conventions) -> list[tuple[str, str]]:
    """`(text, template)` of the links a PagerDuty event carries: runbook and dashboard when the
    conventions keep those annotations, and always the silence form."""
    found = []
    if conventions.runbook_annotation:
        found.append(("Runbook", RUNBOOK_URL))
    if conventions.dashboard_annotation:
        found.append(("Dashboard", DASHBOARD_URL))
    found.append(("Silence", SILENCE_URL))
    return found


def _first_annotation(name: str) -> str:
    # A group's alerts usually share the annotation (one alert name); otherwise the first alert's
    # is the best single link, and Alertmanager's own page when no alert has one: PagerDuty
    # refuses an event whose link has an empty href, and a lost page is worse than a plain link.
    return (
        f"{{{{ with .CommonAnnotations.{name} }}}}{{{{ . }}}}"
        f"{{{{ else }}}}{{{{ with (index .Alerts 0).Annotations.{name} }}}}{{{{ . }}}}"
        "{{ else }}{{ .ExternalURL }}{{ end }}{{ end }}"
    )


def _alert_links(conventions: Conventions, slack: bool) -> str:
    """Per alert (inside `range .Alerts`): its runbook and dashboard links, when it has them."""
    out = []
    for text, name in (
        ("Runbook", conventions.runbook_annotation),
        ("Dashboard", conventions.dashboard_annotation),
    ):
        if name:
            link = f"<{{{{ . }}}}|{text}>" if slack else f'<a href="{{{{ . }}}}">{text}</a>'
            out.append(f"{{{{ with .Annotations.{name} }}}}{link} {{{{ end }}}}")
    return "".join(out)


def render(conventions: Conventions, notice: str) -> str:
    """The template file's text, with the annotation and label names this repository uses."""
    service = conventions.service_label
    of_service = f"{{{{ with .CommonLabels.{service} }}}} ({{{{ . }}}}){{{{ end }}}}" if service else ""
    status = '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}]'
    silence = (
        "{{ .ExternalURL }}/#/silences/new?filter=%7B"
        "{{ range $i, $p := .CommonLabels.SortedPairs }}{{ if $i }}%2C{{ end }}{{ $p.Name }}%3D%22"
        "{{ $p.Value | urlquery }}%22{{ end }}%7D"
    )
    defines = {
        RUNBOOK_URL: _first_annotation(conventions.runbook_annotation)
        if conventions.runbook_annotation
        else "",
        DASHBOARD_URL: (
            _first_annotation(conventions.dashboard_annotation) if conventions.dashboard_annotation else ""
        ),
        SILENCE_URL: silence,
        SLACK_TITLE: f"{status} {{{{ .CommonLabels.alertname }}}}{of_service}",
        SLACK_TEXT: (
            "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n"
            f"{_alert_links(conventions, slack=True)}\n{{{{ end }}}}"
            f'<{{{{ template "{SILENCE_URL}" . }}}}|Silence>'
        ),
        PAGERDUTY_DESCRIPTION: (
            f"{status} {{{{ .CommonLabels.alertname }}}}{of_service}"
            "{{ with .CommonAnnotations.summary }}: {{ . }}{{ end }}"
        ),
        EMAIL_SUBJECT: f"{status} {{{{ .CommonLabels.alertname }}}}{of_service}",
        EMAIL_HTML: (
            "<ul>{{ range .Alerts }}<li><b>{{ .Annotations.summary }}</b><br>{{ .Annotations.description }}"
            f"<br>{_alert_links(conventions, slack=False)}</li>{{{{ end }}}}</ul>"
            f'<p><a href="{{{{ template "{SILENCE_URL}" . }}}}">Silence</a></p>'
        ),
    }
    body = "".join(
        f'{{{{ define "{name}" }}}}{text}{{{{ end }}}}\n' for name, text in defines.items() if text
    )
    return f"{{{{/* {notice} */}}}}\n{body}"
