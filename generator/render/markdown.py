"""Markdown for the runbooks: the jinja2 environment, escaping filters and the heading check.

Spec text reaches Markdown through one of these filters, never raw:
- `text`: plain text (titles, names); every character that Markdown would read as syntax is
  escaped, so the rendered text is the spec text.
- `md`: prose that may use inline Markdown (code spans, emphasis, links) but not HTML; only what
  would break the surrounding block is neutralised: line breaks, and a leading `#`, `>`, `-`,
  `1.`, a fence ...
- `cell`: after one of the above, for a table cell, where `|` would end the cell.
- `code`: an inline code span that survives backticks in the code.
- `fence`: a fenced code block with its language, long enough for backticks in the code.
- `url`: a link destination without spaces or parentheses that would end it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import promql_parser as pp
from jinja2 import Environment, PackageLoader, StrictUndefined

from .. import conventions as conv

# Characters that start inline syntax anywhere in a line (code, emphasis, links, HTML, entities,
# GFM strikethrough and tables; `#` would close a heading). `_` only matters at a word boundary:
# intraword `_` is literal; `<` only before what could open a tag or autolink. `>` only matters at
# the start of a line (see _BLOCK_START).
_INLINE_SPECIAL = re.compile(r"([\\`*\[\]&|~#]|<(?=[A-Za-z/!?])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
# What makes a line a block of its own when it starts one: heading, quote, list item, table row,
# setext underline, code fence (a backtick fence only when no backtick follows it).
_BLOCK_START = re.compile(r"^(#|>|[-+*=](?=\s|$)|\||(\d{1,9})[.)](?=\s|$)|~~~|```+(?=[^`]*$))")
# A run of one of `-`, `*`, `_` (with spaces) is a thematic break, also behind a list marker.
_THEMATIC = re.compile(r"([-*_])(?: *\1)* *")
_CELL_PIPE = re.compile(r"(?<!\\)\|")
_BACKTICKS = re.compile(r"`+")
_HTML_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


def _one_line(value: str) -> str:
    # A line break in spec text would end the list item or table row it sits in; the heading
    # outline (conventions.runbook_alert_outline) normalises titles the same way.
    return conv.one_line(value)


# Every first character _THEMATIC or _BLOCK_START can match: any other needs no guard.
_BLOCK_FIRST = frozenset("#>-+*=_|~`0123456789")


def _guard_block_start(value: str) -> str:
    if value[:1] not in _BLOCK_FIRST:  # the common case, without two regex calls
        return value
    if _THEMATIC.fullmatch(value):
        return "\\" + value
    match = _BLOCK_START.match(value)
    if match is None:
        return value
    if match.group(2) is not None:  # `1.` -> `1\.`
        end = len(match.group(2))
        return f"{value[:end]}\\{value[end:]}"
    return "\\" + value


def escape_text(value: object) -> str:
    """Plain text that renders as itself: every Markdown special character escaped."""
    text = _one_line(str(value))
    # search() first: most spec text has nothing to escape, and sub() with a template costs more.
    if _INLINE_SPECIAL.search(text) is not None:
        text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _guard_block_start(text)


def escape_md(value: object) -> str:
    """Inline Markdown kept as such (but no HTML), on one line, unable to start a block of its own."""
    text = _one_line(str(value))
    if "<" in text:
        text = _HTML_OPEN.sub(r"\\<", text)
    return _guard_block_start(text)


def escape_cell(value: object) -> str:
    """Escaped Markdown (after `text`, `md` or `code`) fit for a table cell: on one line, every
    `|` escaped (GFM reads `\\|` as `|`, in code spans too)."""
    text = _one_line(str(value))
    return _CELL_PIPE.sub(r"\\|", text) if "|" in text else text


def code_span(value: object) -> str:
    """An inline code span of `value`, fenced by more backticks than any run inside it."""
    text = _one_line(str(value))
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0) if "`" in text else 0
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def pretty_promql(expr: str) -> str:
    """An expression laid out over lines as promql_parser prints it; as written when it does not
    parse or comes out longer than it went in (a short one stays on its line)."""
    try:
        pretty = str(pp.parse(expr).prettify())
    except ValueError:
        return expr.strip()
    return pretty if "\n" in pretty else expr.strip()


def fence(code: str, lang: str) -> str:
    """A fenced code block with a language; the fence outgrows any backtick run in the code."""
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = "\n".join(line.rstrip() for line in code.strip("\n").splitlines())
    return f"{ticks}{lang}\n{body}\n{ticks}"


_URL_ESCAPES = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"})


def escape_url(value: object) -> str:
    """A link destination: spaces, parentheses and angle brackets percent-encoded."""
    return str(value).translate(_URL_ESCAPES)


@functools.cache
def environment() -> Environment:
    """The jinja2 environment of the Markdown templates (strict, no HTML autoescape).

    One per process: it caches the compiled templates, which costs more than rendering them.
    """
    env = Environment(
        loader=PackageLoader("generator", "render/templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=conv.visible,  # whatever a template prints: no raw control characters
    )
    env.filters.update(
        text=escape_text,
        md=escape_md,
        cell=escape_cell,
        code=code_span,
        fence=fence,
        promql=pretty_promql,
        url=escape_url,
    )
    return env


def check_outline(
    path: str, headings: Sequence[tuple[int, str]], outline: Sequence[conv.Heading]
) -> list[str]:
    """The anchors of a rendered document's headings (`(level, inline Markdown)`, as
    `checks.runbooks.parse_runbook` reads them), after checking they are `outline`.

    A difference is a renderer bug (anchors computed before rendering would be wrong), so it
    raises RuntimeError rather than reporting a spec error.
    """
    rendered = [(level, conv.heading_text(text)) for level, text in headings]
    expected = [(h.level, h.text) for h in outline]
    if rendered != expected:
        diff = next(
            (
                f"#{i + 1}: rendered {r!r}, expected {e!r}"
                for i, (r, e) in enumerate(zip(rendered, expected, strict=False))
                if r != e
            ),
            f"rendered {len(rendered)} headings, expected {len(expected)}",
        )
        raise RuntimeError(f"{path}: headings differ from the outline ({diff})")
    slugger = conv.Slugger()
    return [slugger.slug(text) for _, text in rendered]
