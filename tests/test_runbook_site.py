"""The runbook site in a real browser (headless Debian chromium): every alert's runbook_url, with
the site as its base, opens its page scrolled to its section; the routing diagram is an SVG;
no console errors; nothing is loaded from outside the site. A screenshot is kept in
test-artifacts/. Built from tests/fixtures/review, never the repository's specs/."""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.pipeline import run
from generator.review.site import build
from tests.conftest import FIXTURES, ROOT, require_tool

ARTIFACTS = ROOT / "test-artifacts"
GITHUB_BASE = "https://github.com/acme/payments-monitoring/blob/main/output/runbooks/"


def _need(module: str) -> None:
    """An optional dependency of the `docs` group; missing, a skip, or a failure under CI."""
    try:
        __import__(module)
    except ImportError:
        message = f"{module} is not installed (pip install -e '.[docs]'; `make test` does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """The site built from the fixture, the site's URL as Conventions(runbook_base_url=...),
    served on a free port: `(site URL, specs folder, site folder)`."""
    _need("mkdocs")
    _need("material")
    _need("selenium")
    mermaid = subprocess.run(
        [str(ROOT / ".ci" / "fetch-mermaid")], capture_output=True, text=True, check=True, timeout=300
    ).stdout.strip()
    root = tmp_path_factory.mktemp("site")
    site = root / "site"
    site.mkdir()
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    specs = root / "specs"
    specs.mkdir()
    source = (FIXTURES / "review" / "payments.py").read_text()
    own = f'    runbook_base_url="{GITHUB_BASE}",\n'
    assert own in source
    # The site's URL as the repository's setting, for every service that sets none of its own.
    house = f'\nfrom generator import Conventions\n\nhouse = Conventions(runbook_base_url="{url}")\n'
    (specs / "payments.py").write_text(source.replace(own, "") + house)
    build(specs, site, Path(mermaid))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url, specs, site
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless chromium through chromedriver, its console log kept."""
    _need("selenium")
    chromium = require_tool("chromium")
    driver_path = require_tool("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver: object, script: str, timeout: float = 20.0) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script)  # type: ignore[attr-defined]
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def _errors(driver: object) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]  # type: ignore[attr-defined]


def _outside(driver: object, site: str) -> list[str]:
    names = driver.execute_script(  # type: ignore[attr-defined]
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return [n for n in names if not n.startswith(site)]


def test_every_runbook_url_opens_its_section(served: tuple[str, Path, Path], browser: object) -> None:
    url, specs, _ = served
    alerts = [(a.title, a.runbook_url, a.anchor) for s in run(specs).model.services for a in s.alerts]
    assert len(alerts) == 3 and all(link.startswith(url) for _, link, _ in alerts)
    for title, link, anchor in alerts:
        browser.get(link)  # type: ignore[attr-defined]
        assert _wait(browser, "return document.readyState === 'complete'")
        # The section's heading is at the top of the window (below the header), not elsewhere.
        top = _wait(
            browser,
            f"const h = document.getElementById({anchor!r}); if (!h) return null;"
            " const t = h.getBoundingClientRect().top; return (t >= 0 && t < 150) ? t + 1 : null",
        )
        assert top, f"{title}: {link} is not scrolled to #{anchor}"
        heading = browser.execute_script(f"return document.getElementById({anchor!r}).textContent")  # type: ignore[attr-defined]
        assert heading.strip() == title
        assert _errors(browser) == [], title
        assert _outside(browser, url) == [], title
        if title == alerts[0][0]:  # what on-call sees first: kept (docs/images/runbook-section.png)
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "runbook-section.png"
            assert browser.save_screenshot(str(shot))  # type: ignore[attr-defined]
            assert shot.stat().st_size > 10_000


def test_the_index_draws_the_routing_diagram_as_svg(served: tuple[str, Path, Path], browser: object) -> None:
    url, _, _ = served
    browser.get(url)  # type: ignore[attr-defined]
    drawn = _wait(browser, "return document.querySelectorAll('.diagram-mermaid svg').length")
    assert drawn == 1, "the routing diagram was not rendered as an SVG"
    footer = browser.execute_script("return document.querySelector('.md-copyright').textContent")  # type: ignore[attr-defined]
    assert "payments 2.3.0" in footer  # the spec version, on every page
    assert _errors(browser) == []
    assert _outside(browser, url) == []
    browser.execute_script("document.querySelector('.diagram-mermaid').scrollIntoView()")  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "runbook-site-index.png"
    assert browser.save_screenshot(str(shot))  # type: ignore[attr-defined]
    assert shot.stat().st_size > 10_000


def test_the_site_is_built_whole_and_stays_out_of_git(served: tuple[str, Path, Path]) -> None:
    _, _, site = served
    assert (site / "index.html").is_file()
    assert (site / "payments" / "index.html").is_file()
    assert (site / "payments.md" / "index.html").is_file()
    assert (site / "js" / "mermaid.min.js").is_file()
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "/site/" in ignored and "/test-artifacts/" in ignored


def test_the_repository_setting_reaches_rules_dashboard_and_checks(served: tuple[str, Path, Path]) -> None:
    url, specs, _ = served
    result = run(specs)
    assert [f.message for f in result.findings if f.level == "error"] == []
    board = json.loads(result.files["grafana/dashboards/payments.json"])
    assert {"title": "Runbook", "url": f"{url}payments.md"}.items() <= next(
        link for link in board["links"] if link["title"] == "Runbook"
    ).items()
