"""`alertmanager/notifications.tmpl`: the notification texts every receiver's messages use.

One file instead of the same Go template inline in every receiver; its names and text are
generator/routing/templates.py's, so the configs and the file cannot disagree.
"""

from __future__ import annotations

from .. import conventions as conv
from ..model import Model
from ..routing import templates
from .alertmanager import header


def render(model: Model) -> dict[str, str]:
    """The template file, beside the configs that name it in `templates:`."""
    notice = " ".join(header(model, "Alertmanager notification templates").splitlines())
    return {f"{conv.ALERTMANAGER_DIR}/{templates.FILE}": templates.render(model.conventions, notice)}
