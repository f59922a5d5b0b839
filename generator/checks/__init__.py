"""Cross-artifact consistency checks: one check per module, run on the rendered files read back."""

from .base import Check, Finding, Level, Problem
from .runner import counts, errors, run_checks

__all__ = ["Check", "Finding", "Level", "Problem", "counts", "errors", "run_checks"]
