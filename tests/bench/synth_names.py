"""Service names of the synthetic benchmark spec set: domain x role, in kebab, snake and Camel case."""

from __future__ import annotations

from dataclasses import dataclass

_DOMAINS = (
    "orders",
    "payments",
    "inventory",
    "search",
    "catalog",
    "shipping",
    "billing",
    "accounts",
    "profiles",
    "notifications",
    "pricing",
    "reviews",
    "carts",
    "ledger",
    "invoices",
    "media",
    "geo",
    "fraud",
    "loyalty",
    "reports",
)
_ROLES = (
    "api",
    "worker",
    "gateway",
    "store",
    "indexer",
    "scheduler",
    "importer",
    "exporter",
    "cache",
    "sync",
)


@dataclass(frozen=True)
class Names:
    """The spellings of one service's name: kebab for the spec, snake for metrics, Camel for alerts."""

    kebab: str
    snake: str
    camel: str
    domain: str
    team: str


def service_names(count: int) -> list[Names]:
    """`count` distinct, realistic service names (domain x role), ten services per team."""
    out = []
    for i in range(count):
        domain = _DOMAINS[i % len(_DOMAINS)]
        role = _ROLES[(i // len(_DOMAINS)) % len(_ROLES)]
        kebab = f"{domain}-{role}"
        if i >= len(_DOMAINS) * len(_ROLES):
            kebab += f"-{i // (len(_DOMAINS) * len(_ROLES)) + 1}"
        parts = kebab.split("-")
        out.append(
            Names(
                kebab=kebab,
                snake="_".join(parts),
                camel="".join(p.capitalize() for p in parts),
                domain=domain,
                team=f"team-{domain}",
            )
        )
    return out
