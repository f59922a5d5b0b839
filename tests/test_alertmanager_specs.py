"""Bad routing specs: secrets written literally, undeclared names, shadowed entries; exact messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import conventions as conv
from generator.cli import main
from generator.pipeline import run

BASE = (
    (Path(__file__).parent / "badspecs" / "base.py.txt")
    .read_text()
    .replace(
        "Tier, Tiers\n",
        "Tier, Tiers\nfrom generator import Email, Notify, PagerDuty, Route, Routing, Slack, Team, Webhook\n",
        1,
    )
)
# Lines 36-47 of specs/shop.py.
TEAM = """\
team = Team(
    name="shop-team",
    receivers=(
        PagerDuty(name="shop-pager", routing_key_file="/run/secrets/shop-pager"),
        Slack(name="shop-chat", channel="#shop", api_url_file="/run/secrets/shop-slack"),
        Webhook(name="shop-hook", url="https://hooks.example.com/alert"),
    ),
    notify=(
        Notify(severity="critical", receivers=("shop-pager", "shop-chat")),
        Notify(severity="warning", receivers=("shop-chat",)),
    ),
)
"""
SLACK = 'Slack(name="shop-chat", channel="#shop", api_url_file="/run/secrets/shop-slack")'
SECRET_HINT = "secrets must not be written in a spec, only referred to by a *_file field naming the file that holds them"
FILE_HINT = (
    "expects the absolute path of a file that holds the secret, e.g. '/etc/alertmanager/secrets/<name>', "
    "not the secret itself (the value is not shown here)"
)

CASES: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    (
        "unclosed-notification-template",
        [(SLACK, SLACK.replace("api_url_file=", 'title="{{ .CommonLabels.alertname", api_url_file='))],
        [
            "specs/shop.py:40: Slack 'shop-chat': title: unclosed '{{' in notification template; "
            "close it with '}}'"
        ],
    ),
    (
        "literal-slack-webhook-url",
        [
            (
                SLACK,
                'Slack(name="shop-chat", channel="#shop", api_url="https://hooks.slack.com/services/T0/B0/XXXXXXXX")',
            )
        ],
        [
            "specs/shop.py:40: Slack 'shop-chat': api_url: a Slack webhook URL is a secret and must not be written "
            "in a spec; store it in a file Alertmanager can read and set api_url_file= to that file's path"
        ],
    ),
    (
        "literal-pagerduty-key",
        [('routing_key_file="/run/secrets/shop-pager"', 'routing_key="0123456789abcdef0123456789abcdef"')],
        [
            "specs/shop.py:39: PagerDuty 'shop-pager': routing_key: a PagerDuty routing key is a secret and must "
            "not be written in a spec; store it in a file Alertmanager can read and set routing_key_file= to that "
            "file's path"
        ],
    ),
    (
        "key-in-the-file-field",
        [
            (
                'routing_key_file="/run/secrets/shop-pager"',
                'routing_key_file="0123456789abcdef0123456789abcdef"',
            )
        ],
        [f"specs/shop.py:39: PagerDuty 'shop-pager': routing_key_file: {FILE_HINT}"],
    ),
    (
        "webhook-url-with-password",
        [('url="https://hooks.example.com/alert"', 'url="https://bot:hunter2@hooks.example.com/alert"')],
        [
            f"specs/shop.py:41: Webhook 'shop-hook': url: looks like a URL with a password (user:password@); {SECRET_HINT}"
        ],
    ),
    (
        "webhook-url-with-token",
        [('url="https://hooks.example.com/alert"', 'url="https://hooks.example.com/alert?token=abc123"')],
        [
            "specs/shop.py:41: Webhook 'shop-hook': url: looks like a URL with a credential in its query string; "
            + SECRET_HINT
        ],
    ),
    (
        "slack-webhook-in-a-template",
        [(SLACK, SLACK[:-1] + ', text="see https://hooks.slack.com/services/T0/B0/XXXX")')],
        [f"specs/shop.py:40: Slack 'shop-chat': text: looks like a Slack webhook URL; {SECRET_HINT}"],
    ),
    (
        "literal-smtp-password",
        [
            (
                '        Webhook(name="shop-hook", url="https://hooks.example.com/alert"),',
                '        Email(name="shop-mail", to=("shop@example.com",), sender="am@example.com", '
                'smarthost="smtp.example.com:587", auth_username="am", password="hunter2"),',
            )
        ],
        [
            "specs/shop.py:41: Email 'shop-mail': password: a password is a secret and must not be written in a "
            "spec; store it in a file Alertmanager can read and set auth_password_file= to that file's path"
        ],
    ),
    (
        "undeclared-receiver",
        [('receivers=("shop-pager", "shop-chat")', 'receivers=("shop-pagr", "shop-chat")')],
        [
            "specs/shop.py:44: Notify 'severity=critical': receiver 'shop-pagr' is not declared; did you mean 'shop-pager'?"
        ],
    ),
    (
        "undeclared-team",
        [('team="shop-team"', 'team="shop-teem"')],
        [
            "specs/shop.py:27: Service 'shop': team 'shop-teem' is not declared; declare Team(name='shop-teem', ...) "
            "or use one of: shop-team"
        ],
    ),
    (
        "shadowed-notify",
        [("    notify=(\n", '    notify=(\n        Notify(receivers=("shop-chat",)),\n')],
        [
            "specs/shop.py:45: Notify 'severity=critical': never used: the earlier Notify 'any alert' (line 44) "
            "catches every alert this one would; the first matching entry wins, so move this one up or remove it",
            "specs/shop.py:46: Notify 'severity=warning': never used: the earlier Notify 'any alert' (line 44) "
            "catches every alert this one would; the first matching entry wins, so move this one up or remove it",
        ],
    ),
    (
        "duplicate-receiver",
        [('Webhook(name="shop-hook"', 'Webhook(name="shop-chat"')],
        [
            "specs/shop.py:41: Webhook 'shop-chat': duplicate receiver name; first declared at specs/shop.py:40; "
            "receiver names are global in Alertmanager, rename one"
        ],
    ),
    (
        "bad-route-matcher",
        [
            (
                "    notify=(\n",
                '    routes=(Route(matchers=("team shop",), receivers=("shop-hook",)),),\n    notify=(\n',
            )
        ],
        [
            "specs/shop.py:43: Route 'team shop': matchers: bad matcher 'team shop'; write "
            'name="value" with one of = != =~ !~'
        ],
    ),
    (
        "route-regex-not-re2",
        [
            (
                "    notify=(\n",
                '    routes=(Route(matchers=(\'job=~"(?!shop).*"\',), receivers=("shop-hook",)),),\n    notify=(\n',
            )
        ],
        [
            "specs/shop.py:43: Route 'job=~\"(?!shop).*\"': matchers: regex '(?!shop).*' uses lookaround or a "
            "backreference, which Alertmanager's Go regexes (RE2) do not support"
        ],
    ),
    (
        "undeclared-time-interval",
        [
            (
                'Notify(severity="warning", receivers=("shop-chat",))',
                'Notify(severity="warning", receivers=("shop-chat",), mute_time_intervals=("nights",))',
            )
        ],
        [
            "specs/shop.py:45: Notify 'severity=warning': time interval 'nights' is not declared; declare it in "
            "time_intervals="
        ],
    ),
    (
        "two-routings",
        [("team = Team(", "a = Routing()\nb = Routing()\nteam = Team(")],
        ["specs/shop.py:37: Routing: only one Routing may be declared; the first is at specs/shop.py:36"],
    ),
]


def _generate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> tuple[int, str]:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "shop.py").write_text(source)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["generate", "--specs", "specs", "--out", "out"])
    return result.exit_code, result.stderr


def _apply(subs: list[tuple[str, str]]) -> str:
    source = BASE + TEAM
    for old, new in subs:
        assert old in source, f"case text not in base spec: {old!r}"
        source = source.replace(old, new, 1)
    return source


def test_base_routing_spec_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, stderr = _generate(tmp_path, monkeypatch, BASE + TEAM)
    assert code == 0, stderr
    assert (tmp_path / "out" / "alertmanager" / "alertmanager.yml").is_file()


@pytest.mark.parametrize(("subs", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_bad_routing_spec_gets_exact_one_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subs: list[tuple[str, str]], expected: list[str]
) -> None:
    code, stderr = _generate(tmp_path, monkeypatch, _apply(subs))
    lines = [line for line in stderr.splitlines() if not line.startswith("warning: ")]
    n = len(expected)
    assert lines == [*expected, f"alertgen: {n} error{'s' if n != 1 else ''} in specs; nothing written"]
    assert code == 2
    assert not (tmp_path / "out").exists()


def test_secret_values_are_never_repeated_in_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "0123456789abcdef0123456789abcdef"
    source = _apply([('routing_key_file="/run/secrets/shop-pager"', f'routing_key_file="{secret}"')])
    code, stderr = _generate(tmp_path, monkeypatch, source)
    assert code == 2
    assert "routing_key_file" in stderr
    assert secret not in stderr


def test_specs_without_teams_route_everything_to_the_default_receiver(tmp_path: Path) -> None:
    # Rendered without the checks: `alertgen generate` refuses such output (route/unrouted).
    (tmp_path / "shop.py").write_text(BASE)
    files = run(tmp_path).texts
    tests = yaml.safe_load(files[conv.ROUTING_TESTS])
    assert [t["receivers"] for t in tests] == [[conv.DEFAULT_RECEIVER]] * 2
    assert yaml.safe_load(files[conv.alertmanager_path("production")])["receivers"] == [{"name": "default"}]
