"""Matter search in Chinese, full pinyin and pinyin initials (开饭店, 身份证, sfz, shenfenzheng).

Each matter carries three denormalised keys, kept current by ``matter_index`` (called by every catalogue write):

- ``search_text``      name | keywords | department name (Chinese, for substring matching)
- ``search_pinyin``    toneless full pinyin of the name and of each keyword, ``|``-separated
- ``search_initials``  pinyin initials of the name and of each keyword, ``|``-separated
- ``search_facets``    ``|obj:person|theme:tax|``: the service objects and themes, for browsing by them

A query selects candidates in SQL with plain substring tests on those columns (the same on SQLite and
PostgreSQL, and a few milliseconds over thousands of matters), then candidates are ranked in Python:
exact name > name prefix > name contains > keyword exact > keyword contains > word overlap > pinyin / initials.
Chinese queries that match nothing as a whole are cut into words with jieba and matched word by word.
No process keeps an index of its own, so every process sees the same catalogue.

The catalogue (``with_negative_list=True``: the guide pages' search and the catalogue API) finds every published
matter, the negative list (负面清单, matters not handled in the centre) included: an applicant who searches 驾驶证
must learn where to go, not that it does not exist; the guide page says the matter is not handled here. Pickers
of matters to receive, apply for or take a ticket for leave the negative list out (the default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Exists, OuterRef, Q
from pypinyin import Style, lazy_pinyin

from .models import Matter, MatterVersion

MAX_QUERY = 60
CJK = re.compile(r"[\u3400-\u9fff]")
SPLIT = re.compile(r"[,，、;；\s]+")
LATIN = re.compile(r"[^a-z0-9]")


def _keywords(matter) -> list[str]:
    return [k for k in SPLIT.split(matter.keywords or "") if k]


def _pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text, errors="ignore")).lower()


def _initials(text: str) -> str:
    return "".join(p[:1] for p in lazy_pinyin(text, style=Style.NORMAL, errors="ignore")).lower()


def matter_search_keys(matter) -> dict[str, str]:
    phrases = [matter.name, *_keywords(matter)]
    dept = getattr(matter, "department", None)
    return {
        "search_text": "|".join([*phrases, dept.name if dept else ""]),
        "search_pinyin": "|".join(_pinyin(p) for p in phrases),
        "search_initials": "|".join(_initials(p) for p in phrases),
        "search_facets": matter_facets(matter),
    }


def matter_facets(matter) -> str:
    keys = [f"obj:{o}" for o in (getattr(matter, "service_objects", None) or [])]
    keys += [f"theme:{t}" for t in (getattr(matter, "themes", None) or [])]
    return f"|{'|'.join(keys)}|" if keys else ""


def matter_index(matter) -> None:
    keys = matter_search_keys(matter)
    for field, value in keys.items():
        setattr(matter, field, value)
    type(matter).objects.filter(pk=matter.pk).update(**keys)


def jieba_warm_up() -> None:
    """Load jieba's dictionary now (about 1.5 s) instead of in the first Chinese search of the process."""
    _jieba().lcut_for_search("开饭店")


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.ERROR)
    jieba.initialize()
    return jieba


def _words(query: str) -> list[str]:
    words = [w for w in _jieba().lcut_for_search(query) if CJK.search(w)]
    # Single characters are too weak alone; keep them only when nothing longer exists.
    longer = [w for w in words if len(w) >= 2]
    return list(dict.fromkeys(longer or words))


@dataclass
class Hit:
    matter: object
    score: float
    reason: str


def _score_chinese(matter, query: str, words: list[str]) -> tuple[float, str]:
    name = matter.name
    keywords = _keywords(matter)
    if name == query:
        return 100, "name"
    if name.startswith(query):
        return 90 - len(name) / 100, "name"
    if query in name:
        return 80 - len(name) / 100, "name"
    if query in keywords:
        return 70, "keyword"
    if any(query in k for k in keywords):
        return 60, "keyword"
    if words:
        in_name = sum(1 for w in words if w in name)
        in_kw = sum(1 for w in words if any(w in k for k in keywords))
        hit = max(in_name * 1.0, in_kw * 0.9) / len(words)
        if hit:
            return 20 + 30 * hit - len(name) / 100, "words"
    if query in (matter.search_text or ""):
        return 15, "department"
    return 0, ""


def _score_latin(matter, query: str) -> tuple[float, str]:
    pinyins = (matter.search_pinyin or "").split("|")
    initials = (matter.search_initials or "").split("|")
    best = 0.0
    for i, (py, ini) in enumerate(zip(pinyins, initials)):
        weight = 1.0 if i == 0 else 0.85  # the name before its keywords
        if py == query or ini == query:
            best = max(best, 75 * weight)
        elif py.startswith(query) or ini.startswith(query):
            best = max(best, 65 * weight)
        elif query in py or (len(query) >= 2 and query in ini):
            best = max(best, 50 * weight)
    return (best - len(matter.name) / 100, "pinyin") if best else (0, "")


def matter_search_ranked(*, query: str, limit: int = 20, department: str | None = None,
                         domain: str | None = None, audience: str | None = None, theme: str | None = None,
                         offset: int = 0, with_negative_list: bool = False, candidates: int = 400) -> list[Hit]:
    q = (query or "").replace("\x00", "").strip()[:MAX_QUERY]  # PostgreSQL text cannot hold NUL
    # Published = active with a frozen version. The catalogue shows the negative list too (the guide says where to
    # go); pickers of matters handled here (receiving, applying online, the kiosk) leave it out.
    base = Matter.objects.filter(Exists(MatterVersion.objects.filter(matter=OuterRef("pk"))), is_active=True)
    if not with_negative_list:
        base = base.filter(negative_list=False)
    if department:
        base = base.filter(department__code=department)
    if domain:
        base = base.filter(domain__code=domain)
    if audience:
        base = base.filter(search_facets__contains=f"|obj:{audience}|")
    if theme:
        base = base.filter(search_facets__contains=f"|theme:{theme}|")
    if not q:
        offset = max(0, int(offset))
        return [Hit(m, 0, "") for m in
                base.select_related("department", "domain").order_by("implementation_code")[offset:offset + limit]]
    # Rank on the narrow search columns; load whole rows only for the winners.
    base = base.only("pk", "implementation_code", "name", "keywords", "search_text", "search_pinyin",
                     "search_initials")
    limit = max(1, min(int(limit), 100))
    if CJK.search(q):
        q = re.sub(r"\s+", "", q)
        rows = list(base.filter(Q(name__contains=q) | Q(search_text__contains=q))[:candidates])
        words: list[str] = []
        if len(rows) < limit:
            words = [w for w in _words(q) if w != q]
            if words:
                cond = Q()
                for w in words:
                    cond |= Q(search_text__contains=w)
                seen = {m.pk for m in rows}
                rows += [m for m in base.filter(cond)[:candidates] if m.pk not in seen]
        hits = [Hit(m, *_score_chinese(m, q, words)) for m in rows]
    else:
        q = LATIN.sub("", q.lower())
        if not q:
            return []
        cond = Q(search_pinyin__contains=q) | Q(search_initials__contains=q)
        rows = list(base.filter(cond)[:candidates])
        hits = [Hit(m, *_score_latin(m, q)) for m in rows]
    hits = [h for h in hits if h.score > 0]
    hits.sort(key=lambda h: (-h.score, len(h.matter.name), h.matter.implementation_code))
    hits = hits[:limit]
    full = Matter.objects.select_related("department", "domain").in_bulk([h.matter.pk for h in hits])
    for h in hits:
        h.matter = full[h.matter.pk]
    return hits
