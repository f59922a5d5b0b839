"""`alertgen import` on real rule files: they come back the same, and the peers' tests still pass.

Each corpus rule file is imported, generated again and compared rule by rule (names, labels,
annotations, durations, PromQL as parsed); the GOV.UK and Thanos peers' own promtool tests then
run, unchanged but for `rule_files:`, on what alertgen generated from the imported specs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.cli import main

from .conftest import ROOT, SHARED, SPECS, require_tool, run_tool

CORPUS = SHARED / "corpus"
RULE_FILES = sorted(
    [
        *(p for p in (CORPUS / "govuk-helm-charts").glob("*.yaml") if not p.stem.endswith("_tests")),
        CORPUS / "thanos" / "alerts.yaml",
        CORPUS / "thanos" / "rules.yaml",
        *(CORPUS / "kube-prometheus").glob("*.yaml"),
        *(CORPUS / "awesome-prometheus-alerts").glob("*.yml"),
        *(CORPUS / "sloth").glob("examples__gen_*.yml"),
    ]
)
PEERS = {
    "fastly": ([CORPUS / "govuk-helm-charts/fastly.yaml"], CORPUS / "govuk-helm-charts/fastly_tests.yaml"),
    "router": ([CORPUS / "govuk-helm-charts/router.yaml"], CORPUS / "govuk-helm-charts/router_tests.yaml"),
    "whitehall": (
        [CORPUS / "govuk-helm-charts/whitehall.yaml"],
        CORPUS / "govuk-helm-charts/whitehall_tests.yaml",
    ),
    "chat_ai": ([CORPUS / "govuk-helm-charts/chat_ai.yaml"], CORPUS / "govuk-helm-charts/chat_ai_tests.yaml"),
    "search_api_alerts": (
        [CORPUS / "govuk-helm-charts/search_api_alerts.yaml"],
        CORPUS / "govuk-helm-charts/search_api_alerts_tests.yaml",
    ),
    "thanos": ([CORPUS / "thanos/alerts.yaml", CORPUS / "thanos/rules.yaml"], CORPUS / "thanos/tests.yaml"),
}


def _import(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", *map(str, args)])


def _generate(specs: Path, out: Path) -> None:
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr


@pytest.mark.parametrize("source", RULE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_rule_file_comes_back_the_same(source: Path, tmp_path: Path) -> None:
    result = _import(source, "--out", tmp_path / "specs", "--check")
    assert result.exit_code == 0, result.output + result.stderr
    assert "compared with the source: every group and rule equal" in result.output
    assert not (tmp_path / "specs").exists()  # --check writes nothing


@pytest.mark.parametrize("with_tests", [True, False], ids=["with-tests", "rules-only"])
@pytest.mark.parametrize("peer", sorted(PEERS))
def test_a_peers_own_tests_pass_on_its_imported_rules(peer: str, with_tests: bool, tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    rules, tests = PEERS[peer]
    specs, out = tmp_path / "specs", tmp_path / "out"
    result = _import(*rules, *(["--tests", tests] if with_tests else []), "--out", specs)
    # Only promql_expr_test cases (records' values, not alert examples) may be left out: exit 1.
    assert result.exit_code in (0, 1), result.output + result.stderr
    assert "compared with the source: every group and rule equal" in result.output
    assert all("promql_expr_test" in line or "no imported file defines" in line for line in _not_kept(result))
    _generate(specs, out)
    doc = yaml.safe_load(tests.read_text())
    doc["rule_files"] = [str(p) for p in sorted((out / "prometheus" / "rules").glob("*.yml"))]
    (tmp_path / "peer.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    ran = run_tool(promtool, "test", "rules", str(tmp_path / "peer.yaml"))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    if with_tests:  # the cases became examples: alertgen's own tests of them pass in promtool too
        generated = sorted((out / "prometheus" / "tests").glob("*.yml"))
        assert generated
        for path in generated:
            own = run_tool(promtool, "test", "rules", str(path))
            assert own.returncode == 0, own.stdout + own.stderr


def _not_kept(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("not kept: ")]


def test_importing_generated_rules_gives_the_same_bytes(tmp_path: Path) -> None:
    first = tmp_path / "first"
    _generate(SPECS, first)
    rules = sorted((first / "prometheus" / "rules").glob("*.yml"))
    tests = sorted((first / "prometheus" / "tests").glob("*.yml"))
    # The generated files name their spec module `<folder>/<file>`: import into a folder so named.
    specs = tmp_path / SPECS.name
    result = _import(*rules, *(a for t in tests for a in ("--tests", t)), "--out", specs)
    assert result.exit_code == 0, result.output + result.stderr
    again = tmp_path / "again"
    _generate(specs, again)
    for path in [*rules, *tests]:
        relative = path.relative_to(first)
        assert (again / relative).read_bytes() == path.read_bytes(), relative


def test_imported_modules_are_what_ruff_keeps(tmp_path: Path) -> None:
    """In a repository with this one's ruff settings, the modules pass its lint and format checks."""
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    result = _import(CORPUS / "thanos" / "alerts.yaml", "--out", tmp_path / "specs")
    assert result.exit_code == 0, result.output
    for command in (["check"], ["format", "--check"]):
        ran = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "specs"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert ran.returncode == 0, ran.stdout + ran.stderr


