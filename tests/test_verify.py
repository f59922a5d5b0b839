"""`alertgen verify`: the real promtool and amtool on a generated tree, one line per failure."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.verify import Failure, verify

from .conftest import ROOT, require_tool

GOLDEN_SPECS = ROOT / "tests" / "golden" / "specs"
RULES = Path("prometheus/rules/checkout.rules.yml")
TESTS = Path("prometheus/tests/checkout.test.yml")
PRODUCTION = Path("alertmanager/alertmanager.yml")
STAGING = Path("alertmanager/alertmanager.staging.yml")
ROUTING = Path("alertmanager/routing-tests.yml")


def _summary(
    out: Path, rules: str = "1/1", tests: str = "1/1", configs: str = "2/2", routes: str = "6/6"
) -> str:
    n = sum(int(t) - int(p) for p, t in (x.split("/") for x in (rules, tests, configs, routes)))
    return (
        f"verify: {out}: {n} failure{'s' if n != 1 else ''}; promtool check rules {rules} files ok, "
        f"promtool test rules {tests} files ok, amtool check-config {configs} files ok, "
        f"amtool config routes test {routes} routes ok (3 alerts, 2 configs)"
    ) + _targets(out)


def _targets(out: Path) -> str:
    """The golden specs' targets (operator, Thanos, Mimir), when the tree holds them."""
    if not (out / "kubernetes").is_dir():
        return ""
    return (
        ", PrometheusRule CRD schema 1/1 files ok, promtool check rules (Thanos) 1/1 files ok, "
        "Mimir namespace 1/1 files ok"
    )


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden specs generated once; each test verifies its own copy."""
    out = tmp_path_factory.mktemp("generated") / "out"
    code, stdout, stderr = _invoke("generate", "--specs", str(GOLDEN_SPECS), "--out", str(out))
    assert code == 0, stdout + stderr
    return out


@pytest.fixture
def tree(generated: Path, tmp_path: Path) -> Path:
    """A fresh copy of the generated tree, free to break."""
    require_tool("promtool")
    require_tool("amtool")
    out = tmp_path / "out"
    shutil.copytree(generated, out)
    return out


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.promtool
@pytest.mark.amtool
@pytest.mark.parametrize("jobs", [[], ["-j", "1"], ["--jobs", "3"]])
def test_a_generated_tree_passes(tree: Path, jobs: list[str]) -> None:
    code, stdout, stderr = _invoke("verify", "--out", str(tree), *jobs)
    assert (code, stdout, stderr) == (0, _summary(tree) + "\n", "")


@pytest.mark.promtool
@pytest.mark.amtool
def test_a_rule_that_does_not_parse_names_its_file(tree: Path) -> None:
    _edit(tree / RULES, "stock_ratio < 0.05", "stock_ratio < < 0.05")
    code, stdout, _ = _invoke("verify", "--out", str(tree))
    assert code == 1
    check, test, summary = stdout.splitlines()
    # promtool's own wording after the rule's position is left to promtool.
    assert check.startswith(
        f'verify: promtool check rules {tree / RULES}: 11:11: group "checkout", rule 3, '
        '"CheckoutStockEmpty": could not parse expression: '
    )
    # The unit tests load the same file, so they fail too, quoting the error with its path.
    assert test.startswith(f"verify: promtool test rules {tree / TESTS}: {tree / RULES}: 11:11: ")
    assert summary == _summary(tree, rules="0/1", tests="0/1")


@pytest.mark.promtool
@pytest.mark.amtool
def test_a_lint_problem_fails(tree: Path) -> None:
    rules = tree / RULES
    text = rules.read_text()
    rule = text[text.index("  - record: job_namespace:") : text.index("  - alert: CheckoutStockEmpty")]
    rules.write_text(text.replace(rule, rule + rule))
    code, stdout, _ = _invoke("verify", "--out", str(tree))
    assert code == 1
    assert stdout.splitlines() == [
        f"verify: promtool check rules {rules}: lint error 1 duplicate rule(s) found. / "
        "Metric: job_namespace:checkout_queue_depth:queue_depth / Label(s): (+1 more lines)",
        _summary(tree, rules="0/1"),
    ]


@pytest.mark.promtool
@pytest.mark.amtool
def test_a_wrong_test_expectation_names_the_test_file(tree: Path) -> None:
    _edit(tree / TESTS, "        warehouse: berlin\n", "        warehouse: hamburg\n")
    code, stdout, _ = _invoke("verify", "--out", str(tree))
    assert code == 1
    assert stdout.splitlines() == [
        f"verify: promtool test rules {tree / TESTS}: 1 test failed: 'CheckoutStockEmpty: 2% left'",
        _summary(tree, tests="0/1"),
    ]


@pytest.mark.promtool
@pytest.mark.amtool
def test_a_wrong_routing_expectation_names_the_alert_per_config(tree: Path) -> None:
    routing = tree / ROUTING
    text = routing.read_text()
    start = text.index("  alert: CheckoutStockLow\n")
    expected = "  receivers:\n  - default\n"
    end = text.index(expected, start)
    routing.write_text(text[:end] + "  receivers:\n  - shop-oncall\n" + text[end + len(expected) :])
    code, stdout, _ = _invoke("verify", "--out", str(tree))
    assert code == 1
    assert stdout.splitlines() == [
        f"verify: amtool config routes test {tree / PRODUCTION} alert CheckoutStockLow (checkout): "
        "reached default, expected shop-oncall",
        f"verify: amtool config routes test {tree / STAGING} alert CheckoutStockLow (checkout): "
        "reached default, expected shop-oncall",
        _summary(tree, routes="4/6"),
    ]


@pytest.mark.promtool
@pytest.mark.amtool
def test_an_invalid_config_fails_once_and_skips_its_routing_tests(tree: Path) -> None:
    _edit(tree / STAGING, "  receiver: default\n", "  receiver: nobody\n")
    code, stdout, _ = _invoke("verify", "--out", str(tree))
    assert code == 1
    assert stdout.splitlines() == [
        f'verify: amtool check-config {tree / STAGING}: undefined receiver "nobody" used in route',
        _summary(tree, configs="1/2", routes="3/3").replace(
            "2 configs)", "2 configs, 3 skipped: config failed check-config)"
        ),
    ]


@pytest.mark.promtool
@pytest.mark.amtool
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- [\n", "not YAML: line 2: expected the node content, but found '<stream end>'"),
        ("{}\n", "not a list of {service, alert, labels, receivers}"),
        (
            "- {alert: A, labels: {alertname: A}, receivers: []}\n",
            "entry 1 is not {service, alert, labels, receivers} with at least one receiver",
        ),
    ],
)
def test_a_malformed_routing_file_is_one_failure(tree: Path, text: str, message: str) -> None:
    (tree / ROUTING).write_text(text)
    code, stdout, _ = _invoke("verify", "--out", str(tree))
    assert code == 1
    line, summary = stdout.splitlines()
    assert line.startswith(f"verify: amtool config routes test {tree / ROUTING}: {message}")
    assert summary == _summary(tree, routes="0/1").replace("(3 alerts", "(0 alerts")


def test_a_missing_out_folder_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert _invoke("verify", "--out", str(missing)) == (
        2,
        "",
        f"alertgen: no output folder {str(missing)!r}; run `alertgen generate` first\n",
    )


def test_a_folder_without_a_tree_is_one_line(tmp_path: Path) -> None:
    assert _invoke("verify", "--out", str(tmp_path)) == (
        2,
        "",
        f"alertgen: {tmp_path} holds no rules, promtool tests or Alertmanager configs; "
        "run `alertgen generate` first\n",
    )


@pytest.mark.parametrize(
    ("tool", "package"), [("promtool", "prometheus"), ("amtool", "prometheus-alertmanager")]
)
def test_a_missing_tool_names_its_package(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tool: str, package: str
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    other = {"promtool": "amtool", "amtool": "promtool"}[tool]
    _fake(bin_dir, other, "exit 0")
    monkeypatch.setenv("PATH", str(bin_dir))
    assert _invoke("verify", "--out", str(generated)) == (
        2,
        "",
        f"alertgen: {tool} not found on PATH; install the Debian package {package} (`make tools`)\n",
    )


def test_a_hung_tool_is_killed_and_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    sleep = shutil.which("sleep")
    assert sleep is not None
    _fake(bin_dir, "promtool", f"exec {sleep} 60")
    monkeypatch.setenv("PATH", str(bin_dir))
    rules = tmp_path / "out" / RULES
    rules.parent.mkdir(parents=True)
    rules.write_text("groups: []\n")
    failures: list[Failure] = []
    started = time.monotonic()
    summary = verify(tmp_path / "out", timeout=0.5, report=failures.append)
    assert time.monotonic() - started < 30  # killed, not waited for (it sleeps 60 s)
    assert [f.line() for f in failures] == [
        f"verify: promtool check rules {rules}: timed out after 0.5 s; killed"
    ]
    assert summary.failures == 1


def _fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
