"""The hostile corpus: every file under tests/hostile/ is one spec module and one case.

Each case's header states what must happen (format: tests/hostile/README.md). The runner copies
the case into a fresh folder as `specs/case.py`, runs `python -m generator` there as a
subprocess under the case's timeout, and holds it to the acceptance rules of the hardening
issue on top of the stated outcome: no traceback, no hang, no file changed outside `out/`, no
secret in what it wrote or printed, and every exit-0 tree accepted by promtool and amtool.

A case marked `# known: <reason>` fails today; it runs as a strict xfail, so fixing the defect
fails the suite until the `known` line is removed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from tests.conftest import require_tool
from tests.test_secrets import secrets_in_text

CORPUS = Path(__file__).parent / "hostile"
# Where the case lands, relative to the working directory: messages must read `specs/case.py:LINE`.
CASE_FILE = "specs/case.py"
DEFAULT_TIMEOUT = 30.0
# Commands that take an output folder; `alertmanager` and `list` print to stdout instead.
OUT_COMMANDS = {"generate", "check"}
TOOLS = ("promtool", "amtool")
_HEADER = re.compile(r"^# (expect|stderr|stderr-re|stdout|args|timeout|known|env): (.*)$")
_EXPECT = re.compile(r"^exit (\d+)$")
# An error names the spec line, or only the spec folder when no line is to blame (no Service).
SPEC_ERROR_LINE = re.compile(r"^specs(/case\.py:\d+)?: \S")
SUMMARY_LINE = re.compile(r"^alertgen: (\d+) errors? in specs; nothing written$")
# Cases run side by side, a few more than there are cores: a hanging case only waits for its
# timeout (or spins on one core), and the corpus takes about as long as its slowest case.
WORKERS = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2) + 3

Tree = dict[str, tuple[int, int] | None]


@dataclass(frozen=True)
class Case:
    """One corpus file's header: what running alertgen on it must do."""

    name: str
    path: Path
    exit: int
    stderr: tuple[str, ...] = ()
    stderr_re: tuple[re.Pattern[str], ...] = ()
    stdout: str | None = None
    args: tuple[str, ...] = ("generate",)
    timeout: float = DEFAULT_TIMEOUT
    # A case states a timeout when it may run long (a hang): such cases are started first.
    slow: bool = False
    known: str | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def needs_tools(self) -> bool:
        """Whether an exit-0 run is checked with promtool or amtool."""
        return self.exit == 0 and (self.args[0] == "generate" or self.stdout is not None)


def parse_case(path: Path) -> Case:
    """Read the leading `# key: value` block of a case file; anything malformed is an error."""
    values: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match is None:
            # Strict, so that a typo (`# expects:`) cannot silently drop an expectation.
            raise ValueError(f"{path}:{number}: not a header line `# <key>: <value>`: {line!r}")
        values.setdefault(match.group(1), []).append(match.group(2))
    for key in ("expect", "stdout", "args", "timeout", "known"):
        if len(values.get(key, ())) > 1:
            raise ValueError(f"{path}: `# {key}:` given more than once")
    single = {key: v[0] for key, v in values.items()}
    expect = _EXPECT.match(single.get("expect", ""))
    if expect is None:
        raise ValueError(f"{path}: needs a header line `# expect: exit <code>`")
    if single.get("stdout", "yaml") != "yaml":
        raise ValueError(f"{path}: the only `# stdout:` check is `yaml`")
    return Case(
        name=path.stem,
        path=path,
        exit=int(expect.group(1)),
        stderr=tuple(values.get("stderr", ())),
        stderr_re=tuple(re.compile(p) for p in values.get("stderr-re", ())),
        stdout=single.get("stdout"),
        args=tuple(single.get("args", "generate").split()),
        timeout=float(single.get("timeout", DEFAULT_TIMEOUT)),
        slow="timeout" in single,
        known=single.get("known"),
        env=dict(item.partition("=")[::2] for item in values.get("env", ())),
    )


def corpus() -> list[Case]:
    """Every case of tests/hostile/, by file name."""
    return [parse_case(path) for path in sorted(CORPUS.glob("*.py"))]


@dataclass
class Run:
    """What one alertgen process did."""

    code: int | None  # None: killed at the timeout
    stdout: str
    stderr: str
    seconds: float


def command(case: Case) -> list[str]:
    """The argv for a case: its arguments, then the spec folder and, where it applies, `out`."""
    argv = [sys.executable, "-m", "generator", *case.args, "--specs", "specs"]
    if case.args[0] in OUT_COMMANDS:
        argv += ["--out", "out"]
    return argv


