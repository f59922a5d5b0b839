"""`alertgen verify`: promtool and amtool run on a generated tree, one line per failure.

`generate` checks that the artifacts agree with one another; only the real tools can say that
Prometheus and Alertmanager accept them and that the generated tests hold. The work is in the
child processes, so a thread pool of subprocesses is enough to keep every core busy.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import conventions as conv
from . import verify_routes, verify_targets
from .pipeline import default_jobs

TIMEOUT = 300.0  # seconds per tool call; a hung tool is killed and reported, never waited for
CHECK_RULES = "promtool check rules"
TEST_RULES = "promtool test rules"
CHECK_CONFIG = "amtool check-config"
ROUTES_TEST = "amtool config routes test"
TOOLS = (CHECK_RULES, TEST_RULES, CHECK_CONFIG, ROUTES_TEST)
PACKAGES = {"promtool": "prometheus", "amtool": "prometheus-alertmanager", "vmalert": "victoria-metrics"}

# One promtool call per batch keeps the command line short on large trees and still lets
# several batches run at once.
_RULES_PER_CALL = 100
_GIST_LINES = 3
_GIST_CHARS = 400
# amtool prints this on every `config routes test`; it says nothing about the config.
_AMTOOL_NOISE = "Warning: --config.file flag overrides"
_TEST_NAME = re.compile(r"^\s*name: (.*),\s*$")


class VerifyError(Exception):
    """Nothing could be verified: no such folder, no generated tree in it, or a tool missing."""


@dataclass(frozen=True, slots=True)
class Failure:
    """One check a tool failed: the tool, what it checked, the gist of what it said."""

    tool: str
    what: str
    message: str

    def line(self) -> str:
        """The failure as printed: `verify: <tool> <what>: <message>`."""
        return f"verify: {self.tool} {self.what}: {self.message}"


@dataclass
class Summary:
    """How many checks each tool ran and failed, and the routing tests left out."""

    out_dir: Path
    ran: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOOLS, 0))
    failed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOOLS, 0))
    alerts: int = 0
    configs: int = 0
    skipped: int = 0

    @property
    def failures(self) -> int:
        """Failed checks over all tools."""
        return sum(self.failed.values())

    def line(self) -> str:
        """One line: the failure count, then passed/run per tool."""
        n = self.failures
        units = {CHECK_RULES: "files", TEST_RULES: "files", CHECK_CONFIG: "files", ROUTES_TEST: "routes"}
        parts = [f"{t} {self.ran[t] - self.failed[t]}/{self.ran[t]} {units[t]} ok" for t in TOOLS]
        routes = f"{self.alerts} alerts, {self.configs} configs"
        if self.skipped:
            routes += f", {self.skipped} skipped: config failed check-config"
        parts[-1] += f" ({routes})"
        # The other targets' checks are listed when the tree holds their files.
        ran = [t for t in verify_targets.TOOLS if self.ran.get(t)]
        parts += [f"{t} {self.ran[t] - self.failed.get(t, 0)}/{self.ran[t]} files ok" for t in ran]
        return f"verify: {self.out_dir}: {n} failure{'s' if n != 1 else ''}; {', '.join(parts)}"


@dataclass(frozen=True, slots=True)
class _Case:
    service: str
    alert: str
    labels: tuple[tuple[str, str], ...]
    receivers: tuple[str, ...]


def verify(
    out_dir: Path,
    jobs: int | None = None,
    timeout: float = TIMEOUT,
    report: Callable[[Failure], None] = lambda failure: None,
) -> Summary:
    """Run every tool on the tree under `out_dir`; `report` gets each failure, in a stable order."""
    if not out_dir.is_dir():
        raise VerifyError(f"no output folder {str(out_dir)!r}; run `alertgen generate` first")
    rules = sorted((out_dir / conv.RULES_DIR).glob("*.rules.yml"))
    tests = sorted((out_dir / conv.TESTS_DIR).glob("*.test.yml"))
    # Production first, then the other environments by name.
    production = Path(conv.alertmanager_path("production")).name
    found = (out_dir / conv.ALERTMANAGER_DIR).glob("alertmanager*.yml")
    configs = sorted(found, key=lambda p: (p.name != production, p.name))
    targeted = verify_targets.files(out_dir)
    if not (rules or tests or configs or targeted):
        raise VerifyError(
            f"{out_dir} holds no rules, promtool tests or Alertmanager configs; run `alertgen generate` first"
        )
    needs_promtool = [t for t, _ in targeted if t != verify_targets.VMALERT_DRY_RUN]
    promtool = _tool("promtool") if rules or tests or needs_promtool else ""
    vmalert = _tool("vmalert") if any(t == verify_targets.VMALERT_DRY_RUN for t, _ in targeted) else ""
    amtool = _tool("amtool") if configs else ""
    workers = jobs or default_jobs()
    summary = Summary(out_dir)

    def note(tool: str, what: str, message: str | None) -> None:
        summary.ran[tool] = summary.ran.get(tool, 0) + 1
        if message is not None:
            summary.failed[tool] = summary.failed.get(tool, 0) + 1
            report(Failure(tool, what, message))

    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        # Configs first: the routing tests wait for them, as a broken config would fail every one.
        checked = [(c, pool.submit(_check_config, amtool, c, timeout)) for c in configs]
        size = max(1, min(_RULES_PER_CALL, math.ceil(len(rules) / workers)))
        batches = [rules[i : i + size] for i in range(0, len(rules), size)]
        linted = [(b, pool.submit(_check_rules, promtool, b, timeout)) for b in batches]
        tested = [(t, pool.submit(_test_rules, promtool, t, timeout)) for t in tests]
        others = [
            (
                tool,
                path,
                pool.submit(verify_targets.check, tool, path, promtool, vmalert, timeout, _run, _check_rules),
            )
            for tool, path in targeted
        ]
        cases, malformed = _cases(out_dir / conv.ROUTING_TESTS) if configs else ([], None)
        config_messages = [(c, future.result()) for c, future in checked]
        summary.alerts, summary.configs = len(cases), len(configs)
        runs: dict[tuple[Path, tuple[tuple[str, str], ...], tuple[str, ...]], Future[str | None]] = {}
        routed = []
        for c, message in config_messages:
            matchers = verify_routes.route_matchers(c) if message is None else None
            for case in cases if message is None else ():
                key = (c, verify_routes.routed(case.labels, matchers), case.receivers)
                if key not in runs:
                    runs[key] = pool.submit(_route, amtool, *key, timeout)
                routed.append((c, case, runs[key]))
        summary.skipped = len(cases) * len(configs) - len(routed)
        for batch, per_file in linted:
            for path, message in zip(batch, per_file.result(), strict=True):
                note(CHECK_RULES, str(path), message)
        for path, one in tested:
            note(TEST_RULES, str(path), one.result())
        for path, message in config_messages:
            note(CHECK_CONFIG, str(path), message)
        if malformed is not None:
            note(ROUTES_TEST, str(out_dir / conv.ROUTING_TESTS), malformed)
        for path, case, routing in routed:
            note(ROUTES_TEST, f"{path} alert {case.alert} ({case.service})", routing.result())
        for tool, path, other in others:
            note(tool, str(path), other.result())
    finally:
        # Ctrl-C or a closed stdout: drop the queued calls instead of running them all first.
        pool.shutdown(cancel_futures=True)
    return summary


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise VerifyError(
            f"{name} not found on PATH; install the Debian package {PACKAGES[name]} (`make tools`)"
        )
    return path


def _run(argv: Sequence[str], timeout: float) -> tuple[int | None, list[str]]:
    """Exit status (None: it did not finish) and output lines, stderr interleaved with stdout.

    promtool writes a file's header to stdout and its errors to stderr; one stream keeps them
    in order, so an error can be told apart from the file it belongs to.
    """
    try:
        proc = subprocess.run(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
            text=True,
            errors="replace",
        )
    except subprocess.TimeoutExpired:  # run() has killed the child already
        return None, [f"timed out after {timeout:g} s; killed"]
    except OSError as exc:
        return None, [f"cannot run {argv[0]}: {exc.strerror or exc}"]
    lines = [line for line in proc.stdout.splitlines() if not line.startswith(_AMTOOL_NOISE)]
    return proc.returncode, lines


def _gist(lines: Iterable[str], prefix: str = "") -> str:
    """The first distinct non-empty lines, joined; promtool repeats an error once per test group."""
    kept: list[str] = []
    for raw in lines:
        line = raw.strip().removeprefix(prefix)
        if line and line != "FAILED:" and line not in kept:
            kept.append(line)
    text = " / ".join(kept[:_GIST_LINES])
    if len(kept) > _GIST_LINES:
        text += f" (+{len(kept) - _GIST_LINES} more lines)"
    if len(text) > _GIST_CHARS:
        text = text[: _GIST_CHARS - 3] + "..."
    return text or "failed without a message"


def _check_rules(promtool: str, files: Sequence[Path], timeout: float) -> list[str | None]:
    """Per file, None when promtool accepts it, else why not."""
    code, lines = _run([promtool, "check", "rules", "--lint-fatal", *map(str, files)], timeout)
    if code == 0:
        return [None] * len(files)
    # promtool prints `Checking <file>` before each file's verdict; errors outside any section
    # (a usage error, a timeout) belong to every file not shown to pass.
    headers = {f"Checking {f}": str(f) for f in files}
    sections: dict[str, list[str]] = {}
    loose: list[str] = []
    current: list[str] = loose
    for line in lines:
        if line in headers:
            current = sections.setdefault(headers[line], [])
        else:
            current.append(line)
    out: list[str | None] = []
    for f in map(str, files):
        section = sections.get(f)
        if code is not None and section is not None and not any("FAILED" in s for s in section):
            out.append(None)
        elif section:
            out.append(_gist(section, prefix=f"{f}: "))
        else:
            out.append(_gist(loose))
    return out


def _test_rules(promtool: str, path: Path, timeout: float) -> str | None:
    """None when every test of the file passes, else its warnings and the failed tests' names."""
    code, lines = _run([promtool, "test", "rules", str(path)], timeout)
    if code == 0:
        return None
    lines = [line for line in lines if not line.startswith("Unit Testing:")]
    names = [m.group(1) for m in map(_TEST_NAME.match, lines) if m]
    if not names:
        return _gist(lines)
    warnings = [line.strip() for line in lines if line.strip().startswith("WARNING:")]
    shown = "; ".join(repr(n) for n in names[:_GIST_LINES])
    if len(names) > _GIST_LINES:
        shown += f"; +{len(names) - _GIST_LINES} more"
    failed = f"{len(names)} test{'s' if len(names) != 1 else ''} failed: {shown}"
    return " / ".join([*warnings, failed])


