"""Generated Markdown read back with a CommonMark parser (markdown-it-py), as a reader's tool would."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.conventions import Slugger

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def tokens(text: str) -> list[Token]:
    """The block tokens of a document."""
    return _PARSER.parse(text)


def inline_text(token: Token) -> str:
    """The text an inline token renders to (text and code, link labels included)."""
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))


@dataclass(frozen=True)
class Heading:
    """A heading as rendered: level, text, anchor and the line range of its section."""

    level: int
    text: str
    anchor: str
    line: int


def headings(text: str) -> list[Heading]:
    """Every heading with the anchor GitHub gives it (slugged from the parser's text)."""
    slugger = Slugger()
    out = []
    toks = tokens(text)
    for i, tok in enumerate(toks):
        if tok.type == "heading_open":
            rendered = inline_text(toks[i + 1])
            assert tok.map is not None
            out.append(Heading(int(tok.tag[1]), rendered, slugger.slug(rendered), tok.map[0]))
    return out


def section(text: str, anchor: str) -> str:
    """The source lines under the heading with `anchor`, up to the next heading of its level or above."""
    heads = headings(text)
    lines = text.splitlines()
    for i, head in enumerate(heads):
        if head.anchor == anchor:
            end = next((h.line for h in heads[i + 1 :] if h.level <= head.level), len(lines))
            return "\n".join(lines[head.line : end])
    raise AssertionError(f"no heading with anchor {anchor!r}")


def links(text: str) -> list[str]:
    """Every link destination, decoded as a browser would."""
    out = []
    stack = list(tokens(text))
    while stack:
        tok = stack.pop(0)
        if tok.type == "link_open":
            out.append(unquote(str(tok.attrs["href"])))
        stack[0:0] = tok.children or []
    return out


def fences(text: str) -> list[Token]:
    """Every fenced code block."""
    return [t for t in tokens(text) if t.type == "fence"]


def tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts (header row first)."""
    out: list[list[list[str]]] = []
    row: list[str] | None = None
    toks = tokens(text)
    for i, tok in enumerate(toks):
        if tok.type == "table_open":
            out.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open") and row is not None:
            row.append(inline_text(toks[i + 1]))
        elif tok.type == "tr_close" and row is not None:
            out[-1].append(row)
    return out
