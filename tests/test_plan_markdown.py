"""The plan's text: Markdown rendered with raw HTML off and sanitised to the few tags a plan uses,
so that nothing typed in a section can run a script in a page or a PDF."""

import re

import pytest

from budget.plan_markdown import ALLOWED_TAGS, render_markdown

TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
ATTRIBUTE = re.compile(r'\s([a-zA-Z-]+)="([^"]*)"')


def tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every start tag of the output with its attributes."""
    return [(name, dict(ATTRIBUTE.findall(rest))) for name, rest in TAG.findall(html)]


def assert_only_safe_markup(html: str) -> None:
    for name, attributes in tags(html):
        assert name in ALLOWED_TAGS, name
        assert set(attributes) <= {"href", "rel"}, attributes
        if "href" in attributes:
            assert re.match(r"(https?:|mailto:)", attributes["href"]), attributes


def test_paragraphs_lists_and_emphasis_are_rendered():
    html = render_markdown(
        "Första stycket med *kursiv* och **fet** text.\n\n"
        "- ett\n- två\n\n1. först\n2. sedan\n\n### Underrubrik\n\nSista."
    )

    assert "<p>Första stycket med <em>kursiv</em> och <strong>fet</strong> text.</p>" in html
    assert "<ul>\n<li>ett</li>\n<li>två</li>\n</ul>" in html
    assert "<ol>\n<li>först</li>\n<li>sedan</li>\n</ol>" in html
    assert "<h3>Underrubrik</h3>" in html


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert('x')</script>",
        "Text <script>alert('x')</script> inne i ett stycke.",
        "<SCRIPT src=https://evil.example/x.js></SCRIPT>",
    ],
)
def test_a_script_tag_is_shown_as_text_never_as_a_tag(typed):
    html = render_markdown(typed)

    assert_only_safe_markup(html)
    assert "<script" not in html.lower()
    assert "&lt;script" in html.lower()


@pytest.mark.parametrize(
    "typed",
    [
        "[klicka](javascript:alert(1))",
        "[klicka](JaVaScRiPt:alert(1))",
        "[klicka](  javascript:alert(1))",
        "[klicka](data:text/html;base64,PHNjcmlwdD4=)",
        "[klicka](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
    ],
)
def test_a_javascript_or_data_link_loses_its_target(typed):
    html = render_markdown(typed)

    assert_only_safe_markup(html)
    assert "href" not in html


def test_web_and_mail_links_stay_and_open_no_window_reference():
    html = render_markdown("[finsam.se](https://www.finsam.se) och <info@example.org>")

    assert '<a href="https://www.finsam.se" rel="noopener noreferrer">finsam.se</a>' in html
    assert 'href="mailto:' in html


def test_anything_outside_the_allowed_tags_is_dropped_or_escaped():
    html = render_markdown(
        '<div onclick="alert(1)">block</div>\n\n'
        '![bild](https://evil.example/x.png "t")\n\n'
        "<img src=x onerror=alert(1)>\n\n"
        '[länk](https://a.example "titel")\n\n'
        "    kodblock\n\n`kod`\n\n> citat\n\n---"
    )

    assert_only_safe_markup(html)
    assert [name for name, _attributes in tags(html)] == ["p", "p", "p", "p", "a", "p", "p"]
    assert "&lt;div onclick" in html  # shown as the text it was, never as a tag
    assert "kodblock" in html and "citat" in html


def test_headings_sit_below_the_sections_own():
    html = render_markdown("# Ett\n\n## Två\n\n### Tre\n\n#### Fyra\n\n###### Sex")

    assert [name for name, _attributes in tags(html)] == ["h3", "h3", "h3", "h4", "h4"]


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
