"""A Mermaid flowchart of the production routing tree, for the runbook index.

The interface is fixed (`routing_mermaid(model) -> str`, Mermaid source without fences); until
the Alertmanager routing tree lands it draws every alert going to one default receiver.
"""

from __future__ import annotations

from ..model import Model


def routing_mermaid(model: Model) -> str:
    """The Mermaid source (no fences) of the production routing tree."""
    del model  # the derived tree replaces this placeholder
    return 'flowchart LR\n  route0["any alert"] --> receiver0(["default"])\n'