def execute(case: Case, workdir: Path) -> Run:
    """Run alertgen on the case in `workdir`; past the timeout kill its whole process group."""
    env = dict(os.environ)
    # Bytecode caches are the interpreter's doing, not alertgen's: off unless a case says
    # otherwise (`# env: PYTHONDONTWRITEBYTECODE=`), so the tree comparison is about alertgen.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(case.env)
    start = time.monotonic()
    # A session of its own, so that a timeout also kills the worker processes alertgen started.
    proc = subprocess.Popen(
        command(case),
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=case.timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = None
    return Run(code, out.decode(errors="replace"), err.decode(errors="replace"), time.monotonic() - start)


def snapshot(root: Path) -> Tree:
    """Every path under `root` outside `work/out`: files with (size, mtime_ns), folders as None."""
    tree: Tree = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if rel == "work/out" or rel.startswith("work/out/"):
            continue
        stat = path.lstat()
        tree[rel] = None if path.is_dir() else (stat.st_size, stat.st_mtime_ns)
    return tree


def tree_changes(before: Tree, after: Tree) -> list[str]:
    """Paths added, removed or modified between two snapshots."""
    return [
        f"{'added' if p not in before else 'removed' if p not in after else 'modified'} outside out/: {p}"
        for p in sorted(before.keys() | after.keys())
        if p not in before or p not in after or before[p] != after[p]
    ]


def secrets_in(name: str, text: str) -> list[str]:
    """Secret-looking values in a text, as it is and percent-decoded (`hooks.slack.com%2Fservices`)."""
    kinds = set(secrets_in_text(text)) | set(secrets_in_text(unquote(text)))
    return [f"{name} holds a {kind}" for kind in sorted(kinds)]


def spec_error_report(stderr: str) -> list[str]:
    """Problems with an exit-2 report: one `specs/case.py:LINE: ...` line per error, then the count."""
    lines = stderr.rstrip("\n").split("\n")
    summary = SUMMARY_LINE.match(lines[-1])
    if summary is None:
        return [f"stderr does not end with `alertgen: N errors in specs; nothing written`: {lines[-1]!r}"]
    errors = [line for line in lines[:-1] if not line.startswith("warning: ")]
    problems = [
        f"error line without `specs/case.py:LINE: `: {line[:300]!r}"
        for line in errors
        if not SPEC_ERROR_LINE.match(line)
    ]
    if len(errors) != int(summary.group(1)):
        problems.append(f"{len(errors)} error lines for a count of {summary.group(1)}")
    return problems


def missing_tools() -> list[str]:
    """A problem per missing binary; the test itself has skipped (or, under CI, failed) by then."""
    return [f"{name} is not installed" for name in TOOLS if shutil.which(name) is None]


def tool(name: str) -> str:
    """The path of an installed binary."""
    return shutil.which(name) or name


def rejection(argv: list[str], timeout: float, cwd: Path | None = None) -> str | None:
    """None when a tool accepts its input, else what it said (a hung tool is a rejection too)."""
    what = f"`{Path(argv[0]).name} {' '.join(argv[1:3])}`"
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"{what} still running after {timeout:g} s"
    return (
        None
        if proc.returncode == 0
        else f"{what} exit {proc.returncode}: {(proc.stdout + proc.stderr)[-1500:]}"
    )


def tool_problems(out: Path, timeout: float) -> list[str]:
    """What promtool and amtool reject in a generated tree (check rules, test rules, check-config)."""
    if missing_tools():
        return missing_tools()
    rules = sorted(str(p) for p in (out / "prometheus/rules").glob("*.yml"))
    tests = sorted(p.name for p in (out / "prometheus/tests").glob("*.yml"))
    configs = sorted(str(p) for p in (out / "alertmanager").glob("alertmanager*.yml"))
    if not (rules and tests and configs):
        return [f"exit 0 without rules, tests and Alertmanager configs under out/: {rules, tests, configs}"]
    verdicts = [
        rejection([tool("promtool"), "check", "rules", "--lint-fatal", *rules], timeout),
        # promtool resolves a test file's rule_files against its working directory.
        rejection([tool("promtool"), "test", "rules", *tests], timeout, cwd=out / "prometheus/tests"),
        *(rejection([tool("amtool"), "check-config", config], timeout) for config in configs),
    ]
    return [verdict for verdict in verdicts if verdict]


def stdout_problems(case: Case, stdout: str, scratch: Path) -> list[str]:
    """`# stdout: yaml`: stdout is one YAML mapping and nothing else; amtool checks a config."""
    try:
        document = yaml.safe_load(stdout)
    except yaml.YAMLError as exc:
        return [f"stdout is not YAML ({str(exc)[:200]}); it begins {stdout[:200]!r}"]
    if not isinstance(document, dict):
        return [f"stdout is not a YAML mapping; it begins {stdout[:200]!r}"]
    if case.args[0] != "alertmanager":
        return []
    if missing_tools():
        return missing_tools()
    config = scratch / "stdout.yml"
    config.write_text(stdout, encoding="utf-8")
    verdict = rejection([tool("amtool"), "check-config", str(config)], case.timeout)
    return [f"stdout: {verdict}"] if verdict else []


def check_case(case: Case, root: Path) -> list[str]:
    """Run one case under the empty folder `root` and list every way it misses its stated outcome."""
    # The working directory one level down, so that a write beside it (`../out`) is seen too.
    workdir = root / "work"
    (workdir / "specs").mkdir(parents=True)
    shutil.copyfile(case.path, workdir / CASE_FILE)
    before = snapshot(root)
    run = execute(case, workdir)
    if run.code is None:
        return [f"still running after its {case.timeout:g} s timeout; killed its process group"]
    problems = [
        f"a traceback on {name}"
        for name, text in (("stdout", run.stdout), ("stderr", run.stderr))
        if "Traceback" in text
    ]
    if run.code != case.exit:
        problems.append(f"exit {run.code}, expected {case.exit}")
    lines = run.stderr.splitlines()
    problems += [f"no stderr line is exactly {want!r}" for want in case.stderr if want not in lines]
    problems += [
        f"no stderr line matches {want.pattern!r}"
        for want in case.stderr_re
        if not any(want.fullmatch(line) for line in lines)
    ]
    if case.exit == 2 and run.code == 2:
        problems += spec_error_report(run.stderr)
        if (workdir / "out").exists():
            problems.append("exit 2, yet out/ was created")
    problems += tree_changes(before, snapshot(root))
    problems += secrets_in("stdout", run.stdout) + secrets_in("stderr", run.stderr)
    out = workdir / "out"
    if out.is_dir():
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            problems += secrets_in(path.relative_to(workdir).as_posix(), path.read_text(errors="replace"))
    if case.stdout == "yaml" and run.code == 0:
        problems += stdout_problems(case, run.stdout, root)
    if case.exit == 0 and run.code == 0 and case.args[0] == "generate":
        problems += tool_problems(out, case.timeout)
    if problems:
        problems.append(f"stderr ends: {run.stderr[-1500:]!r}")
    return problems


@pytest.fixture(scope="session")
def corpus_problems(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """Every selected case run once, side by side: case name -> its problems."""
    selected = [
        item.callspec.params["case"]
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.originalname == "test_hostile_case"
    ]
    with ThreadPoolExecutor(WORKERS) as pool:
        # Cases that may hang first, longest timeout first, so that the rest run beside them.
        ordered = sorted(selected, key=lambda c: (not c.slow, -c.timeout))
        futures = {c.name: pool.submit(check_case, c, tmp_path_factory.mktemp(c.name)) for c in ordered}
        return {name: future.result() for name, future in futures.items()}


def params() -> list[object]:
    """Every case as a pytest param named after its file; `known` cases as strict xfails."""
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=case.known)] if case.known else [],
        )
        for case in corpus()
    ]


