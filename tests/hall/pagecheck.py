"""What a hall page shows a person: its visible text (no scripts, styles or head), for "no None/null" checks."""

import re

import lxml.html

EMPTY_WORDS = re.compile(r"(?<![A-Za-z0-9_])(None|null|undefined|NaN)(?![A-Za-z0-9_])")


def visible_text(html: str | bytes) -> str:
    doc = lxml.html.document_fromstring(html.decode() if isinstance(html, bytes) else html)
    for el in doc.xpath("//script | //style | //head"):
        el.drop_tree()
    return " ".join(t.strip() for t in doc.itertext() if t.strip())


def empties(html: str | bytes) -> list[str]:
    """Every None/null/undefined/NaN a person would read on the page."""
    return EMPTY_WORDS.findall(visible_text(html))
