"""`alertgen check --prometheus URL` when the Prometheus does not answer as one should: one line,
its own exit code, no traceback, no hang, and never the URL's credentials.

The check's findings against a real Prometheus are tested in tests/e2e/test_e2e.py.
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import SPECS
from tests.e2e.procs import free_port

EXIT_PROMETHEUS = 6


def _check(out: Path, url: str, *more: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", "check", "--specs", str(SPECS), "--out", str(out)]
    return subprocess.run(
        [*command, "--prometheus", url, *more], capture_output=True, text=True, timeout=120, check=False
    )


def test_unreachable_prometheus_is_one_line_without_the_credentials(brownie_output: Path) -> None:
    port = free_port()
    proc = _check(brownie_output, f"http://admin:hunter2@127.0.0.1:{port}")
    assert proc.returncode == EXIT_PROMETHEUS
    assert "Traceback" not in proc.stderr and "hunter2" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"alertgen: --prometheus: cannot query http://…@127.0.0.1:{port}: <urlopen error [Errno 111] "
        "Connection refused>; nothing checked"
    ]


def test_credentials_in_the_url_are_sent_as_basic_auth(brownie_output: Path) -> None:
    seen: list[str] = []

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        seen.append(handler.headers.get("Authorization", ""))
        _json(b'{"status":"success","data":{"result":[{"value":[0,"1"]}]}}')(handler)

    with _server(answer) as url:
        proc = _check(brownie_output, url.replace("http://", "http://admin:hunter2@"))
    assert proc.returncode == 0, proc.stderr
    assert seen and set(seen) == {"Basic YWRtaW46aHVudGVyMg=="}


@contextmanager
def _server(answer: Callable[[http.server.BaseHTTPRequestHandler], None]) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            answer(self)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _json(body: bytes) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        handler.wfile.write(body)

    return answer


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"status":"success","data":5}', "{url} did not answer"),
        (b'{"status":"success","data":{"result":7}}', "{url} did not answer"),
        (b"[" * 100_000 + b"]" * 100_000, "cannot query {url}"),
        (b"not json", "cannot query {url}"),
    ],
    ids=["data-not-an-object", "result-not-a-list", "deeply-nested", "not-json"],
)
def test_an_answer_that_is_not_prometheus_s_is_one_line(brownie_output: Path, body: bytes, says: str) -> None:
    with _server(_json(body)) as url:
        proc = _check(brownie_output, url)
    assert proc.returncode == EXIT_PROMETHEUS
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith("alertgen: --prometheus: " + says.format(url=url))
    assert line.endswith("; nothing checked")


def test_a_server_that_drips_its_answer_is_given_up_on(brownie_output: Path) -> None:
    def drip(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        for _ in range(600):  # a byte every 0.1 s: each read is quick, the whole never ends in time
            try:
                handler.wfile.write(b" ")
                handler.wfile.flush()
            except OSError:
                return
            time.sleep(0.1)

    started = time.monotonic()
    with _server(drip) as url:
        proc = _check(brownie_output, url, "--prometheus-timeout", "2")
    assert proc.returncode == EXIT_PROMETHEUS
    assert proc.stderr.splitlines() == [
        f"alertgen: --prometheus: cannot query {url}: no complete answer within 2 s; nothing checked"
    ]
    assert time.monotonic() - started < 30
