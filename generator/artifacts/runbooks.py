"""Markdown runbooks read back: heading anchors (as GitHub makes them) and links, with lines.

A line scanner, not markdown-it-py: on the bench's 10,000-alert runbooks (25 MB) it takes 0.5 CPU s
where markdown-it-py's parse takes 15. tests/test_runbooks_markdown.py holds it to what
markdown-it-py finds in every generated runbook: headings, anchors, lines and link targets.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .. import conventions as conv

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
# A link `[text](url)` or `[text](<url> "title")`; its text may hold one level of brackets, its
# url one of parentheses and, when not in `<>`, may not start with `<` (as CommonMark reads a
# destination: `[x](a_(b))` goes to `a_(b)`, `[x](<a)` is no link). Not
# after `!` (an image), which `_links` tests itself: a lookbehind costs the regex its fast scan
# for `[`, and the possessive quantifiers (no match is found by giving characters back) spare
# it backtracking, together two thirds of reading the runbooks' 78,000 links at 10,000 alerts.
_LINK = re.compile(
    r"\[((?:[^\[\]]++|\[[^\]]*+\])*+)\]\(\s*+(?:<([^<>\n]*+)>|(?!<)((?:[^()\s]++|\([^()\s]*+\))++))"
    r"(?:\s+\"[^\"]*\")?\s*\)"
)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"", re.I)
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)  # an absolute URL: https:, mailto:, ...


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading: its text, level, the anchor GitHub gives it, and its line."""

    text: str
    level: int
    anchor: str
    line: int


@dataclass(frozen=True, slots=True)
class Link:
    """A Markdown link: its text, target and line."""

    text: str
    url: str
    line: int


@dataclass(frozen=True, slots=True)
class Runbook:
    """A Markdown document of the output tree."""

    path: str
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    anchors: frozenset[str]

    def heading(self, anchor: str) -> Heading | None:
        """The heading an anchor leads to."""
        return next((h for h in self.headings if h.anchor == anchor), None)


def parse_runbook(path: str, text: str) -> Runbook:
    """Headings and links of a Markdown file; fenced code blocks and code spans are skipped."""
    slugger = conv.Slugger()
    # One string per distinct link text and target: a runbook links each alert from several
    # places (78,000 links, 56,000 distinct strings in 156,000 at 10,000 alerts).
    same: dict[str, str] = {}
    headings: list[Heading] = []
    links: list[Link] = []
    extra: set[str] = set()
    fence = ""
    # Each pattern needs a character most lines lack: testing for it first skips the regexes.
    # A fence or a heading starts within the first four characters (at most three spaces first).
    for number, line in enumerate(text.splitlines(), start=1):
        head = line[:4]
        m = _FENCE.match(line) if "`" in head or "~" in head else None
        if m:
            marker = m.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip()[len(marker) :]:
                fence = ""
            continue
        if fence:
            continue
        h = _HEADING.match(line) if "#" in head else None
        if h:
            title = h.group(2)
            headings.append(Heading(title, len(h.group(1)), slugger.slug(title), number))
        if "<" in line:
            extra.update(_HTML_ANCHOR.findall(line))
        if "[" not in line:
            continue
        spans = None
        for link in _links(line):
            start = link.start()
            # `[x](y)` in code is not a link; only a backtick before the link can open a span
            # around it, and most links (a table row's first cell) have none.
            if line.find("`", 0, start) != -1:
                if spans is None:
                    spans = _code_spans(line)
                if _in_code(start, spans):
                    continue
            text, url = link.group(1), link.group(2) or link.group(3)
            links.append(Link(same.setdefault(text, text), same.setdefault(url, url), number))
    anchors = frozenset(h.anchor for h in headings) | extra
    return Runbook(path, tuple(headings), tuple(links), anchors)


def _links(line: str) -> Iterator[re.Match[str]]:
    """The links of a line, left to right, as `_LINK` with an `(?<!!)` lookbehind finds them."""
    pos = 0
    search = _LINK.search
    while (m := search(line, pos)) is not None:
        start = m.start()
        if start and line[start - 1] == "!":  # an image: look again from just after its `[`
            pos = start + 1
            continue
        yield m
        pos = m.end()


def _code_spans(line: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the code spans of a line, in order (they do not overlap)."""
    starts: list[int] = []
    ends: list[int] = []
    for m in _CODE_SPAN.finditer(line):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _in_code(position: int, spans: tuple[list[int], list[int]]) -> bool:
    # Table rows and notification lines hold a dozen spans: bisect rather than test each.
    starts, ends = spans
    i = bisect.bisect_right(starts, position) - 1
    return i >= 0 and position < ends[i]


def resolve(base: str, url: str) -> tuple[str, str] | None:
    """`(path, anchor)` of a relative link from the file `base`, None for absolute URLs."""
    if _SCHEME.match(url) or url.startswith("//"):
        return None
    target, _, anchor = url.partition("#")
    if not target:
        return base, anchor
    if target.startswith("/"):
        return target.lstrip("/"), anchor
    parts = base.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts), anchor
