"""tier/mismatch: the tiers of one signal compare different expressions or windows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..promql import selectors
from ..spec.types import Duration
from .base import Check, Level, Problem, at_rule
from .context import Context
from .tiers import tier_pairs


def run(ctx: Context) -> Iterator[Problem]:
    """Warning and critical tiers compare the same expression the same way."""
    for warning, critical in tier_pairs(ctx):
        w, c = warning.comparison, critical.comparison
        if w is None or c is None:
            continue
        w_expr, c_expr = _text(w[0]), _text(c[0])
        if w_expr != c_expr:
            w_win, c_win = _windows(ctx, w[0], set()), _windows(ctx, c[0], set())
            windows = f" (windows {_show(w_win)} vs {_show(c_win)})" if w_win != c_win else ""
            yield at_rule(
                warning,
                f"compares {w_expr!r} but its critical tier {critical.name!r} compares {c_expr!r}"
                f"{windows}; tiers of one signal must read the same expression: regenerate from "
                "the spec's Tiers(...)",
                warning.expr_line,
            )
        elif w[1] != c[1]:
            yield at_rule(
                warning,
                f"compares with {w[1]!r} but its critical tier {critical.name!r} with {c[1]!r}; "
                "tiers of one signal share one comparison: regenerate from the spec's Tiers(...)",
                warning.expr_line,
            )


def _text(node: Any) -> str:
    return str(node.prettify()).strip()


def _windows(ctx: Context, node: Any, seen: set[str]) -> tuple[str, ...]:
    """The range windows an expression reads, through the recording rules it reads."""
    out: set[str] = set()
    for sel in selectors(node):
        if sel.range_seconds is not None:
            out.add(_duration(sel.range_seconds))
        record = ctx.records.get(sel.name)
        if record is not None and sel.name not in seen and record.ast is not None:
            seen.add(sel.name)
            out.update(_windows(ctx, record.ast, seen))
    return tuple(sorted(out))


def _duration(seconds: float) -> str:
    return Duration.of_seconds(seconds).text


def _show(windows: tuple[str, ...]) -> str:
    return ", ".join(f"[{w}]" for w in windows) or "none"


CHECK = Check("tier/mismatch", Level.ERROR, "tiers of one signal read different expressions", run)
