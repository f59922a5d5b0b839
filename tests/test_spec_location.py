"""Spec objects know the line that built them: the bisected line table gives `f_lineno` exactly."""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType

import pytest

from generator.errors import ErrorSink
from generator.load import load_all
from generator.spec import base

from .bench.synth import write_specs
from .conftest import SPECS

ROOT = Path(__file__).resolve().parent


def test_every_spec_object_line_is_f_lineno(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bench = tmp_path / "bench"
    write_specs(bench, 2)
    fast = base.frame_line
    seen: list[tuple[int, int]] = []

    def both(frame: FrameType) -> int:
        seen.append((fast(frame), frame.f_lineno))
        return seen[-1][0]

    monkeypatch.setattr(base, "frame_line", both)
    for specs in (SPECS, ROOT / "golden" / "specs", ROOT / "checks" / "specs", bench):
        loaded = load_all(specs, ErrorSink())
        assert loaded.services
    assert len(seen) > 500
    assert [s for s in seen if s[0] != s[1]] == []


def test_lines_inside_functions_loops_and_multiline_calls(tmp_path: Path) -> None:
    source = "\n".join(
        [
            "import sys",
            "def where():",
            "    caller = sys._getframe(1)",
            "    return (frame_line(caller), caller.f_lineno)",
            "seen = [where()]",
            "for i in range(3):",
            "    seen.append(",
            "        where()",
            "    )",
            "def nested():",
            "    x = [",
            "        where() if True else None,",
            "    ]",
            "    return x[0]",
            "seen.append(nested())",
            "seen.append(where(",
            "))",
        ]
    )
    namespace: dict[str, object] = {"frame_line": base.frame_line}
    exec(compile(source, str(tmp_path / "m.py"), "exec"), namespace)
    assert namespace["seen"] == [(5, 5), (8, 8), (8, 8), (8, 8), (12, 12), (16, 16)]
    assert base.frame_line(sys._getframe()) == sys._getframe().f_lineno


def test_spec_objects_share_field_name_sets_but_not_changes_to_them() -> None:
    import pickle

    from generator.spec.runbook import Command

    first, second = Command(code="uptime"), Command(code="df -h")
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__  # one set, not 76,000
    copied = first.model_copy(update={"lang": "sh"})
    assert copied.model_fields_set == {"code", "lang"}
    assert first.model_fields_set == second.model_fields_set == {"code"}
    unpickled = pickle.loads(pickle.dumps(first))
    assert unpickled == first and unpickled.__pydantic_fields_set__ is first.__pydantic_fields_set__
