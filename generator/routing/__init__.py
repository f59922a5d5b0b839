"""Where each alert goes: the Alertmanager routing tree, inhibitions, and their in-process model."""

from ..model import AlertRouting
from .summary import alert_routing

__all__ = ["AlertRouting", "alert_routing"]
