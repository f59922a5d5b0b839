"""alertgen's Go-template subset against Prometheus itself: every annotation template alertgen
accepts must be one promtool accepts, and expand to exactly the text alertgen predicts (that
prediction is what the generated promtool tests compare).

Templates are built from the pieces that matter: braces, Go's trim markers and the white space
they eat, pipes, and ordinary text. Fixed seed; TEMPLATES_PER_CASE templates share one promtool run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.gotemplate import parse_template
from generator.render.yamlout import dump
from tests.conftest import require_tool, run_tool

MAX_EXAMPLES = 10
TEMPLATES_PER_CASE = 30
_SPACE = st.sampled_from(("", " ", "  ", "\t", "\n", "\r\n"))
_BODY = st.sampled_from(
    (
        "$value",
        "$value | humanize",
        "$value|humanizePercentage",
        "$value | humanizeDuration",
        "$labels.job",
        "$labels.nope",
    )
)
_OPEN = st.sampled_from(("{{", "{{- ", "{{-\t", "{{-\n"))
_CLOSE = st.sampled_from(("}}", " -}}", "\t-}}", "\n-}}"))
_ACTION = st.tuples(_OPEN, _SPACE, _BODY, _SPACE, _CLOSE).map("".join)
# Text between actions: white space (what trim markers eat), lone braces and dashes, letters.
_TEXT = st.lists(
    st.sampled_from((" ", "\t", "\n", "\r\n", "x", "é", "}", "}}", "-", "|", "{ {", ".")), max_size=4
).map("".join)
TEMPLATE = st.lists(st.one_of(_ACTION, _TEXT), min_size=1, max_size=6).map("".join)


def _accepted(text: str) -> bool:
    try:
        parse_template(text)
    except ValueError:
        return False
    return True


@pytest.mark.promtool
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    templates=st.lists(TEMPLATE.filter(_accepted), min_size=TEMPLATES_PER_CASE, max_size=TEMPLATES_PER_CASE)
)
def test_accepted_templates_expand_as_prometheus_expands_them(templates: list[str], tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    templates = [t for t in templates if _accepted(t)]  # `{ {`+`{` and the like may form bad ones
    assert len(templates) > TEMPLATES_PER_CASE // 2
    labels = {"job": "app"}
    rules = [
        {"alert": f"T{i}", "expr": "sum by (job) (m)", "annotations": {"text": t}}
        for i, t in enumerate(templates)
    ]
    tests = [
        {
            "interval": "1m",
            "input_series": [{"series": 'm{job="app"}', "values": "0.5x5"}],
            "alert_rule_test": [
                {
                    "eval_time": "1m",
                    "alertname": f"T{i}",
                    "exp_alerts": [
                        {
                            "exp_labels": labels,
                            "exp_annotations": {"text": parse_template(t).expand(labels, 0.5)},
                        }
                    ],
                }
            ],
        }
        for i, t in enumerate(templates)
    ]
    (tmp_path / "rules.yml").write_text(dump({"groups": [{"name": "g", "rules": rules}]}))
    (tmp_path / "test.yml").write_text(dump({"rule_files": ["rules.yml"], "tests": tests}))
    proc = run_tool(promtool, "test", "rules", "test.yml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]


@pytest.mark.promtool
@pytest.mark.parametrize("template", ["{{-$value}}", "{{ $value-}}", "{{ $value }"])
def test_what_prometheus_rejects_alertgen_rejects(template: str, tmp_path: Path) -> None:
    """A dash without its space is no trim marker: Prometheus fails the rule (alertgen once took it
    for one and wrote a rules file promtool refused)."""
    promtool = require_tool("promtool")
    rules = {
        "groups": [{"name": "g", "rules": [{"alert": "A", "expr": "up", "annotations": {"d": template}}]}]
    }
    (tmp_path / "rules.yml").write_text(dump(rules))
    assert run_tool(promtool, "check", "rules", str(tmp_path / "rules.yml")).returncode == 1
    with pytest.raises(ValueError, match=r"does not parse|unbalanced"):
        parse_template(template)
