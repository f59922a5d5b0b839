"""Runbook content carried by the spec: steps, commands, causes, escalation, documents."""

from __future__ import annotations

from pydantic import Field

from .secrets import Committed
from .types import Text


class Command(Committed):
    """A block of commands for a fenced code block; `variant` names the platform (Kubernetes...)."""

    code: Text
    lang: str = Field(default="bash", pattern=r"^[a-z0-9+-]+$")
    variant: str = ""


class Step(Committed):
    """One numbered step of a runbook: a title, optional prose, commands and bullet points."""

    title: Text
    text: str = ""
    commands: tuple[Command, ...] = ()
    bullets: tuple[str, ...] = ()


class Runbook(Committed):
    """What an on-call engineer does for one alert."""

    actions: tuple[Step, ...] = Field(min_length=1)
    causes: tuple[str, ...] = ()
    escalation: tuple[str, ...] = ()
    notes: str = ""


class Link(Committed):
    """A named URL shown in runbooks and dashboards."""

    title: Text
    url: str = Field(pattern=r"^(https?://|/|\.\.?/)\S*$")


class Document(Committed):
    """A runbook this project does not generate, referred to by the generated ones."""

    name: Text
    title: Text
    url: str = Field(pattern=r"^https?://\S+$")
    description: str = ""


class DocRef(Committed):
    """A pointer into a declared document: which one, and an optional section anchor."""

    title: Text
    doc: Text
    anchor: str = ""


class EscalationLevel(Committed):
    """One level of the escalation ladder: who, from when, and what they do."""

    level: int = Field(ge=1)
    window: Text
    who: Text
    duties: tuple[str, ...] = ()


class Section(Committed):
    """A service-wide runbook section (troubleshooting, post-incident), made of steps."""

    title: Text
    steps: tuple[Step, ...] = Field(min_length=1)
    # A procedure reads best as a numbered list; reference material (troubleshooting commands)
    # as one linkable subheading per step.
    numbered: bool = True
    # Sections for after the incident follow the escalation procedures, as in the seed.
    follow_up: bool = False
