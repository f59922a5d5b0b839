"""`alertgen import` of Sloth `prometheus/v1` specs: one Service per Sloth service, one SLO per SLO.

Sloth's example specs in the corpus are imported, generated and verified with promtool and
amtool; the written modules' SLOs say what the specs say; bad specs give `file:line:` errors.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.cli import main
from generator.importer.read_sloth import split_sloth
from generator.spec import SLO, Events, RawRatio, Service

from .conftest import SHARED, require_tool

SLOTH = SHARED / "corpus" / "sloth"
SPECS = {
    "getting-started": ("myservice", ["requests-availability"]),
    "home-wifi": ("home_wifi", ["good-wifi-client-satisfaction", "risk-wifi-client-satisfaction"]),
    "raw-home-wifi": ("home_wifi", ["wifi-client-satisfaction"]),
}
LAYOUT = "rules (Sloth's layout: SLI, meta, alert groups)"
GOOD_SLO = """\
  - name: "requests-availability"
    objective: 99.5
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
    alerting:
      name: ApiAvailability
"""


def _import(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", *map(str, args)])


def _cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, list(map(str, args)))


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def _service(specs: Path, module: str) -> Service:
    """The Service a written module defines, loaded as alertgen loads it (its folder on the path)."""
    spec = importlib.util.spec_from_file_location(f"imported_{module}", specs / f"{module}.py")
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(specs))
    try:
        spec.loader.exec_module(loaded)
    finally:
        sys.path.remove(str(specs))
        sys.modules.pop("house", None)
    service = loaded.service
    assert isinstance(service, Service)
    return service


def _generates_and_verifies(specs: Path, out: Path) -> None:
    """`generate` exits 0, `verify` (promtool, amtool) finds no failure, `check` no error."""
    generated = _cli("generate", "--specs", specs, "--out", out)
    assert generated.exit_code == 0, generated.output
    require_tool("promtool")
    require_tool("amtool")
    verified = _cli("verify", "--out", out)
    assert verified.exit_code == 0, verified.output
    assert ": 0 failures;" in verified.output
    checked = _cli("check", "--specs", specs, "--out", out)
    assert checked.exit_code == 0, checked.output
    assert "alertgen check: 0 errors," in checked.output


# The corpus ----------------------------------------------------------------------------------


@pytest.mark.parametrize("example", sorted(SPECS))
def test_each_corpus_sloth_spec_imports_generates_and_verifies(example: str, tmp_path: Path) -> None:
    specs, out = tmp_path / "specs", tmp_path / "out"
    result = _import(SLOTH / f"examples_{example}.yml", "--out", specs)
    assert result.exit_code == 0, result.output
    module, names = SPECS[example]
    assert f"{module}.py: service {module.replace('_', '-')}, {len(names)} SLOs from Sloth prometheus/v1" in (
        result.stdout
    )
    # Google's windows: 7 SLI windows and the period, 7 meta records, page and ticket 2 rules each.
    for name in names:
        assert f"slo {name}: 19 {LAYOUT}" in result.stdout.splitlines()
    assert "not kept" not in result.output and "differs" not in result.output
    assert sorted(p.name for p in specs.iterdir()) == sorted(["house.py", f"{module}.py"])
    _generates_and_verifies(specs, out)


@pytest.mark.parametrize("example", sorted(SPECS))
def test_the_written_slos_say_what_the_sloth_spec_says(example: str, tmp_path: Path) -> None:
    source = SLOTH / f"examples_{example}.yml"
    result = _import(source, "--out", tmp_path, "--team", "home-ops")
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = yaml.safe_load(source.read_text())
    service = _service(tmp_path, SPECS[example][0])
    assert (service.name, service.team, service.version) == (doc["service"], "home-ops", "1.0.0")
    assert service.target_labels == ()  # Sloth's queries sum every label away
    assert [s.name for s in service.slos] == [s["name"] for s in doc["slos"]]
    for theirs, ours in zip(doc["slos"], service.slos, strict=True):
        _same_slo(theirs, ours, doc.get("labels", {}))


def _same_slo(theirs: dict[str, Any], ours: SLO, spec_labels: dict[str, str]) -> None:
    assert ours.objective == theirs["objective"]
    assert ours.description == theirs.get("description", "")
    # Events or RawRatio, the queries verbatim ({{.window}} kept).
    kind = {"events": Events, "raw": RawRatio}[next(iter(theirs["sli"]))]
    assert isinstance(ours.sli, kind)
    assert ours.sli.model_dump() == next(iter(theirs["sli"].values()))
    assert ours.labels == {**spec_labels, **theirs.get("labels", {})}
    alerting = theirs["alerting"]
    assert ours.alert == alerting["name"]
    assert ours.alert_labels == alerting.get("labels", {})
    assert ours.alert_annotations == alerting.get("annotations", {})
    for kind, alert in (("page_alert", ours.page), ("ticket_alert", ours.ticket)):
        labels = dict(alerting.get(kind, {}).get("labels", {}))
        assert alert.severity == labels.pop("severity")
        assert alert.labels == labels
        assert alert.annotations == alerting.get(kind, {}).get("annotations", {})
        assert alert.enabled


def test_all_three_at_once_share_the_home_wifi_service_and_the_house(tmp_path: Path) -> None:
    specs, out = tmp_path / "specs", tmp_path / "out"
    result = _import(*(SLOTH / f"examples_{e}.yml" for e in sorted(SPECS)), "--out", specs)
    assert result.exit_code == 0, result.output
    assert "home_wifi.py: service home-wifi, 3 SLOs from Sloth prometheus/v1" in result.stdout
    wifi = _service(specs, "home_wifi")
    assert [s.name for s in wifi.slos] == [*SPECS["home-wifi"][1], *SPECS["raw-home-wifi"][1]]
    # Each page's severity before any ticket's: the most urgent first, as Conventions has them.
    assert 'severities=("pageteam", "home", "slack", "warning")' in (specs / "house.py").read_text()
    _generates_and_verifies(specs, out)


def test_the_comparison_line_claims_no_equality_for_sloth_specs(tmp_path: Path) -> None:
    result = _import(SLOTH / "examples_getting-started.yml", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "equal" not in result.stdout


def test_sloth_specs_and_rule_files_in_one_folder(tmp_path: Path) -> None:
    """A folder's Sloth specs become SLOs and its rule files are compared, as ever."""
    rules = tmp_path / "rules"
    for name in ("examples_getting-started.yml", "examples__gen_getting-started.yml"):
        _write(rules, name, (SLOTH / name).read_text())
    assert split_sloth([rules]) == (
        [rules / "examples__gen_getting-started.yml"],
        [rules / "examples_getting-started.yml"],
    )
    specs = tmp_path / "specs"
    result = _import(rules, "--out", specs)
    assert result.exit_code == 0, result.output
    assert "compared with the source: every group and rule equal" in result.stdout
    assert f"slo requests-availability: 19 {LAYOUT}" in result.stdout
    assert {p.name for p in specs.iterdir()} == {
        "house.py",
        "myservice.py",
        "examples_gen_getting_started.py",
    }


