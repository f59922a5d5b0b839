"""No secrets out: no generated file holds a PagerDuty key, a Slack webhook URL or token, a
password, a bearer token or a private key; Alertmanager reads each from a file instead.

The patterns are this test's own (not generator/spec/secrets.py), so a gap in the generator's
recogniser does not hide the same gap here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import conventions as conv
from generator.pipeline import Result
from generator.render.alertmanager import render_config
from tests.conftest import REPO_OUTPUT

PATTERNS = {
    "PagerDuty key": re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{32}(?![0-9A-Za-z])"),
    "Slack webhook URL": re.compile(r"hooks\.slack\.com/(services|workflows|triggers)/", re.I),
    "Slack token": re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}"),
    "password in a URL": re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I),
    "bearer token": re.compile(r"\bBearer\s+[A-Za-z0-9._~+/=-]{16,}"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "cloud or API token": re.compile(
        r"\b(AKIA[0-9A-Z]{16}|gh[pousr]_[0-9A-Za-z]{20,}|sk-[0-9A-Za-z]{20,})\b"
    ),
}
# Config keys whose value is a secret; each has a `*_file` twin, the only form allowed.
SECRET_KEYS = {
    "routing_key",
    "service_key",
    "api_url",
    "auth_password",
    "auth_secret",
    "smtp_auth_password",
    "smtp_auth_secret",
    "password",
    "bearer_token",
    "credentials",
    "api_key",
    "token",
}


def secrets_in_text(text: str) -> list[str]:
    """The kinds of secret-looking values in a text."""
    return sorted(kind for kind, pattern in PATTERNS.items() if pattern.search(text))


def secret_keys(node: Any, where: str = "") -> Iterator[str]:
    """`path.to.key` for every secret key of a parsed config that holds a value itself."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}.{key}" if where else str(key)
            if key in SECRET_KEYS and value not in (None, ""):
                yield here
            yield from secret_keys(value, here)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from secret_keys(item, f"{where}[{i}]")


def generated(brownie: Result) -> dict[str, str]:
    """Every file `make generate` writes, plus the local config the e2e test renders."""
    files = dict(brownie.texts)
    files["alertmanager/alertmanager.local.yml"] = render_config(
        brownie.model, "local", "http://127.0.0.1:9/alerts"
    )
    return files


def test_no_generated_file_holds_a_secret(brownie: Result) -> None:
    files = generated(brownie)
    assert len(files) >= 8
    found = {path: secrets_in_text(text) for path, text in files.items()}
    assert {p: kinds for p, kinds in found.items() if kinds} == {}
    leaked = [
        f"{path}: {key}"
        for path, text in files.items()
        if path.endswith(".yml")
        for key in secret_keys(yaml.safe_load(text))
    ]
    assert leaked == []


