"""Template filters of the hall pages."""

from __future__ import annotations

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def label(value) -> str:
    """One language of a bilingual choice label ("等候中 Waiting"): the Chinese part, or the English part on an
    English page, so a Chinese page shows no English word and an English page no Chinese one where a translation
    exists."""
    text = str(value or "")
    zh, _, en = text.partition(" ")
    if (translation.get_language() or "").startswith("en") and en:
        return en
    return zh
