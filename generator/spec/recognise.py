"""What a secret looks like: the recogniser every spec field and every generated line goes through."""

from __future__ import annotations

import re
from urllib.parse import unquote

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
# Any run of 32 hex digits: without lookarounds the scan of a long line is 3x faster, and most
# lines (1.9 million generated at 10k alerts) have none, so _HEX_KEY only confirms a hit.
_HEX_RUN = re.compile(r"[0-9a-fA-F]{32}")
# A long random path segment of a URL: a token that authorises whoever knows the URL.
_URL_SEGMENT = re.compile(r"https?://([^\s/]+)(?:/[^\s/?#]*)*?/([A-Za-z0-9_-]{24,})(?=[/?#\s)\]\"'>]|$)")
# Document hosts whose long path segments name a document (a runbook in Google Docs), not a key.
_DOCUMENT_HOSTS = re.compile(
    r"(?:^|\.)(?:docs\.google\.com|drive\.google\.com|notion\.so|github\.com|gitlab\.com|atlassian\.net)$",
    re.I,
)


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
        if len(text) >= 32 and _HEX_RUN.search(text):
            key = _HEX_KEY.search(text)
            if key and _mixed(key.group(0), 2):
                return key.group(0), "an integration key"
        if "://" in text:
            for segment in _URL_SEGMENT.finditer(text):
                token = segment.group(2)
                if _DOCUMENT_HOSTS.search(segment.group(1)):
                    continue
                if _mixed(token, 6) and token.count("-") <= 2:
                    return token, "a token in a URL path"
    return None


def _mixed(token: str, least: int) -> bool:
    """Whether `token` has at least `least` digits and `least` letters, as random keys do."""
    digits = sum(c.isdigit() for c in token)
    return digits >= least and len(token) - digits - token.count("-") - token.count("_") >= least
