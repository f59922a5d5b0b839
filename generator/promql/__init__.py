"""PromQL analysis on promql-parser's tree: parsing, selectors used, labels kept."""

from .analysis import Selector, comparison, depth, forget_trees, selectors, walk_nodes
from .labels import Flow, flow
from .parse import PromQLError, parse, parse_uncached

__all__ = [
    "Flow",
    "PromQLError",
    "Selector",
    "comparison",
    "depth",
    "flow",
    "forget_trees",
    "parse",
    "parse_uncached",
    "selectors",
    "walk_nodes",
]
