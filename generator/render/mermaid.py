"""A Mermaid flowchart of the production routing tree, for the runbook index.

Drawn from the rendered config read back through the in-process router, so the picture is the
tree Alertmanager loads: routes (matchers, `continue`, order) as boxes, receivers as rounded
nodes with what they are, dotted edges for a route's own receiver when no child matches.
"""

from __future__ import annotations

from ..model import Model
from ..routing.config import alertmanager_config, declared_receivers
from ..routing.router import Route, parse_route

# Mermaid reads `#name;` as an entity, so these are written as entities inside labels.
_ESCAPES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;"}


def routing_mermaid(model: Model) -> str:
    """The Mermaid source (no fences) of the production routing tree."""
    tree = parse_route(alertmanager_config(model, "production")["route"])
    declared = declared_receivers(model)
    ids = {name: f"receiver{i}" for i, (name, _) in enumerate(declared)}
    words = {name: r.destination if r is not None else "no integration" for name, r in declared}
    lines = ["flowchart LR"]
    used: list[str] = []

    def receiver_id(name: str) -> str:
        if name not in used:
            used.append(name)
        return ids.setdefault(name, f"receiver{len(ids)}")

    def draw(route: Route, label: str) -> None:
        node = _node_id(route)
        lines.append(f'  {node}["{label}"]')
        for i, child in enumerate(route.routes, 1):
            lines.append(f"  {node} --> {_node_id(child)}")
            draw(child, _route_label(i, child))
        target = receiver_id(route.receiver)
        if route.routes:
            lines.append(f'  {node} -. "no route below matched" .-> {target}')
        else:
            lines.append(f"  {node} --> {target}")

    draw(tree, "any alert")
    for name in used:
        text = _escape(name) + "<br/>" + _escape(words.get(name, "undeclared"))
        lines.append(f'  {receiver_id(name)}(["{text}"])')
    return "\n".join(lines) + "\n"


def _node_id(route: Route) -> str:
    return "route" + "".join(f"_{i}" for i in route.path)


def _route_label(position: int, route: Route) -> str:
    matchers = ", ".join(str(m) for m in route.matchers) or "any alert"
    label = f"{position}. {_escape(matchers)}"
    if route.continue_:
        label += "<br/>continue"
    return label


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)
