"""Real daemons for the e2e test: free ports, readiness, a webhook sink, and a stop that always happens."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str, timeout: float = 5) -> Any:
    """GET `url` and parse the JSON answer."""
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return json.load(resp)


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, logs: Sequence[Path] = ()) -> T:
    """Poll `probe` until it returns something truthy; fail naming `what` (and the daemon logs) on timeout."""
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            result = probe()
            if result:
                return result
            last = result
        except (OSError, ValueError, KeyError) as exc:  # not up yet, or a half-written answer
            last = exc
        if time.monotonic() > deadline:
            tail = "".join(
                f"\n--- {log.name} (last lines) ---\n" + "\n".join(log.read_text().splitlines()[-30:])
                for log in logs
                if log.exists()
            )
            raise AssertionError(
                f"timed out after {timeout:g}s waiting for {what}; last probe: {last!r}{tail}"
            )
        time.sleep(0.2)


class Daemon:
    """A started binary with its log file; `stop()` terminates it, then kills it."""

    def __init__(self, name: str, args: list[str], log: Path) -> None:
        self.name = name
        self.log = log
        with open(log, "wb") as out:
            # A session of its own: a stop signal reaches the daemon, never the test runner.
            self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def alive(self) -> bool:
        """Still running."""
        return self.proc.poll() is None

    def stop(self) -> None:
        """SIGTERM, up to 10 s to exit, then SIGKILL of its whole process group."""
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def reload(self) -> None:
        """SIGHUP: Prometheus and Alertmanager re-read their configuration."""
        self.proc.send_signal(signal.SIGHUP)


@contextmanager
def running(name: str, args: list[str], log: Path, ready_url: str, timeout: float = 30) -> Iterator[Daemon]:
    """Start a daemon, wait until `ready_url` answers 200, and stop it whatever happens."""
    daemon = Daemon(name, args, log)
    try:

        def ready() -> bool:
            if not daemon.alive():
                raise AssertionError(
                    f"{name} exited with {daemon.proc.returncode}:\n{log.read_text()[-3000:]}"
                )
            with urllib.request.urlopen(ready_url, timeout=2) as resp:
                return bool(resp.status == 200)

        wait_for(f"{name} to be ready at {ready_url}", ready, timeout, [log])
        yield daemon
    finally:
        daemon.stop()


class WebhookSink:
    """An Alertmanager webhook receiver that records every notification it is sent."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[dict[str, Any]] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                payload = json.loads(body)
                payload["_path"] = self.path
                with sink._lock:
                    sink._received.append(payload)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-sink", daemon=True)

    @property
    def url(self) -> str:
        """The URL Alertmanager posts to."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/alerts"

    def notifications(self) -> list[dict[str, Any]]:
        """Every payload received so far (Alertmanager's webhook JSON)."""
        with self._lock:
            return list(self._received)

    def delivered(self, alertname: str, status: str | None = "firing") -> list[tuple[str, dict[str, Any]]]:
        """`(receiver, alert)` for each delivery of `alertname` in the given status (None: any)."""
        return [
            (n["receiver"], a)
            for n in self.notifications()
            for a in n["alerts"]
            if a["labels"].get("alertname") == alertname and status in (None, a["status"])
        ]

    def receivers(self, alertname: str, status: str = "firing") -> set[str]:
        """The receivers that were told about `alertname` in the given status."""
        return {receiver for receiver, _ in self.delivered(alertname, status)}

    def __enter__(self) -> WebhookSink:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