def _check_config(amtool: str, path: Path, timeout: float) -> str | None:
    """None when amtool accepts the config, else its reason."""
    code, lines = _run([amtool, "check-config", str(path)], timeout)
    if code == 0:
        return None
    for line in lines:
        # `Checking '<file>'  FAILED: <reason>`: the reason alone names the problem.
        _, found, reason = line.partition("FAILED: ")
        if found:
            return reason.strip()
    return _gist(line for line in lines if not line.startswith("amtool: error: failed to validate"))


def _route(
    amtool: str,
    config: Path,
    labels: tuple[tuple[str, str], ...],
    receivers: tuple[str, ...],
    timeout: float,
) -> str | None:
    """None when the labels reach exactly the expected receivers, in order, else where they went."""
    # Values quoted as amtool's matcher parser reads them: a comma or quote stays in the value.
    args = [f"{k}={_quote(v)}" for k, v in labels]
    expected = ",".join(receivers)
    argv = [amtool, "config", "routes", "test", f"--config.file={config}", f"--verify.receivers={expected}"]
    code, lines = _run([*argv, *args], timeout)
    if code == 0:
        return None
    errors = [line for line in lines if line.startswith("amtool: error:")]
    if code is None or errors or not lines:
        return _gist(errors or lines)
    return f"reached {lines[0].strip() or '(nothing)'}, expected {expected}"


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _cases(path: Path) -> tuple[list[_Case], str | None]:
    """The routing tests, or none and why the file cannot be read as them."""
    try:
        data: Any = yaml.safe_load(path.read_text())
    except OSError as exc:
        return [], f"cannot read: {exc.strerror or exc}"
    except yaml.YAMLError as exc:
        # PyYAML's own text spans several lines and quotes the document back.
        mark, problem = getattr(exc, "problem_mark", None), getattr(exc, "problem", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        return [], f"not YAML: {where}{problem or _gist(str(exc).splitlines())}"
    if not isinstance(data, list):
        return [], "not a list of {service, alert, labels, receivers}"
    cases = []
    for i, entry in enumerate(data, start=1):
        case = _case(entry)
        if case is None:
            return [], f"entry {i} is not {{service, alert, labels, receivers}} with at least one receiver"
        cases.append(case)
    return cases, None


def _case(entry: Any) -> _Case | None:
    if not isinstance(entry, dict):
        return None
    labels, receivers = entry.get("labels"), entry.get("receivers")
    if not isinstance(labels, dict) or not isinstance(receivers, list) or not receivers:
        return None
    # An empty --verify.receivers would make amtool verify nothing, so it is malformed above.
    return _Case(
        service=str(entry.get("service", "")),
        alert=str(entry.get("alert", labels.get("alertname", ""))),
        labels=tuple(sorted((str(k), str(v)) for k, v in labels.items())),
        receivers=tuple(str(r) for r in receivers),
    )
