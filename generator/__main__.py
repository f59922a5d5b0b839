"""`python -m generator` is the `alertgen` command (with a normal interpreter exit, so that
profilers and coverage tools wrapping it can write their reports)."""

from .cli import main

main(prog_name="alertgen")
