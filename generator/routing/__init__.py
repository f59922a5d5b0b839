"""Where each alert goes: the Alertmanager routing tree, inhibitions, and their in-process model."""

from .summary import AlertRouting, alert_routing

__all__ = ["AlertRouting", "alert_routing"]
