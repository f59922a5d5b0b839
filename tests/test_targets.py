"""Rule targets: PrometheusRule objects, Thanos Ruler, Mimir namespaces and vmalert files, from one spec.

Each target's files are judged by what reads them: the operator's CRD schema (the corpus copy),
promtool, `vmalert -dryRun`, Mimir's namespace shape; and spec errors name the target.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import crd
from generator.cli import main
from generator.verify import verify

from .conftest import SHARED, SPECS, require_tool, run_tool

GOLDEN = Path(__file__).resolve().parent / "golden"
CORPUS_CRD = SHARED / "corpus" / "prometheus-operator" / "monitoring.coreos.com_prometheusrules.yaml"
OPERATOR = "kubernetes/prometheusrules/checkout.prometheusrule.yaml"
THANOS = "thanos/rules/checkout.rules.yml"
MIMIR = "mimir/rules/checkout.namespace.yml"
VMALERT = "vmalert/rules/checkout.rules.yml"
PLAIN = "prometheus/rules/checkout.rules.yml"

SERVICE = textwrap.dedent(
    """
    from generator import Alert, Example, Metric, Service, Signal, Targets, VMAlert{extra}

    up = Signal(name="up", expr='min by (job, namespace, instance) (up{{job="api"}})', unit="short")
    service = Service(
        name="api", title="API", version="1.0.0", team="api-team",
        metrics=(Metric(name="up", type="gauge"),),
        alerts=(Alert(name="ApiDown", signal=up, op="<", threshold=1, for_="1m",{keep} severity="critical", summary="API down", runbook_url="https://wiki.example.com/api",
                      examples=(Example(name="down", series={{'up{{job="api",namespace="n",instance="i"}}': "0x10"}},
                                        at="5m", fires=True),
                                Example(name="up", series={{'up{{job="api",namespace="n",instance="i"}}': "1x10"}},
                                        at="5m", fires=False))),),
    )