def _tree_secrets(root: Path) -> dict[str, list[str]]:
    """The files of a tree on disk that hold secret-looking text, with the kinds found."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    assert files, f"{root} is empty"
    found = {p.relative_to(root).as_posix(): secrets_in_text(p.read_text()) for p in files}
    return {p: kinds for p, kinds in found.items() if kinds}


def test_a_generated_tree_on_disk_holds_no_secret(brownie_output: Path) -> None:
    # What `alertgen generate` wrote for the Brownie fixture, marker file included.
    assert (brownie_output / "alertmanager" / "alertmanager.yml").is_file()
    assert _tree_secrets(brownie_output) == {}
    leaked = [
        f"{p.relative_to(brownie_output).as_posix()}: {key}"
        for p in sorted(brownie_output.rglob("*.yml"))
        for key in secret_keys(yaml.safe_load(p.read_text()))
    ]
    assert leaked == []


def test_the_committed_output_holds_no_secret() -> None:
    # Generic: holds for whatever specs/ holds, since a valid spec cannot carry a secret.
    assert _tree_secrets(REPO_OUTPUT) == {}, "a committed file under output/ looks like it holds a secret"


def test_alertmanager_reads_every_secret_from_a_file(brownie: Result) -> None:
    config = yaml.safe_load(brownie.texts[conv.alertmanager_path("production")])
    integrations = [
        (receiver["name"], kind, entry)
        for receiver in config["receivers"]
        for kind, entries in receiver.items()
        if kind.endswith("_configs")
        for entry in entries
    ]
    pagers = [e for _, kind, e in integrations if kind == "pagerduty_configs"]
    slacks = [e for _, kind, e in integrations if kind == "slack_configs"]
    assert pagers and slacks
    assert all(Path(e["routing_key_file"]).is_absolute() for e in pagers)
    assert all(Path(e["api_url_file"]).is_absolute() for e in slacks)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("routing_key: 0123456789abcdef0123456789abcdef", "PagerDuty key"),
        ("api_url: https://hooks.slack.com/services/T000/B000/XXXXXXXX", "Slack webhook URL"),
        ("token xoxb-1234567890-abcdefghij", "Slack token"),
        ("url: https://admin:hunter2@example.com/hook", "password in a URL"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload", "bearer token"),
        ("-----BEGIN RSA PRIVATE KEY-----", "private key"),
        ("key AKIAABCDEFGHIJKLMNOP", "cloud or API token"),
    ],
)
def test_the_scanner_sees_each_kind_of_secret(text: str, kind: str) -> None:
    assert secrets_in_text(text) == [kind]


@pytest.mark.parametrize(
    "config",
    [
        {"receivers": [{"name": "p", "pagerduty_configs": [{"routing_key": "x"}]}]},
        {"receivers": [{"name": "s", "slack_configs": [{"api_url": "https://example.com"}]}]},
        {"global": {"smtp_auth_password": "x"}},
        {"receivers": [{"name": "e", "email_configs": [{"auth_password": "x"}]}]},
        {
            "receivers": [
                {"name": "w", "webhook_configs": [{"http_config": {"authorization": {"credentials": "x"}}}]}
            ]
        },
    ],
)
def test_the_scanner_sees_secret_keys_with_values(config: dict[str, Any]) -> None:
    assert list(secret_keys(config))


def test_file_references_and_runbook_text_are_not_secrets(brownie: Result) -> None:
    config = {"receivers": [{"name": "p", "pagerduty_configs": [{"routing_key_file": "/etc/am/pd"}]}]}
    assert list(secret_keys(config)) == []
    assert secrets_in_text(brownie.texts[conv.runbook_path("brownie-metadata")]) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("see https://admin:hunter2@example.com/hook", "a URL with a password (user:password@)"),
        ("HTTPS://HOOKS.SLACK.COM/SERVICES/T0/B0/X", "a Slack webhook URL"),
        ("xoxp-1234567890-abcdefghij", "a Slack token"),
        ("https://acme.webhook.office.com/x", "a Microsoft Teams webhook URL"),
        ("call it with ?api_key=abc123", "a URL with a credential in its query string"),
        ("ghp_0123456789abcdefghijABCDEFGHIJ", "an API token"),
        ("AKIAABCDEFGHIJKLMNOP", "an API token"),
        ("sk-0123456789abcdefghijKLMN", "an API token"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"),
        (" 0123456789abcdef0123456789ABCDEF ", "an integration key"),
        ("page them with key 0123456789abcdef0123456789abcdef today", "an integration key"),
        ("https%3A%2F%2Fhooks.slack.com%2Fservices%2FT0%2FB0%2FX", "a Slack webhook URL"),
        (
            "https://events.example.com/integration/a8f3k29d0s8f7g6h5j4k3l2m1n0/enqueue",
            "a token in a URL path",
        ),
        ("https://github.com/acme/monitoring/blob/main/runbooks/RUNBOOK-database-migration.md", None),
        # A runbook kept in Google Docs: the long segment names the document (GOV.UK's fastly alerts).
        ("https://docs.google.com/document/d/1x7R2Sgpdeqd4kCiwPZp5RaeHJkOWOqgzckcMvn6tIbE/", None),
        ("sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", None),
        ("High error ratio on the checkout handler: check the logs, then the database.", None),
    ],
)
def test_the_spec_scanner_names_each_kind_it_refuses(text: str, words: str | None) -> None:
    # The generator's own recogniser, cheap substring tests first: none may hide a kind.
    from generator.spec.secrets import secret_kind

    assert secret_kind(text) == words


def _spec_classes() -> list[type]:
    import generator.spec as spec_package  # noqa: F401  - every spec class defined
    from generator.spec.base import SpecModel

    found: list[type] = []
    todo = [SpecModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def test_every_field_that_can_hold_text_is_scanned_for_secrets() -> None:
    # The scan skips fields by type; a field whose type mentions str must never be skipped.
    from generator.spec.secrets import text_fields

    skipped = [
        f"{cls.__name__}.{name}"
        for cls in _spec_classes()
        for name, info in cls.model_fields.items()
        if "str" in repr(info.annotation) and not name.endswith("_file") and name not in text_fields(cls)
    ]
    assert skipped == []
    assert len(_spec_classes()) > 20


def test_a_secret_written_into_a_generated_file_by_hand_is_found_by_check(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    specs = Path(__file__).parent / "golden" / "specs"
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(out)]).exit_code == 0
    hook = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
    runbook = out / "runbooks" / "checkout.md"
    lines = runbook.read_text().splitlines(keepends=True)
    lines.insert(3, f"Post to {hook} when paged.\n")
    runbook.write_text("".join(lines))
    result = CliRunner().invoke(main, ["check", "--specs", str(specs), "--out", str(out)])
    assert result.exit_code == 4
    [line] = [x for x in result.stdout.splitlines() if "secret/in-output" in x]
    assert line == (
        f"{out}/runbooks/checkout.md:4: error secret/in-output: holds a Slack webhook URL; generated files "
        "are committed, so keep the secret in a file (the receivers' *_file fields) and write where it is "
        "kept instead"
    )
    assert hook not in result.stdout  # named by where it is, never echoed


def test_a_secret_in_output_names_the_spec_line_its_text_came_from(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    # A service name that looks random becomes a long random path segment of its dashboard URL:
    # no spec field looks like a secret, the generated URL does.
    name = "chk1a2b3c4d5e6f7g8h9i0jk"
    source = (Path(__file__).parent / "golden" / "specs" / "checkout.py").read_text()
    assert source.count('name="checkout"') == 1
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "checkout.py").write_text(source.replace('name="checkout"', f'name="{name}"'))
    line = source.splitlines().index("service = Service(") + 1
    result = CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 4
    found = [x for x in result.output.splitlines() if "secret/in-output" in x]
    assert found
    for finding in found:
        assert finding.endswith(
            f": error secret/in-output: holds a token in a URL path, from {specs}/checkout.py:{line} "
            "(Service name); generated files are committed, so keep the secret in a file (the "
            "receivers' *_file fields) and write where it is kept instead"
        )
    assert not (tmp_path / "out").exists()