@pytest.mark.parametrize("case", params())
def test_hostile_case(case: Case, request: pytest.FixtureRequest) -> None:
    """One corpus case meets its stated outcome and the corpus-wide acceptance rules."""
    if case.needs_tools:
        for name in TOOLS:
            require_tool(name)
    problems = request.getfixturevalue("corpus_problems")[case.name]
    assert not problems, f"tests/hostile/{case.path.name}:\n  " + "\n  ".join(problems)


def test_runner_kills_a_case_past_its_timeout(tmp_path: Path) -> None:
    """The runner itself: a spec that never returns is killed with its process group, not waited for."""
    source = tmp_path / "loop.py"
    source.write_text("# expect: exit 2\n# timeout: 1\nwhile True:\n    pass\n")
    (tmp_path / "run").mkdir()
    start = time.monotonic()
    problems = check_case(parse_case(source), tmp_path / "run")
    assert problems == ["still running after its 1 s timeout; killed its process group"]
    assert time.monotonic() - start < 10


def test_the_corpus_is_there_and_named_uniquely() -> None:
    """A moved corpus folder must not pass as an empty one."""
    names = [case.name for case in corpus()]
    assert len(names) == len(set(names)) >= 40


MARKER = "# <- error line"
# `specs/case.py:12` in an exact line, `specs/case\.py:12` or `specs/case\.py:(12|13)` in a regex.
_LINE_REF = re.compile(r"case\\?\.py:\(?(\d+(?:\|\d+)*)")


def test_every_stated_line_is_marked_in_its_case() -> None:
    """The line numbers a header states are the lines marked `# <- error line`, and only those.

    Editing a case above its marked line (an import, a longer docstring) moves that line; this
    names the case instead of leaving it to fail, or xfail, for the wrong reason.
    """
    stale = {}
    for case in corpus():
        lines = case.path.read_text(encoding="utf-8").splitlines()
        marked = {number for number, line in enumerate(lines, 1) if line.endswith(MARKER)}
        header = " ".join([*case.stderr, *(p.pattern for p in case.stderr_re)])
        stated = {int(n) for ref in _LINE_REF.findall(header) for n in ref.split("|")}
        if stated != marked:
            stale[case.name] = (sorted(stated), sorted(marked))
    assert not stale, f"case: (lines the header states, lines marked {MARKER!r}): {stale}"
