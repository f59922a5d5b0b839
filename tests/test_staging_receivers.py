"""Staging tells only whom a receiver's `staging=` names, and receiver/staging-production
refuses a staging target that is production's pager key, Slack channel or addressee."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator import PagerDuty, Slack, SlackTarget
from generator.checks.report import text
from generator.pipeline import Result, run
from tests.checks.helpers import SHOP_SPECS, check, edited

SHOP = (SHOP_SPECS / "shop.py").read_text()
STAGING = "alertmanager/alertmanager.staging.yml"
SLACK = 'Slack(name="shop-chat", channel="#shop", api_url_file="/etc/alertmanager/secrets/shop-chat")'
PAGER = 'PagerDuty(name="shop-pager", routing_key_file="/etc/alertmanager/secrets/shop-pager")'


def _shop(tmp_path: Path, slack: str = SLACK, pager: str = PAGER) -> Result:
    source = SHOP.replace(SLACK, slack).replace(PAGER, pager)
    source = source.replace("    Slack,\n", "    Slack,\n    SlackTarget,\n    PagerDutyTarget,\n", 1)
    assert source.count("staging=") == (slack != SLACK) + (pager != PAGER)
    (tmp_path / "shop.py").write_text(source)
    return run(tmp_path)


def _found(result: Result) -> list[str]:
    return text([f for f in result.findings if f.check == "receiver/staging-production"]).splitlines()[:-1]


def test_staging_posts_to_its_declared_channel_and_pages_nobody(tmp_path: Path) -> None:
    result = _shop(
        tmp_path,
        slack=SLACK[:-1] + ', staging=SlackTarget(channel="#shop-staging", '
        'api_url_file="/etc/alertmanager/secrets/shop-staging-chat"))',
    )
    assert _found(result) == []
    staging = {r["name"]: r for r in yaml.safe_load(result.texts[STAGING])["receivers"]}
    assert staging["shop-chat"]["slack_configs"][0]["channel"] == "#shop-staging"
    assert staging["shop-chat"]["slack_configs"][0]["api_url_file"].endswith("shop-staging-chat")
    assert set(staging["shop-pager"]) == {"name"}  # no staging=: nobody is paged


def test_a_staging_target_repeating_production_slack_is_an_error(tmp_path: Path) -> None:
    result = _shop(
        tmp_path,
        slack=SLACK[:-1]
        + ', staging=SlackTarget(channel="#shop", api_url_file="/etc/alertmanager/secrets/shop-chat"))',
    )
    line = result.texts[STAGING].splitlines().index("- name: shop-chat") + 1
    assert _found(result) == [
        f"output/{STAGING}:{line}: error receiver/staging-production: receiver 'shop-chat': staging "
        "receiver 'shop-chat' reaches production: Slack #shop by /etc/alertmanager/secrets/shop-chat is "
        "also production receiver 'shop-chat''s, so staging noise lands where on-call works; give it "
        "staging=SlackTarget(channel=..., api_url_file=...) with a staging channel, webhook in the "
        "spec, or drop its staging="
    ]


def test_a_staging_pager_with_production_key_is_an_error(tmp_path: Path) -> None:
    result = _shop(
        tmp_path,
        pager=PAGER[:-1]
        + ', staging=PagerDutyTarget(routing_key_file="/etc/alertmanager/secrets/shop-pager"))',
    )
    (finding,) = _found(result)
    assert (
        "staging receiver 'shop-pager' reaches production: PagerDuty /etc/alertmanager/secrets/shop-pager"
        in finding
    )


def test_a_hand_edited_staging_config_reaching_production_is_found() -> None:
    files = edited(
        {
            STAGING: [
                (
                    "- name: shop-pager\n",
                    "- name: shop-pager\n  pagerduty_configs:\n"
                    "  - routing_key_file: /etc/alertmanager/secrets/shop-pager\n",
                )
            ]
        }
    )
    found = [f for f in check(files) if f.check == "receiver/staging-production"]
    assert [(f.path, f.route) for f in found] == [(f"output/{STAGING}", "receiver 'shop-pager'")]


@pytest.mark.parametrize(
    "make",
    [
        lambda: Slack(
            name="c", channel="#c", api_url_file="/s/c", staging=SlackTarget(channel="c", api_url_file="/s/d")
        ),
        lambda: PagerDuty(name="p", routing_key_file="/s/p", staging={"routing_key": "abc"}),
    ],
)
def test_a_bad_staging_target_is_a_spec_error(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError):  # a channel without '#', a literal key
        make()
