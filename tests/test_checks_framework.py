"""The checks framework: registry, disables with reasons, text/JSON/SARIF reports, the CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from generator.checks import errors, report
from generator.checks.registry import CHECKS, UnknownCheck, get
from generator.cli import EXIT_CHECK, EXIT_SPEC, main
from generator.pipeline import read_tree, run
from tests.checks.helpers import ALERTMANAGER, DASHBOARD, RULES, RUNBOOK, SHOP_SPECS, check, edited, shop

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "docs" / "checks.md"
SCHEMA = HERE / "sarif" / "sarif-schema-2.1.0.json"
SNAPSHOT = HERE / "checks" / "report.snapshot.txt"
GAUGE_RATE = (
    "expr='max by (job, namespace, queue) (shop_queue_depth{job=\"shop\"})'",
    "expr='max by (job, namespace, queue) (rate(shop_queue_depth{job=\"shop\"}[5m]))'",
)


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- registry --------------------------------------------------------------------------------


def test_ids_are_unique_and_name_their_module_and_docs_section() -> None:
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    modules = {p.stem for p in (HERE.parent / "generator" / "checks").glob("*.py")}
    docs = DOCS.read_text()
    for item in CHECKS:
        assert re.fullmatch(r"[a-z]+/[a-z]+(-[a-z]+)*", item.id)
        assert item.module in modules
        assert f"\n## {item.id}\n" in docs, f"docs/checks.md has no section for {item.id}"


def test_docs_list_no_check_that_does_not_exist() -> None:
    documented = re.findall(r"^## ([a-z]+/[a-z-]+)$", DOCS.read_text(), flags=re.M)
    assert sorted(documented) == sorted(c.id for c in CHECKS)


def test_unknown_id_is_rejected_with_the_closest_id() -> None:
    assert get("route/unrouted").id == "route/unrouted"
    with pytest.raises(UnknownCheck, match=r"unknown check 'route/unroutd'; did you mean 'route/unrouted'\?"):
        get("route/unroutd")


# --- disables --------------------------------------------------------------------------------


def _shop_with(write_specs: Callable[[dict[str, str]], Path], *changes: tuple[str, str]) -> Path:
    source = (SHOP_SPECS / "shop.py").read_text()
    for old, new in changes:
        assert old in source
        source = source.replace(old, new)
    return write_specs({"shop.py": source})


def test_a_disabled_check_is_reported_with_its_reason_and_fails_nothing(
    write_specs: Callable[[dict[str, str]], Path],
) -> None:
    specs = _shop_with(
        write_specs,
        GAUGE_RATE,
        ("from generator import (\n", "from generator import (\n    Disable,\n"),
        (
            '    summary="Queue {{ $labels.queue }} is long",\n',
            '    summary="Queue {{ $labels.queue }} is long",\n'
            '    disable=(Disable(check="promql/rate-on-gauge", reason="the exporter resets it every scrape"),),\n',
        ),
    )
    findings = run(specs).findings
    [gauge] = [f for f in findings if f.check == "promql/rate-on-gauge"]
    assert gauge.suppressed == "the exporter resets it every scrape"
    assert errors(findings) == []
    assert report.text([gauge]).splitlines() == [
        f"output/{RULES}:12: disabled promql/rate-on-gauge: rule 'job_namespace_queue:shop_queue_depth:max': "
        "rate() on gauge 'shop_queue_depth' treats every drop as a counter reset; read the gauge directly, "
        "or use deriv(shop_queue_depth[...]) or delta(shop_queue_depth[...]) for its trend "
        "(disabled: the exporter resets it every scrape)",
        "alertgen check: 0 errors, 0 warnings, 0 info; 1 disabled",
    ]


def test_without_the_disable_generate_refuses_and_writes_nothing(
    write_specs: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    specs = _shop_with(write_specs, GAUGE_RATE)
    out = tmp_path / "out"
    code, _, stderr = _invoke("generate", "--specs", str(specs), "--out", str(out))
    assert code == EXIT_CHECK == 4
    assert not out.exists()
    assert stderr.splitlines()[-1] == "alertgen: 1 check error; nothing written"
    assert f"{out}/{RULES}:12: error promql/rate-on-gauge: " in stderr


def test_disabling_an_unknown_check_is_a_spec_error(write_specs: Callable[[dict[str, str]], Path]) -> None:
    specs = _shop_with(
        write_specs,
        ("from generator import (\n", "from generator import (\n    Disable,\n"),
        (
            '    summary="Queue {{ $labels.queue }} is long",\n',
            '    summary="Queue {{ $labels.queue }} is long",\n'
            '    disable=(Disable(check="promql/rate-on-guage", reason="x"),),\n',
        ),
    )
    code, _, stderr = _invoke("check", "--specs", str(specs), "--out", str(specs))
    assert code == EXIT_SPEC
    assert re.search(
        r"shop\.py:\d+: Alert 'ShopQueueLong': disable: unknown check 'promql/rate-on-guage'; "
        r"did you mean 'promql/rate-on-gauge'\?",
        stderr,
    )


# --- reports ---------------------------------------------------------------------------------

BREAKAGES = {
    RULES: [("viewPanel=3", "viewPanel=99"), ("> 0.05", "> 0.2")],
    DASHBOARD: [('"value": 100.0', '"value": 90.0')],
    RUNBOOK: [("### Shop Queue Long\n", "### Shop Queue Length\n")],
    ALERTMANAGER: [('- severity="warning"', '- severity="warn"')],
}


def test_text_report_snapshot() -> None:
    """The whole text report of several breakages; refresh with UPDATE_SNAPSHOTS=1 after a wording change."""
    text = report.text(check(edited(BREAKAGES)))
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(text)
    assert text == SNAPSHOT.read_text()


def test_json_report_lists_findings_and_counts() -> None:
    doc = json.loads(report.as_json(check(edited(BREAKAGES))))
    assert doc["counts"] == {"error": 12, "warning": 3, "info": 0, "disabled": 0}
    first = doc["findings"][0]
    assert set(first) == {
        "check",
        "level",
        "path",
        "line",
        "service",
        "alert",
        "route",
        "message",
        "disabled",
    }


def test_sarif_report_is_valid_sarif_2_1_0() -> None:
    log = json.loads(report.sarif(check(edited(BREAKAGES))))
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(log, schema)
    run_ = log["runs"][0]
    assert [r["id"] for r in run_["tool"]["driver"]["rules"]] == [c.id for c in CHECKS]
    result = run_["results"][0]
    assert result["ruleId"] == run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_sarif_marks_disabled_findings_as_suppressed(write_specs: Callable[[dict[str, str]], Path]) -> None:
    specs = _shop_with(
        write_specs,
        GAUGE_RATE,
        ("from generator import (\n", "from generator import (\n    Disable,\n"),
        (
            '    summary="Queue {{ $labels.queue }} is long",\n',
            '    summary="Queue {{ $labels.queue }} is long",\n'
            '    disable=(Disable(check="promql/rate-on-gauge", reason="known"),),\n',
        ),
    )
    log = json.loads(report.sarif(run(specs).findings))
    jsonschema.validate(log, json.loads(SCHEMA.read_text()))
    [suppressed] = [r for r in log["runs"][0]["results"] if "suppressions" in r]
    assert suppressed["suppressions"] == [{"kind": "inSource", "justification": "known"}]


def test_an_unparsable_artifact_is_reported_not_a_traceback() -> None:
    files = edited(
        {
            ALERTMANAGER: [("route:\n", "route: [\n")],
            DASHBOARD: [
                (
                    "{",
                    "{{",
                )
            ],
        }
    )
    lines = report.text([f for f in check(files) if f.check == "artifact/invalid"]).splitlines()
    assert lines[0].startswith(
        f"output/{ALERTMANAGER}: error artifact/invalid: cannot be read as an Alertmanager config: "
    )
    assert lines[1].startswith(
        f"output/{DASHBOARD}: error artifact/invalid: cannot be read as a Grafana dashboard: line 1: not valid JSON"
    )


# --- the command line ------------------------------------------------------------------------


def _shop_tree(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    for path, text in shop().texts.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text)
    return out


def test_check_reads_the_bytes_on_disk_whatever_their_line_ends_and_encoding(tmp_path: Path) -> None:
    # CRLF line ends and undecodable bytes are read as the parsers read any text: the findings are
    # those of the tree as it is on disk, the same as checking those bytes in memory.
    out = _shop_tree(tmp_path)
    runbook, dashboard = out / RUNBOOK, out / DASHBOARD
    runbook.write_bytes(
        runbook.read_bytes().replace(b"\n", b"\r\n").replace(b"### Shop Errors Critical", b"### Shop Fails")
    )
    dashboard.write_bytes(dashboard.read_bytes().replace(b'"title"', b'"ti\xfftle"', 1))
    found = run(SHOP_SPECS, out=out, tree=read_tree(out)).findings
    code, stdout, _ = _invoke("check", "--specs", str(SHOP_SPECS), "--out", str(out), "--format", "json")
    assert code == EXIT_CHECK
    assert [f["message"] for f in json.loads(stdout)["findings"]] == [f.message for f in found]
    assert any(f.check == "runbook/anchor-broken" for f in found)  # the edits are seen


def test_check_command_exit_codes(tmp_path: Path) -> None:
    out = _shop_tree(tmp_path)
    code, stdout, _ = _invoke("check", "--specs", str(SHOP_SPECS), "--out", str(out))
    assert (code, stdout) == (0, "alertgen check: 0 errors, 0 warnings, 0 info; 0 disabled\n")
    rules = out / RULES
    rules.write_text(rules.read_text().replace("> 0.05", "> 0.2"))
    code, stdout, _ = _invoke("check", "--specs", str(SHOP_SPECS), "--out", str(out), "--format", "json")
    assert code == EXIT_CHECK
    assert {f["check"] for f in json.loads(stdout)["findings"]} == {
        "tier/order",
        "dashboard/threshold-mismatch",
    }
    shutil.rmtree(out / "grafana")
    code, stdout, _ = _invoke("check", "--specs", str(SHOP_SPECS), "--out", str(out), "--format", "sarif")
    jsonschema.validate(json.loads(stdout), json.loads(SCHEMA.read_text()))
    assert code == EXIT_CHECK
