"""`alertmanager/routing-tests.yml`: per alert, the receivers its static labels must reach.

The routing tests are an artifact of their own, as the promtool tests are: they are read from the
spec (generator/routing/expect.py), not from the rendered configs, and the tests run `amtool config
routes test` on every written environment's config against them.
"""

from __future__ import annotations

from .. import conventions as conv
from ..model import Model
from ..routing.expect import expectations
from .alertmanager import header
from .yamlout import dump


def render(model: Model) -> dict[str, str]:
    """`alertmanager/routing-tests.yml`."""
    tests = [
        {
            "service": e.service,
            "alert": e.alert,
            "labels": dict(e.labels),
            "receivers": list(e.receivers),
        }
        for e in expectations(model)
    ]
    note = (
        "Per alert, the receivers its static labels must reach, derived from the spec; the tests run\n"
        "`amtool config routes test --verify.receivers=...` on every written environment's config."
    )
    return {conv.ROUTING_TESTS: dump(tests, header=header(model, note))}
