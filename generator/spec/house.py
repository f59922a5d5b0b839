"""The repository's conventions: which labels and annotations alertgen adds, and the severities."""

from __future__ import annotations

from pydantic import Field, model_validator

from .secrets import Committed
from .types import LabelName, SeverityName


class Conventions(Committed):
    """What alertgen adds to every alert, named as this repository names it; `None` turns one off.

    Declare it once (e.g. in `teams.py`) and import it into every spec module that defines a
    service: a module without one is built with these defaults.
    """

    # Most urgent first: a Tiers' critical tier takes the first, its warning tier the second.
    severities: tuple[SeverityName, ...] = Field(default=("critical", "warning", "info"), min_length=1)
    severity_label: LabelName = "severity"
    service_label: LabelName | None = "service"
    team_label: LabelName | None = "team"
    category_label: LabelName | None = "category"
    runbook_annotation: LabelName | None = "runbook_url"
    dashboard_annotation: LabelName | None = "dashboard_url"
    # Where on-call finds this repository's Prometheus and Alertmanager: dashboards link to them.
    prometheus_url: str = Field(default="http://localhost:9090", pattern=r"^https?://\S+[^/]$")
    alertmanager_url: str = Field(default="http://localhost:9093", pattern=r"^https?://\S+[^/]$")
    # Where the runbooks are published for every service that sets no runbook_base_url of its
    # own: the runbook site `make docs` builds (docs/review.md), or output/runbooks/ on a forge.
    runbook_base_url: str | None = Field(default=None, pattern=r"^https?://\S+/$")

    @model_validator(mode="after")
    def _distinct(self) -> Conventions:
        repeated = sorted({s for s in self.severities if self.severities.count(s) > 1})
        if repeated:
            raise ValueError(f"severities: {', '.join(map(repr, repeated))} listed twice; list each once")
        labels = [v for v in self.labels().values() if v is not None]
        clash = sorted({v for v in labels if labels.count(v) > 1})
        if clash:
            raise ValueError(f"label {clash[0]!r} is given to two standard labels; give each its own name")
        notes = [a for a in (self.runbook_annotation, self.dashboard_annotation) if a is not None]
        if len(notes) == 2 and notes[0] == notes[1]:
            raise ValueError(f"annotation {notes[0]!r} is given to both runbook and dashboard links")
        return self

    def runbook_base(self, own: str | None) -> str | None:
        """A service's runbook base: its own `runbook_base_url`, else the repository's."""
        return own or self.runbook_base_url

    def labels(self) -> dict[str, str | None]:
        """The standard labels by role (`service`, `team`, `category`, `severity`): their names."""
        return {
            "service": self.service_label,
            "team": self.team_label,
            "category": self.category_label,
            "severity": self.severity_label,
        }

    def rank(self, severity: str) -> int:
        """A severity's urgency, 0 the most urgent; unknown ones after every known one."""
        return self.severities.index(severity) if severity in self.severities else len(self.severities)


DEFAULT = Conventions()