"""
)


def _load(path: Path) -> object:
    return yaml.safe_load(path.read_text())


def test_the_shipped_crd_copy_is_the_corpus_crd() -> None:
    assert crd.CRD.read_bytes() == CORPUS_CRD.read_bytes()


@pytest.mark.parametrize("tree", [GOLDEN / "output", Path(__file__).resolve().parent.parent / "output"])
def test_every_prometheus_rule_validates_against_the_corpus_crd(tree: Path) -> None:
    objects = sorted((tree / "kubernetes" / "prometheusrules").glob("*.yaml"))
    assert objects, f"no PrometheusRule under {tree}"
    for path in objects:
        assert crd.problems(_load(path), CORPUS_CRD) == [], path


def test_a_prometheus_rule_the_api_server_would_refuse_is_named_with_its_path() -> None:
    document = _load(GOLDEN / "output" / OPERATOR)
    assert isinstance(document, dict)
    document["spec"]["groups"][0]["partial_response_strategy"] = "sometimes"
    document["spec"]["groups"].append({"name": "checkout", "rules": []})
    assert crd.problems(document, CORPUS_CRD) == [
        "at /spec/groups/0/partial_response_strategy: 'sometimes' does not match '(?i)^(abort|warn)?$'",
        "at /spec/groups/1: name 'checkout' listed twice",
    ]


def test_operator_object_carries_the_selector_labels_and_namespace() -> None:
    document = _load(GOLDEN / "output" / OPERATOR)
    plain = _load(GOLDEN / "output" / PLAIN)
    assert isinstance(document, dict) and isinstance(plain, dict)
    assert document["metadata"] == {
        "name": "checkout",
        "namespace": "shop",
        "labels": {
            "app.kubernetes.io/managed-by": "alertgen",
            "app.kubernetes.io/part-of": "checkout",
            "release": "kube-prometheus-stack",
        },
    }
    assert document["spec"]["groups"] == plain["groups"]


def test_thanos_and_mimir_files_are_the_plain_groups_in_their_shape() -> None:
    plain = _load(GOLDEN / "output" / PLAIN)
    thanos = _load(GOLDEN / "output" / THANOS)
    mimir = _load(GOLDEN / "output" / MIMIR)
    assert isinstance(plain, dict) and isinstance(thanos, dict) and isinstance(mimir, dict)
    assert [g.pop("partial_response_strategy") for g in thanos["groups"]] == ["abort"] * len(plain["groups"])
    assert thanos == plain
    assert list(mimir) == ["namespace", "groups"]
    assert mimir == {"namespace": "shop-checkout", "groups": plain["groups"]}


@pytest.mark.promtool
def test_verify_runs_each_targets_tool_on_a_tree_with_every_target(brownie_targets: Path) -> None:
    require_tool("promtool")
    require_tool("vmalert")
    failures: list[str] = []
    summary = verify(brownie_targets, report=lambda f: failures.append(f.line()))
    assert failures == []
    assert summary.line().endswith(
        "PrometheusRule CRD schema 1/1 files ok, promtool check rules (Thanos) 1/1 files ok, "
        "Mimir namespace 1/1 files ok, vmalert -dryRun 1/1 files ok"
    )


@pytest.mark.promtool
def test_verify_names_each_broken_target_file(brownie_targets: Path, tmp_path: Path) -> None:
    require_tool("promtool")
    require_tool("vmalert")
    tree = tmp_path / "out"
    shutil.copytree(brownie_targets, tree)
    _edit(
        tree / "thanos/rules/brownie-metadata.rules.yml",
        "partial_response_strategy: warn",
        "partial_response_strategy: never",
    )
    _edit(
        tree / "mimir/rules/brownie-metadata.namespace.yml", "namespace: brownie-metadata", "tenant: brownie"
    )
    _edit(tree / "vmalert/rules/brownie-metadata.rules.yml", "expr: sum by", "expr: sum(by")
    _edit(
        tree / "kubernetes/prometheusrules/brownie-metadata.prometheusrule.yaml",
        "  - name: brownie-metadata\n",
        "  - title: brownie-metadata\n",
    )
    failures: list[str] = []
    summary = verify(tree, report=lambda f: failures.append(f.line()))
    assert [f.split(": ", 2)[1] for f in failures] == [
        f"PrometheusRule CRD schema {tree}/kubernetes/prometheusrules/brownie-metadata.prometheusrule.yaml",
        f"promtool check rules (Thanos) {tree}/thanos/rules/brownie-metadata.rules.yml",
        f"Mimir namespace {tree}/mimir/rules/brownie-metadata.namespace.yml",
        f"vmalert -dryRun {tree}/vmalert/rules/brownie-metadata.rules.yml",
    ]
    assert failures[0].endswith("at /spec/groups/0: 'name' is a required property")
    assert failures[1].endswith(
        "group 'brownie-metadata': partial_response_strategy 'never' is not warn or abort"
    )
    assert failures[2].endswith("holds ['groups', 'tenant'], expected exactly namespace and groups")
    assert "bad prometheus expr" in failures[3]
    assert summary.failures == 4


@pytest.mark.promtool
def test_a_bad_thanos_expression_is_reported_under_the_thanos_file(
    brownie_targets: Path, tmp_path: Path
) -> None:
    require_tool("promtool")
    tree = tmp_path / "out"
    shutil.copytree(brownie_targets, tree)
    path = tree / "thanos/rules/brownie-metadata.rules.yml"
    _edit(path, "expr: sum by", "expr: sum(by")
    failures: list[str] = []
    verify(tree, report=lambda f: failures.append(f.line()))
    assert len(failures) == 1
    assert failures[0].startswith(f"verify: promtool check rules (Thanos) {path}: ")
    assert "alertgen-verify-" not in failures[0]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


# Every rule format, as a repository declares them once for all its modules (docs/scale-out.md).
TARGETS_MODULE = """
from generator import Mimir, Operator, Targets, Thanos, VMAlert

