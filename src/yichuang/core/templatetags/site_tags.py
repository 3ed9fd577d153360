"""Template filters of the site frame (templates/base.html and the error pages)."""

from __future__ import annotations

import re

from django import template
from django.utils import translation

register = template.Library()

_BILINGUAL = re.compile(r"^(.*[^\x00-\x7f])\s+([A-Za-z][\x00-\x7f]*)$")


@register.filter
def one_language(value) -> str:
    """One language of a bilingual choice label (``综窗受理员 Window clerk``): the Chinese part on a Chinese page,
    the English part on an English page; a label in one language only is shown as it is."""
    text = str(value or "")
    m = _BILINGUAL.match(text)
    if not m:
        return text
    return m[2] if (translation.get_language() or "").startswith("en") else m[1]


@register.filter
def in_page_language(error) -> str:
    """A refused step's message in the page's language (``message`` in Chinese, ``message_en`` in English)."""
    if error is None:
        return ""
    english = (translation.get_language() or "").startswith("en")
    if hasattr(error, "localized"):
        return error.localized("en" if english else "zh-hans")
    return str(error)
