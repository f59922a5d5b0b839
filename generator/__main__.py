"""`python -m generator` is the `alertgen` command."""

from .cli import entry

entry()
