from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise CommandError(f"日期无效：{text}（应为 YYYY-MM-DD，例如 2026-09-24） Invalid date: {text}") from None


def parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"天数无效：{text}（应为整数） Invalid number of days: {text}") from None
