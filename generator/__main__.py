"""`python -m generator` is the `alertgen` command."""

from .cli import main

main(prog_name="alertgen")