# What the import leaves out ------------------------------------------------------------------


def test_a_plugin_sli_is_listed_and_the_rest_imported(tmp_path: Path) -> None:
    plugin = """\
        version: "prometheus/v1"
        service: "api"
        slos:
          - name: "apiserver-availability"
            objective: 99
            sli:
              plugin:
                id: "sloth-common/kubernetes/apiserver/availability"
            alerting:
              name: ApiserverAvailability
        """
    source = _write(tmp_path, "api.yml", textwrap.dedent(plugin) + GOOD_SLO)
    specs = tmp_path / "specs"
    result = _import(source, "--out", specs)
    assert result.exit_code == 1, result.output
    assert f"not kept: {source}:8: SLO `apiserver-availability`: its SLI is Sloth plugin " in result.stdout
    assert [s.name for s in _service(specs, "api").slos] == ["requests-availability"]
    _generates_and_verifies(specs, tmp_path / "out")


def test_a_disabled_alert_and_shared_alert_labels(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        "api.yml",
        """\
        version: "prometheus/v1"
        service: "api"
        labels:
          tier: "1"
        slos:
          - name: "requests-availability"
            objective: 99.5
            labels:
              tier: "2"
            sli:
              raw:
                error_ratio_query: sum(rate(api_errors_total[{{.window}}])) / sum(rate(api_total[{{.window}}]))
            alerting:
              name: ApiAvailability
              labels:
                severity: critical
                team: api
              annotations:
                runbook: "https://runbooks.example.com/api"
              page_alert:
                annotations:
                  summary: "API availability burns its budget"
              ticket_alert:
                disable: true
        """,
    )
    specs = tmp_path / "specs"
    result = _import(source, "--out", specs)
    assert result.exit_code == 0, result.output
    [slo] = _service(specs, "api").slos
    assert slo.labels == {"tier": "2"}
    assert slo.alert_labels == {"team": "api"}  # severity is the alerts' own
    assert slo.alert_annotations == {"runbook": "https://runbooks.example.com/api"}
    assert (slo.page.severity, slo.page.annotations) == (
        "critical",
        {"summary": "API availability burns its budget"},
    )
    assert (slo.ticket.severity, slo.ticket.enabled) == ("critical", False)
    assert f"slo requests-availability: 17 {LAYOUT}" in result.stdout
    _generates_and_verifies(specs, tmp_path / "out")


def test_names_alertgen_writes_in_kebab_case_are_listed(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        "api.yml",
        'version: "prometheus/v1"\nservice: "Api_Gateway"\nslos:\n'
        + GOOD_SLO.replace('"requests-', '"Requests_'),
    )
    result = _import(source, "--out", tmp_path / "specs")
    assert result.exit_code == 1, result.output
    assert [line for line in result.stdout.splitlines() if line.startswith("not kept:")] == [
        f"not kept: {source}:2: service `Api_Gateway` is `api-gateway` (alertgen names are kebab-case)",
        f"not kept: {source}:4: SLO `Requests_availability` is `requests-availability` "
        "(alertgen names are kebab-case)",
    ]
    assert [s.name for s in _service(tmp_path / "specs", "api_gateway").slos] == ["requests-availability"]


