"""Every check, by its stable id; an unknown id is an error with a suggestion, never ignored."""

from __future__ import annotations

import difflib

from . import (
    artifact_invalid,
    dashboard_filter_dropped,
    dashboard_missing_panel,
    dashboard_threshold_mismatch,
    dashboard_url_broken,
    eval_global_labels,
    eval_unavailable_input,
    inhibit_cycle,
    inhibit_equal_conflict,
    inhibit_missing_equal,
    inhibit_self,
    inhibit_too_broad,
    label_dropped_by_aggregation,
    promql_counter_without_rate,
    promql_histogram_quantile_without_le,
    promql_metric_unknown,
    promql_range_too_short,
    promql_rate_on_gauge,
    promql_series_missing,
    promql_syntax,
    receiver_staging_production,
    receiver_unused,
    route_unexpected,
    route_unreachable,
    route_unrouted,
    rule_alerts_merge,
    rule_duplicate,
    rule_recording_undefined,
    rule_recording_unused,
    runbook_anchor_broken,
    runbook_link_broken,
    runbook_missing,
    secret_in_output,
    test_missing_examples,
    tier_mismatch,
    tier_order,
    version_not_bumped,
)
from .base import ID_RE, Check

# One module per check; a new check adds its module here (and a section in docs/checks.md).
CHECKS: tuple[Check, ...] = (
    artifact_invalid.CHECK,
    promql_syntax.CHECK,
    promql_metric_unknown.CHECK,
    promql_counter_without_rate.CHECK,
    promql_rate_on_gauge.CHECK,
    promql_histogram_quantile_without_le.CHECK,
    promql_range_too_short.CHECK,
    rule_alerts_merge.CHECK,
    rule_duplicate.CHECK,
    rule_recording_undefined.CHECK,
    rule_recording_unused.CHECK,
    test_missing_examples.CHECK,
    label_dropped_by_aggregation.CHECK,
    eval_unavailable_input.CHECK,
    eval_global_labels.CHECK,
    tier_order.CHECK,
    tier_mismatch.CHECK,
    dashboard_missing_panel.CHECK,
    dashboard_threshold_mismatch.CHECK,
    dashboard_url_broken.CHECK,
    dashboard_filter_dropped.CHECK,
    runbook_missing.CHECK,
    runbook_anchor_broken.CHECK,
    runbook_link_broken.CHECK,
    route_unrouted.CHECK,
    route_unexpected.CHECK,
    route_unreachable.CHECK,
    receiver_unused.CHECK,
    receiver_staging_production.CHECK,
    inhibit_missing_equal.CHECK,
    inhibit_cycle.CHECK,
    inhibit_equal_conflict.CHECK,
    inhibit_self.CHECK,
    inhibit_too_broad.CHECK,
    promql_series_missing.CHECK,
    secret_in_output.CHECK,
    version_not_bumped.CHECK,
)

BY_ID: dict[str, Check] = {c.id: c for c in CHECKS}


class UnknownCheck(ValueError):
    """A check id that no registered check has."""


def get(check_id: str) -> Check:
    """The check with this id; UnknownCheck (naming the closest id) otherwise."""
    found = BY_ID.get(check_id)
    if found is None:
        raise UnknownCheck(unknown_message(check_id))
    return found


def unknown_message(check_id: str) -> str:
    """What to tell someone who named a check that does not exist."""
    close = difflib.get_close_matches(check_id, sorted(BY_ID), n=1)
    hint = f"did you mean {close[0]!r}?" if close else "see docs/checks.md for the list"
    return f"unknown check {check_id!r}; {hint}"


def _validate() -> None:
    """Ids are unique, `family/name`, and name the module they live in (check = file = doc)."""
    seen: set[str] = set()
    for check in CHECKS:
        module = check.run.__module__.rsplit(".", 1)[1]
        if not ID_RE.match(check.id) or check.id in seen or module != check.module:
            raise RuntimeError(f"check {check.id!r} in {module}.py breaks the registry's rules")
        seen.add(check.id)


_validate()
