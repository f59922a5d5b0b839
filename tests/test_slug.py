"""GitHub heading anchors: the slug of a heading's text, its inline Markdown, repeats."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from generator.conventions import Slugger, github_slug, heading_text

# (heading text, anchor) pairs GitHub (github-slugger) gives.
SLUGS = [
    ("Service Down", "service-down"),
    ("🚨 Critical Alerts", "-critical-alerts"),
    ("😄-😄 unicode emoji", "--unicode-emoji"),
    # U+FE0F (variation selector) is a mark: GitHub keeps it in the anchor.
    ("⚠️ Warning Alerts", "\ufe0f-warning-alerts"),
    ("ℹ️ Info Alerts", "ℹ\ufe0f-info-alerts"),
    ("Level 1 (0-15 minutes)", "level-1-0-15-minutes"),
    ("heading with a - dash", "heading-with-a---dash"),
    ("heading with an _ underscore", "heading-with-an-_-underscore"),
    (
        "exchange.bind_headers(exchange, routing [, bindCallback])",
        "exchangebind_headersexchange-routing--bindcallback",
    ),
    ("apostrophe’s should be trimmed", "apostrophes-should-be-trimmed"),
    ("I ♥ unicode", "i--unicode"),
    ("en–dash", "endash"),
    ("Привет non-latin 你好", "привет-non-latin-你好"),
    ("Straße café", "straße-café"),
    ("p95 > 2 s: 50% | 1/2", "p95--2-s-50--12"),
    ("x² ½ Ⅻ", "x--ⅻ"),
    ("Post-Incident Actions", "post-incident-actions"),
]


@pytest.mark.parametrize(("text", "anchor"), SLUGS, ids=[s[1] or s[0] for s in SLUGS])
def test_github_slug(text: str, anchor: str) -> None:
    assert github_slug(text) == anchor


# (inline Markdown of a heading, the text it renders to)
INLINE = [
    ("`kubectl` fails", "kubectl fails"),
    ("`` a`b ``", "a`b"),
    ("Use `a | b` here", "Use a | b here"),
    (r"a \| b \_c\_ \# \*", "a | b _c_ # *"),
    (r"\`not code\`", "`not code`"),
    ("`code with \\` then text", "code with \\ then text"),
    ("[Disaster Recovery](https://x/y.md#z) now", "Disaster Recovery now"),
    (r"\[not a link\](x)", "[not a link](x)"),
    ("unclosed ` tick", "unclosed ` tick"),
    ("  spaced  ", "spaced"),
]


@pytest.mark.parametrize(("markdown", "text"), INLINE, ids=[i[1] for i in INLINE])
def test_heading_text(markdown: str, text: str) -> None:
    assert heading_text(markdown) == text


@pytest.mark.parametrize(("markdown", "text"), INLINE, ids=[i[1] for i in INLINE])
def test_heading_text_agrees_with_a_commonmark_parser(markdown: str, text: str) -> None:
    tokens = MarkdownIt("commonmark").parse(f"## {markdown}\n")
    children = tokens[1].children or []
    rendered = "".join(t.content for t in children if t.type in ("text", "code_inline"))
    assert rendered == text


def test_repeats_get_numbered_and_numbered_headings_do_not_collide() -> None:
    slugger = Slugger()
    got = [slugger.slug(t) for t in ("echo", "echo", "echo 1", "echo-1", "echo", "Escalation", "escalation")]
    assert got == ["echo", "echo-1", "echo-1-1", "echo-1-2", "echo-2", "escalation", "escalation-1"]


def test_emoji_only_headings_repeat_as_dashes() -> None:
    slugger = Slugger()
    assert [slugger.slug(t) for t in ("🔗", "🔗", "-")] == ["", "-1", "-"]
