"""文号: 代字 + 〔year〕 + the department's sequence of that year + 号 (渝九龙坡市监许〔2026〕12号).

Drawn once, when the notice is given, in the case's transaction: one upsert statement creates the department's
counter for the year or increments it and returns the new value (``INSERT … ON CONFLICT … DO UPDATE … RETURNING``,
PostgreSQL and SQLite ≥ 3.35), so two decisions at once never draw the same number; a rollback takes it back.
The number is stored (:class:`~.models.NoticeDocNumber`, unique) and never drawn again for the notice.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .authority import department_authority
from .models import DocumentNumberSequence, NoticeDocNumber
from .wording import case_verdict

# Kinds of notice that carry a 文号, and the character after the 代字 (a decision's comes from its verdict).
NUMBERED_KINDS = frozenset({"decision", "non_acceptance"})
NON_ACCEPTANCE_CHAR = "不受"


def sequence_next(*, department, year: int) -> int:
    table = DocumentNumberSequence._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} (department_id, year, last) VALUES (%s, %s, 1) "
                    f"ON CONFLICT (department_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                    [department.pk, year])
        return int(cur.fetchone()[0])


def format_number(*, prefix: str, char: str, year: int, seq: int) -> str:
    return f"{prefix}{char}〔{year}〕{seq}号"


def _char(notice) -> str:
    if notice.kind == "non_acceptance":
        return NON_ACCEPTANCE_CHAR
    return case_verdict(notice.case, approved=bool((notice.content or {}).get("approved"))).doc_char


def notice_number_allocate(*, notice) -> NoticeDocNumber | None:
    """The notice's 文号, drawn now if it has none (None for kinds that carry none)."""
    if notice.kind not in NUMBERED_KINDS:
        return None
    existing = NoticeDocNumber.objects.filter(notice=notice).first()
    if existing is not None:
        return existing
    department = notice.case.department
    created = notice.created_at or timezone.now()
    year = timezone.localtime(created).year
    seq = sequence_next(department=department, year=year)
    prefix = department_authority(department).prefix
    text = format_number(prefix=prefix, char=_char(notice), year=year, seq=seq)
    try:
        with transaction.atomic():
            return NoticeDocNumber.objects.create(notice=notice, department=department, year=year, seq=seq, text=text)
    except IntegrityError:
        # Two departments were given the same 代字: tell them apart by the department's code (the sequence
        # itself is the department's own and cannot collide).
        row = NoticeDocNumber.objects.filter(notice=notice).first()
        if row is not None:
            return row
        text = format_number(prefix=f"{prefix}（{department.code}）", char=_char(notice), year=year, seq=seq)
        return NoticeDocNumber.objects.create(notice=notice, department=department, year=year, seq=seq, text=text)


def notice_number_text(notice) -> str:
    """The 文号 of a notice as printed ("" when it has none). Old notices given before 文号 existed get one on
    first print."""
    if notice.kind not in NUMBERED_KINDS or not notice.pk:
        return ""
    row = notice_number_allocate(notice=notice)
    return row.text if row else ""
