"""Recognising secret values, so that specs and generated files only ever refer to secret files.

A secret (PagerDuty key, Slack webhook URL, password, token) written into a spec would be copied
into the generated Alertmanager config and committed. Receivers therefore take `*_file` paths,
and any string that looks like a secret is refused. Messages never repeat the value.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import unquote

from pydantic import BaseModel, model_validator

from .base import SpecModel, is_stand_in, text_field_names

# What a secret looks like, each with the words an error message uses for it.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@", re.I), "a URL with a password (user:password@)"),
    (re.compile(r"hooks\.slack\.com/(services|workflows|triggers)/", re.I), "a Slack webhook URL"),
    (re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}"), "a Slack token"),
    (
        re.compile(r"outlook\.office\.com/webhook/|webhook\.office\.com/", re.I),
        "a Microsoft Teams webhook URL",
    ),
    (
        re.compile(
            r"[?&](token|access_token|api_key|apikey|key|secret|password|passwd|sig|signature|auth)=[^&\s]+",
            re.I,
        ),
        "a URL with a credential in its query string",
    ),
    (re.compile(r"\b(gh[pousr]_[0-9A-Za-z]{20,}|AKIA[0-9A-Z]{16}|sk-[0-9A-Za-z]{20,})\b"), "an API token"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
)

# 32 hex digits on their own are how PagerDuty integration keys look, alone or in a sentence.
_HEX_KEY = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", re.I)
# A long random path segment of a URL: a token that authorises whoever knows the URL.
_URL_SEGMENT = re.compile(r"https?://[^\s/]+(?:/[^\s/?#]*)*?/([A-Za-z0-9_-]{24,})(?=[/?#\s)\]\"'>]|$)")


def _maybe_secret(value: str) -> bool:
    """False when no pattern of `_PATTERNS` can match: each needs some literal parts.

    Every string of every spec object is scanned (330,000 at 10k alerts), most of them prose and
    PromQL; substring tests rule them out at a fraction of the cost of seven regex searches.
    """
    return (
        ("=" in value and ("?" in value or "&" in value))  # ?token=...
        or ("/" in value and ("@" in value or "slack" in value.lower() or "office" in value.lower()))
        or "xox" in value
        or "AKIA" in value
        or "sk-" in value
        or (
            "gh" in value
            and ("gho_" in value or "ghp_" in value or "ghu_" in value or "ghs_" in value or "ghr_" in value)
        )
        or "-----BEGIN" in value
    )


def secret_kind(value: str) -> str | None:
    """What kind of secret `value` contains, in words, or None when it looks harmless; a
    percent-encoded secret counts too."""
    found = secret_match(value)
    return found[1] if found else None


def secret_match(value: str) -> tuple[str, str] | None:
    """`(the text that gives the secret away, what kind it is)`, or None."""
    decoded = unquote(value) if "%" in value else value
    for text in (value, decoded) if decoded != value else (value,):
        if _maybe_secret(text):
            for pattern, words in _PATTERNS:
                hit = pattern.search(text)
                if hit:
                    return hit.group(0), words
        if len(text) >= 32:
            key = _HEX_KEY.search(text)
            if key and _mixed(key.group(0), 2):
                return key.group(0), "an integration key"
        if "://" in text:
            for segment in _URL_SEGMENT.finditer(text):
                token = segment.group(1)
                if _mixed(token, 6) and token.count("-") <= 2:
                    return token, "a token in a URL path"
    return None


def _mixed(token: str, least: int) -> bool:
    """Whether `token` has at least `least` digits and `least` letters, as random keys do."""
    digits = sum(c.isdigit() for c in token)
    return digits >= least and len(token) - digits - token.count("-") - token.count("_") >= least


def strings(value: object) -> list[str]:
    """Every string in a field value: itself, or inside tuples, lists and dicts (keys too)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple | list):
        return [s for v in value for s in strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings(k), *strings(v))]
    return []


def secret_field(model: BaseModel) -> tuple[str, str] | None:
    """The first `(field, kind)` of a model whose value looks like a secret; `*_file` fields aside."""
    values = model.__dict__
    for field in text_fields(type(model)):
        value = values[field]
        if isinstance(value, str):
            kind = secret_kind(value)
            if kind:
                return field, kind
        elif value is not None:
            for text in strings(value):
                kind = secret_kind(text)
                if kind:
                    return field, kind
    return None


@functools.cache
def text_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class whose values can hold text (secrets hide nowhere else), in order.

    Every spec object is scanned; most fields hold numbers, enums or nested objects (which scan
    themselves), and skipping them by their type halves the scan. `*_file` fields hold paths.
    """
    return tuple(name for name in text_field_names(cls) if not name.endswith("_file"))


_SECRET_FILE_RE = re.compile(r"^/[^\s:]*[^\s/:]\Z")


def check_secret_file(value: str) -> str:
    """A `*_file` field: the absolute path of the file holding the secret, never the secret itself."""
    if not _SECRET_FILE_RE.match(value) or secret_kind(value):
        raise ValueError(
            "expects the absolute path of a file that holds the secret, e.g. "
            "'/etc/alertmanager/secrets/<name>', not the secret itself (the value is not shown here)"
        )
    return value


class Committed(SpecModel):
    """A spec object whose text lands in committed artifacts (rules, runbooks): no secrets in it."""

    @model_validator(mode="after")
    def _no_secrets(self) -> Committed:
        found = None if is_stand_in(self) else secret_field(self)
        if found:
            raise ValueError(
                f"{found[0]}: looks like {found[1]}; the generated rules and runbooks are committed, "
                "so a spec must not hold secrets: say where the secret is kept instead"
            )
        return self
