"""The plan's text: Markdown as the officer writes it, rendered to a small, safe piece of HTML.

Only the Markdown is stored. Rendering turns raw HTML off (typed tags are shown as text, never
passed on), and the output is sanitised with nh3 to the few tags the plan uses, links to http,
https and mailto only, so a `<script>` or a `javascript:` link can never reach a page or a PDF.
"""

import hashlib
import re

import markdown
import nh3
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "ul", "ol", "li", "em", "strong", "h3", "h4", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "*": set()}
URL_SCHEMES = {"http", "https", "mailto"}

# The section's heading is the page's h2; a heading in the text is one level below it or more.
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _demote(match: re.Match) -> str:
    """# to ### become h3, deeper ones h4: the officer's "### Underrubrik" stays an h3."""
    level = 3 if int(match.group(2)) <= 3 else 4
    return f"<{match.group(1)}h{level}>"


# Bump when the rendering below changes: the memoised HTML of the old rendering is then unused.
RENDERING_VERSION = 1
MEMO_TIMEOUT = 7 * 24 * 3600


def render_markdown(text: str) -> SafeString:
    """Paragraphs, lists, emphasis, links and subheadings; everything else as plain text.

    The HTML is a pure function of the text (and of this module and its two libraries), so it
    is memoised under a hash of exactly those: a plan page renders a dozen sections (issue #12),
    and the cache can hold nothing but the HTML of a text asked for with these very words."""
    inputs = repr((RENDERING_VERSION, markdown.__version__, nh3.__version__, text or ""))
    memo = "plan-markdown:" + hashlib.sha256(inputs.encode()).hexdigest()
    html = cache.get(memo)
    if html is None:
        html = _render(text)
        cache.set(memo, html, MEMO_TIMEOUT)
    return mark_safe(html)  # sanitised by nh3 in _render


def _render(text: str) -> str:
    # A new instance per call: a Markdown instance keeps state between conversions.
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")  # raw HTML blocks are text
    md.inlinePatterns.deregister("html")  # and so are inline tags
    html = _HEADING.sub(_demote, md.convert(text or ""))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return str(clean)
