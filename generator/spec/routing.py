"""Who is told: teams, their receivers, what each severity notifies, and Alertmanager-wide routing.

Teams own services (`Service.team`) or single alerts (`Alert.team`); a team's `notify` entries
say, per severity and category, which receivers an alert reaches. The routing tree, receivers
and inhibitions of the Alertmanager config are derived from these; see docs/alertmanager.md.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, model_validator

from .base import SpecModel, is_stand_in
from .secrets import Committed, check_secret_file, secret_field
from .types import Category, Duration, KebabName, LabelName, NotifyTemplate, SeverityName, Text

SecretFile = Annotated[str, AfterValidator(check_secret_file)]


# Literal secret fields people reach for, and the by-reference field to use instead.
_LITERAL_SECRETS = {
    "routing_key": ("a PagerDuty routing key", "routing_key_file"),
    "service_key": ("a PagerDuty service key", "service_key_file"),
    "integration_key": ("a PagerDuty integration key", "routing_key_file"),
    "api_url": ("a Slack webhook URL", "api_url_file"),
    "webhook_url": ("a webhook URL", "api_url_file"),
    "auth_password": ("a password", "auth_password_file"),
    "password": ("a password", "auth_password_file"),
    "auth_secret": ("a secret", "auth_password_file"),
    "token": ("a token", "bearer_token_file"),
    "bearer_token": ("a token", "bearer_token_file"),
    "api_key": ("an API key", "routing_key_file"),
}


class Environment(Committed):
    """Where a receiver sends in one non-production environment: only the fields that differ there.

    Base of the per-receiver targets; a receiver without one for an environment has no
    integrations there, so staging reaches nothing it did not declare (docs/alertmanager.md).
    """


class PagerDutyTarget(Environment):
    """A PagerDuty receiver's staging service: its own key file (v2 routing key or v1 service key)."""

    routing_key_file: SecretFile | None = None
    service_key_file: SecretFile | None = None

    @model_validator(mode="after")
    def _one_key(self) -> PagerDutyTarget:
        if not is_stand_in(self) and (self.routing_key_file is None) == (self.service_key_file is None):
            raise ValueError("set exactly one of routing_key_file (Events API v2) and service_key_file (v1)")
        return self


class SlackTarget(Environment):
    """A Slack receiver's staging channel and the file holding that channel's webhook URL."""

    channel: str = Field(pattern=r"^[#@][^\s#@]+$")
    api_url_file: SecretFile


class EmailTarget(Environment):
    """An e-mail receiver's staging addressees (and SMTP password file, when it differs)."""

    to: tuple[str, ...] = Field(min_length=1)
    auth_password_file: SecretFile | None = None


class WebhookTarget(Environment):
    """A webhook receiver's staging URL (and bearer token file, when it differs)."""

    url: str = Field(pattern=r"^https?://\S+$")
    bearer_token_file: SecretFile | None = None


