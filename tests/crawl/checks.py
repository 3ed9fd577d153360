"""What a crawled page must not show: Python/JS empties, raw codes where a name belongs, English sentences in a
Chinese page. Pure functions over one HTML text, so each rule has its own small test (tests/crawl/test_checks.py)."""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

import lxml.html
from django.db import models

APPS_WITH_CHOICES = ("accounts", "bundles", "cases", "catalog", "crossregion", "documents", "hall", "licences",
                     "notify", "supervision", "feedback")

EMPTY_WORDS = re.compile(r"(?<![A-Za-z0-9_])(None|null|undefined|NaN)(?![A-Za-z0-9_])|\[object Object\]")
# Three or more ASCII words in a row: an English phrase.
ENGLISH_RUN = re.compile(r"(?<![A-Za-z0-9_./:@-])[A-Za-z]{2,}(?:[ \t\u00a0]+[A-Za-z]{1,}){2,}(?![A-Za-z0-9_])")
URLISH = re.compile(r"\S*(?:https?://|www\.|/\w|\w@\w|\.\w{2,4}\b)\S*")

# Phrases allowed inside a Chinese page, each with its reason.
ENGLISH_ALLOWED = {
    "Yichuang": "the brand, shown beside 一窗",
    "Bearer": "the API authentication scheme named on the API pages",
    "Authorization": "an HTTP header named on the API pages",
}

# Elements whose content is never checked: not shown, or shown in both languages on purpose.
NOT_SHOWN = ("script", "style", "noscript", "template", "head")
# Elements whose English is expected in a Chinese page: code, the language switch, text marked lang="en" (a
# name that exists only in English, the "English" button) or translate="no" (a YAML scenario being edited).
ENGLISH_OK_XPATH = ("//code | //pre | //kbd | //samp | //*[contains(concat(' ', normalize-space(@class), ' '), "
                    "' langswitch ')] | //*[@lang='en' or @lang='en-US'] | //*[@translate='no']")


@lru_cache(maxsize=1)
def enum_codes() -> frozenset[str]:
    """Every TextChoices value of the project that looks like a code (lower-case word, 4+ letters)."""
    codes: set[str] = set()
    for app in APPS_WITH_CHOICES:
        module = importlib.import_module(f"yichuang.{app}.constants")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, models.TextChoices) and value.__module__ == module.__name__:
                codes.update(str(v) for v in value.values)
    return frozenset(c for c in codes if re.fullmatch(r"[a-z][a-z_]{3,}", c))


def _tree(html: str | bytes):
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    if not html.strip():
        return None
    doc = lxml.html.document_fromstring(html)
    for el in doc.xpath("|".join(f"//{t}" for t in NOT_SHOWN)):
        title = el.find("title") if el.tag == "head" else None
        if title is not None:  # the tab title is seen; keep it
            el.addprevious(title)
        el.drop_tree()
    return doc


def _texts(doc) -> list[str]:
    """Visible text nodes, plus the values people see in form fields."""
    out = [t.strip() for t in doc.itertext() if t and t.strip()]
    for el in doc.iter("input"):
        if (el.get("type") or "text").lower() not in ("hidden", "checkbox", "radio") and el.get("value"):
            out.append(el.get("value"))
        if el.get("placeholder"):
            out.append(el.get("placeholder"))
    return out


def problems(html: str | bytes, *, chinese: bool | None = None) -> list[str]:
    """Every rule this page breaks, each as one short line with the offending words. ``chinese=False`` checks only
    the empty words (an English page, or Django's own admin whose model labels are bilingual by design); by default
    the page's ``<html lang>`` decides."""
    doc = _tree(html)
    if doc is None:
        return []
    if chinese is None:  # the page says its language: <html lang="en"> is an English page
        chinese = not (doc.get("lang") or "zh").lower().startswith("en")
    found: list[str] = []
    texts = _texts(doc)
    for t in texts:
        for m in EMPTY_WORDS.finditer(t):
            found.append(f"shows {m.group(0)!r}: …{t[max(0, m.start() - 40):m.end() + 40]}…")
    if not chinese:
        return found
    codes = enum_codes()
    for el in doc.xpath("//*[@translate='no'] | //code | //pre"):  # code being shown or edited, not words
        el.drop_tree() if el.getparent() is not None else None
    for t in _texts(doc):
        plain = URLISH.sub(" ", t)
        for word in re.findall(r"(?<![A-Za-z0-9_\-./])[a-z][a-z_]{3,}(?![A-Za-z0-9_\-])", plain):
            if word in codes:
                found.append(f"raw code {word!r}: …{t[:120]}…")
    for el in doc.xpath(ENGLISH_OK_XPATH):
        el.drop_tree() if el.getparent() is not None else None
    for t in _texts(doc):
        plain = URLISH.sub(" ", t)
        for allowed in ENGLISH_ALLOWED:
            plain = plain.replace(allowed, " ")
        for m in ENGLISH_RUN.finditer(plain):
            found.append(f"English in a Chinese page: {m.group(0)!r}")
    return found
