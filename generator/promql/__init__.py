"""PromQL analysis on promql-parser's tree: parsing, selectors used, labels kept."""

from .analysis import Selector, selectors, walk_nodes
from .labels import Flow, flow
from .parse import PromQLError, parse

__all__ = ["Flow", "PromQLError", "Selector", "flow", "parse", "selectors", "walk_nodes"]