def test_bad_input_is_every_error_at_once_and_nothing_written(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: sum(\n")
    (tmp_path / "b.yml").write_text("groups:\n- name: g\n  rules:\n  - alert: B\n    expr: up\n    fro: 5m\n")
    (tmp_path / "c.yml").write_text("not: a rule file\n")
    result = _import(tmp_path / "a.yml", tmp_path / "b.yml", tmp_path / "c.yml", "--out", tmp_path / "specs")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(":", 2)[:2] for line in lines[:-1]] == [
        [str(tmp_path / "a.yml"), "5"],
        [str(tmp_path / "b.yml"), "6"],
        [str(tmp_path / "c.yml"), "1"],
    ]
    assert lines[-1] == "alertgen import: 3 errors; nothing written"
    assert "Traceback" not in result.output + result.stderr
    assert not (tmp_path / "specs").exists()


def test_an_existing_module_is_never_overwritten(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "router.py").write_text("# the team's own\n")
    result = _import(CORPUS / "govuk-helm-charts" / "router.yaml", "--out", specs)
    assert result.exit_code == 0, result.output + result.stderr
    assert f"wrote {specs / 'router_2.py'}" in result.output
    assert (specs / "router.py").read_text() == "# the team's own\n"


TIERED = """\
groups:
- name: shop
  rules:
  - record: job:shop_errors:ratio_rate5m
    expr: sum by (job) (rate(shop_errors_total[5m])) / sum by (job) (rate(shop_requests_total[5m]))
  - alert: ShopErrorsCritical
    expr: job:shop_errors:ratio_rate5m > 0.1
    for: 5m
    labels: {severity: critical}
    annotations: {summary: Shop errors above 10%, description: "{{ $value | humanizePercentage }} fail."}
  - alert: ShopErrorsHigh
    expr: job:shop_errors:ratio_rate5m > 0.05
    for: 10m
    labels: {severity: warning}
    annotations: {summary: Shop errors above 5%, description: "{{ $value | humanizePercentage }} fail."}
"""


def test_a_warning_and_a_critical_on_one_record_become_tiers(tmp_path: Path) -> None:
    (tmp_path / "shop.rules.yml").write_text(TIERED)
    result = _import(tmp_path / "shop.rules.yml", "--out", tmp_path / "specs")
    assert result.exit_code == 0, result.output + result.stderr
    assert "compared with the source: every group and rule equal" in result.output
    module = (tmp_path / "specs" / "shop.py").read_text()
    assert "Tiers(" in module and "signal=job_shop_errors_ratio_rate5m" in module
    assert (
        "threshold=0.1" in module and "threshold=0.05" in module and "expr=" not in module.split("Tiers(")[1]
    )


LEGACY = """\
groups:
- name: legacy
  rules:
  - alert: KubePodCrashLooping
    expr: rate(kube_pod_container_status_restarts_total[15m]) * 60 * 5 > 0
    for: 15m
    labels: {severity: warning}
    annotations:
      message: Pod {{ $labels.namespace }}/{{ $labels.pod }} restarts {{ printf "%.2f" $value }} times / 5 minutes.
"""


def test_an_alert_without_summary_imports_as_written(tmp_path: Path) -> None:
    """Older mixins say `message` and no summary: kept as written, and alertgen warns."""
    (tmp_path / "legacy.yml").write_text(LEGACY)
    result = _import(tmp_path / "legacy.yml", "--out", tmp_path / "specs")
    assert result.exit_code == 0, result.output + result.stderr
    assert "compared with the source: every group and rule equal" in result.output
    module = (tmp_path / "specs" / "legacy.py").read_text()
    assert "summary=" not in module and '"message":' in module
    generated = CliRunner().invoke(
        main, ["generate", "--specs", str(tmp_path / "specs"), "--out", str(tmp_path / "o")]
    )
    assert generated.exit_code == 0
    assert (
        "Alert 'KubePodCrashLooping': no summary=; notifications show no headline for it" in generated.stderr
    )


def test_a_rule_alertgen_cannot_express_is_left_out_and_listed(tmp_path: Path) -> None:
    (tmp_path / "g.yml").write_text(
        "groups:\n- name: g\n  rules:\n"
        '  - alert: A\n    expr: up == 0\n    labels: {severity: page, team: "{{ $labels.job }}"}\n'
        "    annotations: {summary: down}\n"
        "  - alert: B\n    expr: up == 0\n    for: 5m\n    labels: {severity: page}\n"
        "    annotations: {summary: down long}\n"
    )
    result = _import(tmp_path / "g.yml", "--out", tmp_path / "specs")
    assert result.exit_code == 1, result.output + result.stderr
    lines = result.output.splitlines()
    assert any(
        line.startswith(
            f"not kept: {tmp_path / 'g.yml'}:4: alert 'A': alertgen cannot keep it as written, so it is left out:"
        )
        and "labels.team: label value '{{ $labels.job }}' contains '{{'" in line
        for line in lines
    )
    assert "differs: g/A: rule: present != missing" in lines
    assert "compared with the source: 1 difference" in lines
    (written,) = [p for p in (tmp_path / "specs").glob("*.py") if p.name != "house.py"]
    module = written.read_text()
    assert 'name="B"' in module and 'name="A"' not in module


def test_group_labels_go_on_each_rule_and_other_group_keys_are_differences(tmp_path: Path) -> None:
    """Prometheus 3's group `labels` are kept (on each rule, the rule's own winning); a group key
    alertgen does not write is a difference, never dropped in silence."""
    (tmp_path / "g.yml").write_text(
        "groups:\n- name: g\n  query_offset: 1m\n  labels: {team: core, tier: web}\n  rules:\n"
        "  - record: job:up:sum\n    expr: sum by (job) (up)\n"
        "  - alert: Down\n    expr: job:up:sum == 0\n    labels: {severity: page, tier: edge}\n"
        "    annotations: {summary: down}\n"
    )
    result = _import(tmp_path / "g.yml", "--out", tmp_path / "specs")
    assert result.exit_code == 1, result.output + result.stderr
    lines = result.output.splitlines()
    assert f"{tmp_path / 'g.yml'}:2: group `g`: its labels are written on each of its rules" in lines
    assert "differs: g: query_offset: '1m' != missing" in lines
    assert "compared with the source: 1 difference" in lines
    _generate(tmp_path / "specs", tmp_path / "out")
    (rules,) = (tmp_path / "out" / "prometheus" / "rules").glob("*.yml")
    written = {
        r.get("alert") or r["record"]: r.get("labels")
        for g in yaml.safe_load(rules.read_text())["groups"]
        for r in g["rules"]
    }
    assert written["job:up:sum"] == {"team": "core", "tier": "web"}
    assert written["Down"] == {"team": "core", "tier": "edge", "severity": "page"}


_OBJECT = """apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {name}
{namespace}  labels: {{prometheus: k8s, role: {role}}}
spec:
  groups:
  - name: {name}
    rules:
    - alert: {name}Down
      expr: up == 0
      labels: {{severity: critical}}
      annotations: {{summary: down}}
"""


def test_prometheusrule_metadata_is_what_the_generated_objects_carry(tmp_path: Path) -> None:
    """The namespace and labels Prometheus selects the objects by are kept (one Operator for the
    repository); an object they do not fit is listed, never dropped in silence."""
    (tmp_path / "a.yml").write_text(_OBJECT.format(name="web", namespace="  namespace: obs\n", role="alerts"))
    (tmp_path / "b.yml").write_text(_OBJECT.format(name="api", namespace="", role="other"))
    result = _import(tmp_path / "a.yml", tmp_path / "b.yml", "--out", tmp_path / "specs")
    assert result.exit_code == 1, result.output + result.stderr
    assert (
        f"not kept: {tmp_path / 'b.yml'}:4: PrometheusRule `api`: it has no metadata.namespace and goes "
        "into 'obs'; its labels {'prometheus': 'k8s', 'role': 'other'} are not "
        "{'prometheus': 'k8s', 'role': 'alerts'} (one Operator in house.py writes every PrometheusRule)"
    ) in result.output.splitlines()
    _generate(tmp_path / "specs", tmp_path / "out")
    written = yaml.safe_load(
        (tmp_path / "out/kubernetes/prometheusrules/web.prometheusrule.yaml").read_text()
    )
    assert written["metadata"]["namespace"] == "obs"
    assert {"prometheus": "k8s", "role": "alerts"}.items() <= written["metadata"]["labels"].items()


def test_a_mimir_namespace_that_is_not_a_service_name_is_listed(tmp_path: Path) -> None:
    body = (
        "groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n    labels: {severity: critical}\n"
    )
    (tmp_path / "kept.yml").write_text("namespace: payments\n" + body)
    (tmp_path / "renamed.yml").write_text(
        "namespace: team_a.prod\n" + body.replace("name: g", "name: h").replace("Down", "Gone")
    )
    result = _import(tmp_path / "kept.yml", tmp_path / "renamed.yml", "--out", tmp_path / "specs")
    assert result.exit_code == 1, result.output + result.stderr
    assert [line for line in result.output.splitlines() if line.startswith("not kept:")] == [
        f"not kept: {tmp_path / 'renamed.yml'}:1: Mimir namespace `team_a.prod` is written as `team-a-prod`, "
        "the service's name (Mimir(namespace=...) in Targets would put every service in one namespace)"
    ]


def test_the_same_alert_in_two_files_is_kept_once_and_the_copy_listed(tmp_path: Path) -> None:
    rule = "  rules:\n  - alert: Down\n    expr: up == 0\n    labels: {severity: critical}\n"
    (tmp_path / "payments.yml").write_text("groups:\n- name: g\n" + rule)
    (tmp_path / "billing.yml").write_text("groups:\n- name: h\n" + rule)
    result = _import(tmp_path / "payments.yml", tmp_path / "billing.yml", "--out", tmp_path / "specs")
    assert result.exit_code == 1, result.output + result.stderr
    assert result.output.splitlines()[:5] == [
        "payments.py: not written, every rule of it is left out",
        "billing.py: service billing, 1 groups, 1 rules",
        f"not kept: {tmp_path / 'payments.yml'}:4: alert 'Down': alertgen cannot keep it as written, so it is "
        f"left out: Alert 'Down': the same alert (name, labels and condition) is defined at "
        f"{tmp_path / 'billing.yml'}:4; remove one",
        "differs: g: group: present != missing",
        "compared with the source: 1 difference",
    ]
    assert sorted(p.name for p in (tmp_path / "specs").iterdir()) == ["billing.py", "house.py"]


def test_prometheusrule_metadata_kubernetes_would_refuse_is_an_error_at_its_file(tmp_path: Path) -> None:
    text = _OBJECT.format(name="web", namespace="  namespace: Bad_NS\n", role="alerts")
    (tmp_path / "a.yml").write_text(text)
    result = _import(tmp_path / "a.yml", "--out", tmp_path / "specs")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'a.yml'}:4: PrometheusRule `web`: metadata: namespace: invalid namespace 'Bad_NS'; use "
        "lower-case letters, digits and '-', at most 63",
        "alertgen import: 1 error; nothing written",
    ]
    assert not (tmp_path / "specs").exists()


def test_thanos_strategies_go_into_targets_and_a_second_one_is_listed(tmp_path: Path) -> None:
    rule = "  rules:\n  - alert: {0}\n    expr: up == 0\n    labels: {{severity: critical}}\n"
    (tmp_path / "thanos.yml").write_text(
        "groups:\n- name: g\n  partial_response_strategy: warn\n"
        + rule.format("Down")
        + "- name: h\n  partial_response_strategy: abort\n"
        + rule.format("Gone")
    )
    result = _import(tmp_path / "thanos.yml", "--out", tmp_path / "specs")
    assert result.exit_code == 1, result.output + result.stderr
    assert [line for line in result.output.splitlines() if line.startswith(("not kept:", "compared"))] == [
        f"not kept: {tmp_path / 'thanos.yml'}:8: group `h`: partial_response_strategy abort is not warn "
        "(one Thanos in house.py writes every group's)",
        "compared with the source: every group and rule equal",
    ]
    assert (
        'targets = Targets(thanos=Thanos(partial_response_strategy="warn"))'
        in (tmp_path / "specs" / "house.py").read_text()
    )
