"""Spec objects know the spec line that built them, and keep it through a process pool."""

from __future__ import annotations

import pickle
from pathlib import Path

from generator.errors import ErrorSink, Location
from generator.load import load_file
from generator.spec.runbook import Command


def test_objects_name_the_line_of_the_call_that_built_them(tmp_path: Path) -> None:
    spec = tmp_path / "m.py"
    spec.write_text(
        "from generator.spec.runbook import Command\n"
        "first = Command(code='uptime')\n"
        "def make():\n"
        "    return Command(\n"
        "        code='df -h',\n"
        "    )\n"
        "second = make()\n"
        "third = [Command(code=c) for c in ('a', 'b')]\n"
    )
    sink = ErrorSink()
    namespace: dict[str, object] = {}
    exec(compile(spec.read_text(), str(spec), "exec"), namespace)
    assert not sink.errors
    first, second, third = namespace["first"], namespace["second"], namespace["third"]
    assert isinstance(first, Command) and isinstance(second, Command) and isinstance(third, list)
    assert [first.location.line, second.location.line, third[0].location.line, third[1].location.line] == [
        2,
        4,
        8,
        8,
    ]
    assert load_file(spec, sink) == []  # no Service, Team or Routing in it


def test_a_pickled_spec_object_keeps_its_location_and_validity() -> None:
    command = Command(code="uptime")
    copy = pickle.loads(pickle.dumps(command))
    assert copy == command
    assert copy.location == command.location != Location("<unknown>", 0)
    assert copy.invalid is False