class Receiver(SpecModel):
    """Where notifications go; one Alertmanager receiver. Secrets only as `*_file` paths."""

    # How environments treat the receiver: staging keeps chat receivers only.
    medium: ClassVar[str] = ""
    # Words for diagrams and runbooks: "PagerDuty", "Slack".
    service_name: ClassVar[str] = ""

    name: KebabName
    send_resolved: bool = True

    @model_validator(mode="before")
    @classmethod
    def _no_literal_secrets(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in sorted(data):
                if key in _LITERAL_SECRETS and key not in cls.model_fields:
                    what, instead = _LITERAL_SECRETS[key]
                    if instead not in cls.model_fields:
                        instead = next(f for f in cls.model_fields if f.endswith("_file"))
                    raise ValueError(
                        f"{key}: {what} is a secret and must not be written in a spec; store it in a "
                        f"file Alertmanager can read and set {instead}= to that file's path"
                    )
        return data

    @model_validator(mode="after")
    def _no_secret_values(self) -> Receiver:
        found = None if is_stand_in(self) else secret_field(self)
        if found:
            raise ValueError(
                f"{found[0]}: looks like {found[1]}; secrets must not be written in a spec, only "
                "referred to by a *_file field naming the file that holds them"
            )
        return self

    @property
    def destination(self) -> str:
        """The receiver in words: `PagerDuty brownie-oncall`, `Slack #brownie-alerts`."""
        return f"{self.service_name} {self.name}"

    def in_environment(self, env: str) -> Receiver | None:
        """The receiver as `env` sends to it: production as declared, staging with its `staging=`
        fields (None without them: nobody is told in staging what was not declared for it)."""
        if env == "production":
            return self
        target: Environment | None = getattr(self, env, None)
        if target is None:
            return None
        return self.model_copy(update={k: getattr(target, k) for k in type(target).model_fields})


class PagerDuty(Receiver):
    """Pages through PagerDuty Events API v2 (`routing_key_file`) or v1 (`service_key_file`)."""

    medium: ClassVar[str] = "pager"
    service_name: ClassVar[str] = "PagerDuty"

    routing_key_file: SecretFile | None = None
    service_key_file: SecretFile | None = None
    description: NotifyTemplate | None = None
    severity: str | None = None
    client: NotifyTemplate | None = None
    client_url: NotifyTemplate | None = None
    details: dict[str, str] = Field(default_factory=dict)
    staging: PagerDutyTarget | None = None

    @model_validator(mode="after")
    def _one_key(self) -> PagerDuty:
        if not is_stand_in(self) and (self.routing_key_file is None) == (self.service_key_file is None):
            raise ValueError("set exactly one of routing_key_file (Events API v2) and service_key_file (v1)")
        return self


class Slack(Receiver):
    """Posts to a Slack channel through an incoming webhook whose URL is read from a file."""

    medium: ClassVar[str] = "chat"
    service_name: ClassVar[str] = "Slack"

    channel: str = Field(pattern=r"^[#@][^\s#@]+$")
    api_url_file: SecretFile
    title: NotifyTemplate | None = None
    text: NotifyTemplate | None = None
    title_link: str | None = None
    color: str | None = None
    username: str | None = None
    icon_emoji: str | None = None
    staging: SlackTarget | None = None

    @property
    def destination(self) -> str:
        """`Slack #brownie-alerts`."""
        return f"Slack {self.channel}"


class Email(Receiver):
    """Sends e-mail through an SMTP smarthost; the SMTP password is read from a file."""

    medium: ClassVar[str] = "email"
    service_name: ClassVar[str] = "E-mail"

    to: tuple[str, ...] = Field(min_length=1)
    sender: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    smarthost: str = Field(pattern=r"^[^\s:]+:\d+$")
    auth_username: str | None = None
    auth_password_file: SecretFile | None = None
    require_tls: bool = True
    title: NotifyTemplate | None = None
    html: NotifyTemplate | None = None
    text: NotifyTemplate | None = None
    send_resolved: bool = False
    staging: EmailTarget | None = None

    @model_validator(mode="after")
    def _addresses(self) -> Email:
        if is_stand_in(self):
            return self
        bad = [a for a in self.to if not re.match(r"^[^@\s]+@[^@\s]+\Z", a)]
        if bad:
            raise ValueError(f"to: {bad[0]!r} is not an e-mail address")
        return self

    @property
    def destination(self) -> str:
        """`E-mail dba@example.com`."""
        return "E-mail " + ", ".join(self.to)


class Webhook(Receiver):
    """POSTs Alertmanager's JSON to a URL; a bearer token, if any, is read from a file."""

    medium: ClassVar[str] = "webhook"
    service_name: ClassVar[str] = "Webhook"

    url: str = Field(pattern=r"^https?://\S+$")
    bearer_token_file: SecretFile | None = None
    max_alerts: int = Field(default=0, ge=0)
    staging: WebhookTarget | None = None


AnyReceiver = PagerDuty | Slack | Email | Webhook


class Grouping(Committed):
    """How alerts are batched into notifications; unset fields take the severity's defaults."""

    group_by: tuple[LabelName, ...] | None = None
    group_wait: Duration | None = None
    group_interval: Duration | None = None
    repeat_interval: Duration | None = None


class TimeRange(Committed):
    """A span of the day, `09:00` to `17:00` (end exclusive; `24:00` is the end of the day)."""

    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(pattern=r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$")

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        if not is_stand_in(self) and self.end <= self.start:
            raise ValueError(f"end {self.end} must be after start {self.start}")
        return self


_WEEKDAY = r"(sunday|monday|tuesday|wednesday|thursday|friday|saturday)"
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december|[1-9]|1[0-2])"
)


