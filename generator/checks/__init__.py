"""Cross-artifact consistency checks: one check per module, run on the rendered files read back."""

from .base import Check, Finding, Level, Problem, Scope
from .runner import counts, errors, run_on, scoped

__all__ = ["Check", "Finding", "Level", "Problem", "Scope", "counts", "errors", "run_on", "scoped"]
