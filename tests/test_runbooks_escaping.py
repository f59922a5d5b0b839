"""The Markdown filters: whatever the spec says, a CommonMark reader sees that text, not syntax."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator import conventions as conv
from generator.artifacts.runbooks import parse_runbook
from generator.render.markdown import (
    check_outline,
    code_span,
    escape_cell,
    escape_md,
    escape_text,
    fence,
)

from . import markdown_doc as md

# Markdown's special characters, weighted in, plus letters, digits, spaces and some non-ASCII.
TEXT = (
    st.lists(
        st.sampled_from(
            [*"\\`*_[]()<>&|~#!-+.=:;/\"' \tab1Z", "é", "🚨", "\ufe0f", "http://", "&amp;", "1."]
        ),
        min_size=1,
        max_size=20,
    )
    .map("".join)
    .filter(lambda s: s.strip())
)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _paragraph(markdown: str) -> list[tuple[str, str]]:
    toks = md.tokens(markdown + "\n")
    assert [t.type for t in toks] == ["paragraph_open", "inline", "paragraph_close"], markdown
    return [(c.type, c.content) for c in toks[1].children or []]


@given(TEXT)
def test_escaped_text_renders_as_itself(text: str) -> None:
    children = _paragraph(escape_text(text))
    assert {kind for kind, _ in children} <= {"text"}
    assert "".join(content for _, content in children) == _normal(text)


@given(TEXT)
def test_escaped_text_in_a_list_item_or_heading_stays_there(text: str) -> None:
    toks = md.tokens(f"- {escape_text(text)}\n")
    assert [t.type for t in toks][:3] == ["bullet_list_open", "list_item_open", "paragraph_open"]
    assert md.inline_text(toks[3]) == _normal(text)
    heads = md.headings(f"### {escape_text(text)}\n")
    assert [(h.level, h.text) for h in heads] == [(3, _normal(text))]
    # The checks' reader (which the renderer checks its outline with) and heading_text agree
    # with the parser, so anchors match.
    read = parse_runbook("x.md", f"### {escape_text(text)}\n")
    assert [(h.level, conv.heading_text(h.text)) for h in read.headings] == [(3, _normal(text))]


@given(TEXT)
def test_cells_keep_their_text_and_the_row_its_columns(text: str) -> None:
    # GFM unescapes `\\|` in code spans of a cell too: code ending in a backslash before a pipe
    # cannot be shown there; the runbooks only put names and durations in code in cells.
    code = text.replace("\\|", "/|")
    row = f"| {escape_cell(escape_text(text))} | {escape_cell(code_span(code))} | z |"
    table = md.tables(f"| a | b | c |\n| --- | --- | --- |\n{row}\n")
    assert table == [[["a", "b", "c"], [_normal(text), _normal(code), "z"]]]


@given(TEXT)
def test_code_spans_survive_backticks(text: str) -> None:
    children = _paragraph(code_span(text))
    assert children == [("code_inline", _normal(text))]


@given(TEXT)
def test_prose_keeps_its_inline_markdown_but_cannot_start_a_block(text: str) -> None:
    toks = md.tokens(f"- {escape_md(text)}\n")
    assert [t.type for t in toks][:3] == ["bullet_list_open", "list_item_open", "paragraph_open"]
    assert len([t for t in toks if t.type == "list_item_open"]) == 1
    assert not [c for t in toks for c in t.children or [] if c.type == "html_inline"]


def test_prose_markdown_is_kept() -> None:
    assert escape_md("Use `kubectl` and *care*\nthen go") == "Use `kubectl` and *care* then go"
    assert escape_md("# not a heading") == "\\# not a heading"
    assert escape_md("2. not a list") == "2\\. not a list"
    assert escape_cell("a | `b | c`") == "a \\| `b \\| c`"


def test_fence_outgrows_backtick_runs_and_strips_trailing_spaces() -> None:
    assert fence("echo '````'  \n", "bash") == "`````bash\necho '````'\n`````"
    blocks = md.fences(fence("a\n```\nb", "sql") + "\n")
    assert [(b.info, b.content) for b in blocks] == [("sql", "a\n```\nb\n")]


def test_heading_reader_skips_fenced_code() -> None:
    doc = "# A\n\n````md\n# not\n```\n# still not\n````\n\n## B ##\n"
    assert _headings(doc) == [(1, "A"), (2, "B")]


def _headings(markdown: str) -> list[tuple[int, str]]:
    return [(h.level, h.text) for h in parse_runbook("x.md", markdown).headings]


def test_a_heading_the_outline_does_not_expect_is_a_bug() -> None:
    outline = [conv.Heading(1, "A"), conv.Heading(2, "B")]
    assert check_outline("x.md", _headings("# A\n\n## B\n"), outline) == ["a", "b"]
    with pytest.raises(
        RuntimeError, match=r"x\.md: headings differ from the outline \(#2: rendered \(2, 'C'\)"
    ):
        check_outline("x.md", _headings("# A\n\n## C\n"), outline)
    with pytest.raises(RuntimeError, match="rendered 3 headings, expected 2"):
        check_outline("x.md", _headings("# A\n\n## B\n\n## D\n"), outline)


# What a link is, written plainly: the reader's own pattern is a faster form of this one.
_PLAIN_LINK = re.compile(
    r"(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*(?:<([^<>\n]*)>|(?!<)((?:[^()\s]|\([^()\s]*\))+))"
    r"(?:\s+\"[^\"]*\")?\s*\)"
)


@example("`[a](b)` [c](d) [`e`](f) ``[g](h)` x``")
@example('![i [a](b)](c) [d]( <e> "t" ) [f [g]](h) ![j](k)[l](m)')
@example("[a](<) [b](<c>) [d](e<f) [g](h(i)j) [k](l(m)")
@given(st.text(alphabet='[]()`x <!>"', max_size=40))
def test_the_reader_finds_the_links_outside_code_spans_wherever_the_backticks_fall(text: str) -> None:
    # The reader looks for code spans only when a backtick comes before a link; the result is
    # that of checking every link the plain pattern finds against every span of its line.
    from generator.artifacts.runbooks import _code_spans, _in_code

    line = f"x {text}"
    spans = _code_spans(line)
    expected = [
        (m.group(1), m.group(2) or m.group(3))
        for m in _PLAIN_LINK.finditer(line)
        if not _in_code(m.start(), spans)
    ]
    assert [(link.text, link.url) for link in parse_runbook("x.md", line).links] == expected
