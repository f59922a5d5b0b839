"""alertgen: typed Prometheus alerting specs rendered to cross-checked artifacts.

Specs import their vocabulary from here: `from generator import Service, Alert, ...`.
"""

from . import spec
from .spec import *  # noqa: F403  (the spec API is re-exported whole; spec.__all__ lists it)

__version__ = "0.1.0"

__all__ = [*spec.__all__, "__version__"]