class TimeInterval(Committed):
    """A named recurring period (Alertmanager `time_intervals`) that routes mute or are active in."""

    name: KebabName
    times: tuple[TimeRange, ...] = ()
    weekdays: tuple[Annotated[str, Field(pattern=rf"^{_WEEKDAY}(:{_WEEKDAY})?$")], ...] = ()
    days_of_month: tuple[Annotated[str, Field(pattern=r"^-?\d{1,2}(:-?\d{1,2})?$")], ...] = ()
    months: tuple[Annotated[str, Field(pattern=rf"^{_MONTH}(:{_MONTH})?$")], ...] = ()
    years: tuple[Annotated[str, Field(pattern=r"^\d{4}(:\d{4})?$")], ...] = ()
    timezone: str | None = Field(default=None, pattern=r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$")


class Notify(Committed):
    """Which receivers a team's alerts of one severity and/or category reach; the first match wins."""

    severity: SeverityName | None = None
    category: Category | None = None
    receivers: tuple[Text, ...] = Field(min_length=1)
    grouping: Grouping | None = None
    mute_time_intervals: tuple[Text, ...] = ()
    active_time_intervals: tuple[Text, ...] = ()

    @property
    def name(self) -> str:
        """How messages name the entry: `severity=critical`, `category=business`."""
        parts = [
            f"severity={self.severity}" if self.severity else "",
            f"category={self.category}" if self.category else "",
        ]
        return ", ".join(p for p in parts if p) or "any alert"


class Route(Committed):
    """A hand-written route for what derivation cannot express; matchers use Alertmanager syntax."""

    matchers: tuple[Text, ...] = Field(min_length=1)
    receivers: tuple[Text, ...] = Field(min_length=1)
    continue_: bool = False
    grouping: Grouping | None = None
    mute_time_intervals: tuple[Text, ...] = ()
    active_time_intervals: tuple[Text, ...] = ()

    @property
    def name(self) -> str:
        """How messages name the route: its matchers."""
        return ", ".join(self.matchers)


class Team(Committed):
    """A team: its receivers and where its alerts go; services name it in `team=`."""

    name: KebabName
    receivers: tuple[AnyReceiver, ...] = ()
    notify: tuple[Notify, ...] = ()
    routes: tuple[Route, ...] = ()
    time_intervals: tuple[TimeInterval, ...] = ()


class Routing(Committed):
    """Alertmanager-wide routing: the receiver of unmatched alerts, routes tried before the teams'."""

    default_receiver: AnyReceiver | None = None
    receivers: tuple[AnyReceiver, ...] = ()
    routes: tuple[Route, ...] = ()
    time_intervals: tuple[TimeInterval, ...] = ()
    grouping: Grouping | None = None
    resolve_timeout: Duration = Duration("5m")


__all__ = [
    "AnyReceiver",
    "Email",
    "EmailTarget",
    "Environment",
    "Grouping",
    "Notify",
    "PagerDuty",
    "PagerDutyTarget",
    "Receiver",
    "Route",
    "Routing",
    "Slack",
    "SlackTarget",
    "Team",
    "TimeInterval",
    "TimeRange",
    "Webhook",
    "WebhookTarget",
]