targets = Targets(
    operator=Operator(namespace="monitoring", labels={"prometheus": "main", "role": "alert-rules"}),
    thanos=Thanos(partial_response_strategy="warn"),
    mimir=Mimir(),
    vmalert=VMAlert(),
)
"""


@pytest.fixture(scope="module")
def brownie_targets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Brownie fixture with every target, generated into a fresh folder."""
    root = tmp_path_factory.mktemp("targets")
    shutil.copytree(SPECS, root / "specs")
    (root / "specs" / "targets.py").write_text(TARGETS_MODULE)
    out = root / "output"
    result = CliRunner().invoke(main, ["generate", "--specs", str(root / "specs"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_command_line_picks_targets_for_one_run(
    write_specs: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    specs = write_specs({"api.py": SERVICE.format(extra="", keep="")})
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["generate", "--specs", str(specs), "--out", str(out), "--target", "thanos", "--target", "mimir"],
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yml") if "rules" in p.parts)
    assert written == [
        "mimir/rules/api.namespace.yml",
        "prometheus/rules/api.rules.yml",
        "thanos/rules/api.rules.yml",
    ]
    assert (out / "mimir/rules/api.namespace.yml").read_text().splitlines()[1] == "namespace: api"
    plain = tmp_path / "plain"
    result = CliRunner().invoke(
        main, ["generate", "--specs", str(specs), "--out", str(plain), "--target", "prometheus"]
    )
    assert result.exit_code == 0, result.output
    assert not (plain / "thanos").exists() and (plain / "prometheus/rules/api.rules.yml").exists()


def test_keep_firing_for_is_a_spec_error_for_an_old_vmalert(
    write_specs: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    source = (
        SERVICE.format(extra="", keep=' keep_firing_for="5m",') + "\ntargets = Targets(vmalert=VMAlert())\n"
    )
    specs = write_specs({"api.py": source})
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{specs}/api.py:8: Alert 'ApiDown': keep_firing_for: target vmalert 1.79 does not read it "
        "(vmalert reads it since 1.92); set VMAlert(version=...) to the vmalert you run, or drop it",
        "alertgen: 1 error in specs; nothing written",
    ]
    newer = source.replace("VMAlert()", 'VMAlert(version="1.92")')
    specs = write_specs({"api.py": newer})
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "    keep_firing_for: 5m\n" in (tmp_path / "out/vmalert/rules/api.rules.yml").read_text()


def test_two_different_targets_are_a_spec_error(
    write_specs: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    specs = write_specs(
        {
            "api.py": SERVICE.format(extra=", Thanos", keep="") + "\ntargets = Targets(thanos=Thanos())\n",
            "other.py": "from generator import Targets, Mimir\n\ntargets = Targets(mimir=Mimir())\n",
        }
    )
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"{specs}/other.py:3: Targets: differs from the Targets at {specs}/api.py:15; "
        "declare them once and import them"
    )


def test_a_bad_operator_setting_is_a_one_line_spec_error(
    write_specs: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    source = (
        SERVICE.format(extra=", Operator", keep="")
        + '\ntargets = Targets(operator=Operator(namespace="Monitoring"))\n'
    )
    specs = write_specs({"api.py": source})
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith(f"{specs}/api.py:15: Operator: namespace: ")
    assert "invalid namespace 'Monitoring'" in result.output.splitlines()[0]


@pytest.mark.parametrize("path", [OPERATOR, THANOS, MIMIR])
def test_alertgen_import_reads_each_target_file_back_rule_for_rule(path: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["import", str(GOLDEN / "output" / path), "--out", str(tmp_path / "specs")]
    )
    assert result.exit_code == 0, result.output
    assert "compared with the source: every group and rule equal" in result.output


@pytest.mark.promtool
def test_vmalert_accepts_the_groups_of_every_target(brownie_targets: Path, tmp_path: Path) -> None:
    vmalert = require_tool("vmalert")
    files = sorted(p for p in brownie_targets.rglob("*.y*ml") if {"rules", "prometheusrules"} & set(p.parts))
    assert [p.relative_to(brownie_targets).as_posix() for p in files] == [
        "kubernetes/prometheusrules/brownie-metadata.prometheusrule.yaml",
        "mimir/rules/brownie-metadata.namespace.yml",
        "prometheus/rules/brownie-metadata.rules.yml",
        "thanos/rules/brownie-metadata.rules.yml",
        "vmalert/rules/brownie-metadata.rules.yml",
    ]
    for path in files:
        data = _load(path)
        assert isinstance(data, dict)
        groups = data["spec"]["groups"] if "spec" in data else data["groups"]
        # vmalert does not know Thanos' one field; Thanos sets it aside before Prometheus reads the rest.
        plain = [{k: v for k, v in g.items() if k != "partial_response_strategy"} for g in groups]
        copy = tmp_path / f"{path.parent.parent.name}.yml"
        copy.write_text(yaml.safe_dump({"groups": plain}, sort_keys=False))
        result = run_tool(vmalert, "-dryRun", f"-rule={copy}", "-loggerLevel=ERROR")
        assert result.returncode == 0, (path, result.stdout[-2000:], result.stderr[-2000:])
