"""digin/markup.py: **bold**, *italic* and safe links become HTML; nothing else does."""
from __future__ import annotations

import pytest
from markupsafe import Markup, escape

from digin import markup

LABEL = "(n/a)"   # the label of a link whose target is not known


def html(text: str) -> str:
    result = markup.to_html(text, LABEL)
    assert isinstance(result, Markup)   # safe for the autoescaping templates as it is
    return str(result)


def test_bold_and_italic():
    assert html("**b** and *i* and ***both***") == (
        "<strong>b</strong> and <em>i</em> and <em><strong>both</strong></em>")


@pytest.mark.parametrize("target", ["https://example.org/a?b=1", "http://example.org", "mailto:a@example.org",
                                    "#term-x"])
def test_allowed_links_become_anchors(target):
    assert html(f"see [x]({target})") == f'see <a href="{target}">x</a>'
    assert markup.problems(f"[x]({target})") == []


def test_link_text_keeps_its_markup():
    assert html("[**b**](https://example.org)") == '<a href="https://example.org"><strong>b</strong></a>'


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">',
                                  "<b>x</b> & y", "<!-- c -->", "&lt;b&gt; &#60;i&#62;"])
def test_raw_html_and_entities_are_shown_as_text(text):
    assert html(text) == str(escape(text))


def test_an_attribute_cannot_break_out_of_the_href():
    out = html('[x](https://example.org/"onmouseover="alert(1))')
    assert out.count('"') == 2 and "onmouseover=" in out and ' onmouseover' not in out


def test_image_syntax_fetches_nothing():
    assert "<img" not in html("![i](https://example.org/i.png)")


@pytest.mark.parametrize("target, scheme", [("javascript:alert(1)", "javascript:"), ("JaVaScRiPt:x", "JaVaScRiPt:"),
                                            ("<javascript:x>", "javascript:"), ("data:text/html,x", "data:"),
                                            ("file:///etc/passwd", "file:"), ("ftp://example.org", "ftp:")])
def test_refused_schemes_are_reported_and_never_linked(target, scheme):
    text = f"[x]({target})"
    assert f"link scheme {scheme!r} not allowed (use https://, http://, mailto: or #id)" in markup.problems(text)
    assert "<a" not in html(text) and "href" not in html(text)


@pytest.mark.parametrize("target, message", [
    ("#", "link target '#' is a placeholder"),
    ("//example.org/a", "link target '//example.org/a' not allowed"),
    ("relative/page.html", "link target 'relative/page.html' not allowed"),
    ("mailto:not-an-address", "malformed e-mail address in link: 'not-an-address'"),
])
def test_unusable_targets_are_explained(target, message):
    problems = markup.problems(f"[x]({target})")
    assert len(problems) == 1 and problems[0].startswith(message)


def test_a_lost_link_is_marked_not_invented():
    out = html("[here]() now")
    assert out == f'<span class="missing-link">here <span class="missing-link-note">{LABEL}</span></span> now'
    assert markup.problems("[here]()") == [] and markup.links("[here]()") == [""]


def test_the_missing_link_label_is_escaped():
    assert "<b>" not in str(markup.to_html("[x]()", "<b>label</b>"))


def test_links_between_artifacts_are_kept_for_the_templates():
    assert html("[pdf](../practices/a-en.pdf#practice-a)") == '<a href="../practices/a-en.pdf#practice-a">pdf</a>'
    assert markup.problems("[pdf](../practices/a-en.pdf)")   # but content cannot write them


def test_links_are_listed_in_order():
    assert markup.links("[a](https://a.org) *b* [c]() [d](#term-d)") == ["https://a.org", "", "#term-d"]


def test_to_text_drops_the_markup_and_keeps_the_words():
    assert markup.to_text("**b** [link](https://example.org) *i* <tag>") == "b link i <tag>"