# Bad specs: every error at once, exit 2, nothing written -------------------------------------


def _errors(result: Result, path: Path) -> list[str]:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("; nothing written")
    return [line.removeprefix(f"{path}:") for line in lines[:-1]]


def test_bad_specs_give_every_error_with_its_line(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        "bad.yml",
        """\
        version: "prometheus/v1"
        service: "svc"
        labelz:
          a: b
        slos:
          - name: "no-objective"
            sli:
              events:
                error_query: sum(rate(x_total{code="5xx"}[{{.window}}]))
                total_query: sum(rate(x_total[{{.window}}]))
            alerting:
              name: A
          - objective: 100
            sli:
              raw:
                error_ratio_query: rate(x_total[{{.window}}])
            alerting:
              name: B
          - name: "no-sli"
            objective: 0
            alerting:
              name: C
              pageAlert: {}
          - name: "two-slis"
            objective: "99"
            sli:
              raw:
                error_ratio_query: rate(x_total[5m])
              events:
                error_query: sum(rate(x_total[{{.window}}))
                total_query: sum(rate(x_total[{{.window}}]))
            alerting:
              labels: {}
        """,
    )
    specs = tmp_path / "specs"
    assert _errors(_import(source, "--out", specs), source) == [
        "3: unknown key `labelz` in a Sloth spec; did you mean `labels`?",
        "6: SLO `no-objective` has no `objective`; add the percentage it aims for, e.g. `objective: 99.9`",
        "13: an SLO has no `name`; add `name: NAME`",
        "13: `objective` of an SLO is 100; write a percentage above 0 and below 100",
        "19: SLO `no-sli` has no `sli`; add `sli:` with `events:` or `raw:` queries",
        "20: `objective` of SLO `no-sli` is 0; write a percentage above 0 and below 100",
        "23: unknown key `pageAlert` in `alerting` of SLO `no-sli`; did you mean `page_alert`?",
        "25: `objective` of SLO `two-slis` is a string; write a percentage such as 99.9",
        "27: `sli` of SLO `two-slis` has events and raw; keep one (Sloth takes one of events, raw, plugin)",
        "33: `alerting` of SLO `two-slis` has no `name`; add the alerts' name",
    ]
    assert not specs.exists()


def test_bad_queries_are_errors_at_their_line(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        "bad.yml",
        """\
        version: "prometheus/v1"
        service: "svc"
        slos:
          - name: "broken"
            objective: 99
            sli:
              events:
                error_query: sum(rate(x_total{code="5xx"}[5m]))
                total_query: sum(rate(x_total[{{.window}}])
            alerting:
              name: A
        """,
    )
    errors = _errors(_import(source, "--out", tmp_path / "specs"), source)
    assert errors[0] == (
        "8: `error_query` of SLO `broken` has no `{{.window}}`; write it where the range goes, "
        "e.g. x_total[{{.window}}]"
    )
    assert errors[1].startswith("9: invalid PromQL in `total_query` of SLO `broken`: ")
    assert len(errors) == 2


def test_invalid_yaml_and_wrong_version(tmp_path: Path) -> None:
    broken = _write(tmp_path, "broken.yml", 'version: "prometheus/v1"\nservice: [svc\n')
    assert _errors(_import(broken, "--out", tmp_path / "specs"), broken) == [
        "3: invalid YAML: did not find expected ',' or ']'; fix the syntax"
    ]
    other = _write(tmp_path, "other.yml", 'version: "prometheus/v2"\nservice: svc\nslos:\n' + GOOD_SLO)
    assert _errors(_import(other, "--out", tmp_path / "specs"), other) == [
        '1: Sloth spec version `prometheus/v2`; alertgen reads `"prometheus/v1"` specs'
    ]


def test_one_slo_name_twice_in_a_service(tmp_path: Path) -> None:
    head = 'version: "prometheus/v1"\nservice: "api"\nslos:\n'
    first = _write(tmp_path, "a.yml", head + GOOD_SLO)
    second = _write(tmp_path, "b.yml", head + GOOD_SLO)
    result = _import(first, second, "--out", tmp_path / "specs")
    assert _errors(result, second) == [
        f"4: a second SLO `requests-availability` of service `api` (first: {first}:4); rename one"
    ]


def test_service_option_with_rule_files_and_sloth_specs(tmp_path: Path) -> None:
    source = _write(tmp_path, "api.yml", 'version: "prometheus/v1"\nservice: "api"\nslos:\n' + GOOD_SLO)
    rules = SLOTH / "examples__gen_getting-started.yml"
    result = _import(source, rules, "--service", "api", "--out", tmp_path / "specs")
    assert _errors(result, source) == [
        "2: --service puts every rule in one service, and a Sloth spec's SLOs are a service of their "
        "own; import the Sloth specs and the rule files separately"
    ]
