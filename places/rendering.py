"""Markdown written by animateurs, turned into HTML that is safe to show the public."""

from html.parser import HTMLParser

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text):
    """Markdown to sanitised HTML: raw HTML, scripts and odd URL schemes are stripped by nh3."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="nofollow noopener",
    )
    return mark_safe(cleaned)  # noqa: S308 — nh3 has just sanitised it


# Tags that only style words; every other one (paragraph, list item, line break…) separates them.
INLINE_TAGS = {"a", "code", "em", "strong"}


class _PlainText(HTMLParser):
    """Sanitised HTML read back as words, each link followed by its address in brackets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.link = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.link = (dict(attrs).get("href") or "", len(self.parts))
        elif tag not in INLINE_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag == "a" and self.link:
            href, start = self.link
            self.link = None
            text = "".join(self.parts[start:]).strip()
            shown = href.removeprefix("mailto:").removeprefix("tel:")
            if href and text not in {href, shown}:
                self.parts.append(f" ({shown})")
        elif tag not in INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(text):
    """Markdown as one line of plain text, for files read by programs (the open-data standards).

    The words as the page shows them, entities decoded, whitespace collapsed; a link keeps its
    address after its words, « le site (https://…) », since a file without markup would lose it."""
    parser = _PlainText()
    parser.feed(str(render_markdown(text)))
    parser.close()
    return " ".join("".join(parser.parts).split())
