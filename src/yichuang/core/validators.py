"""Identity numbers used everywhere: the resident ID number and the unified social credit code.

- 公民身份号码, GB 11643-1999: 6-digit address code, 8-digit birth date, 3-digit sequence,
  1 check character from ISO 7064 MOD 11-2.
- 统一社会信用代码, GB 32100-2015: 18 characters from a 31-character alphabet (no I, O, Z, S, V),
  the last one a MOD 31 check character.

Each ``validate_*`` returns the normalised value or raises :class:`ValidationFailed` with a clear
Chinese (and English) message saying exactly what is wrong.
"""

from __future__ import annotations

import datetime as dt

from .errors import ValidationFailed

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# 省级行政区划代码 (GB/T 2260), the first two digits of every resident ID number.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_number_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def validate_id_number(value: str, *, field: str = "id_number", today: dt.date | None = None) -> str:
    raw = (value or "").strip().upper().replace(" ", "")
    if not raw:
        raise ValidationFailed("请填写身份证号码。", "The resident ID number is required.", field=field)
    if len(raw) != 18:
        raise ValidationFailed(
            f"身份证号码应为18位，当前为{len(raw)}位。",
            f"A resident ID number has 18 characters; this one has {len(raw)}.",
            field=field,
        )
    if not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X"):
        raise ValidationFailed(
            "身份证号码前17位应为数字，最后一位为数字或X。",
            "The first 17 characters must be digits and the last a digit or X.",
            field=field,
        )
    if raw[:2] not in PROVINCE_CODES:
        raise ValidationFailed(
            f"身份证号码的地址码“{raw[:6]}”无效。", f"The address code {raw[:6]} is not valid.", field=field
        )
    birth = id_number_birth_date(raw)
    today = today or dt.date.today()
    if birth is None or birth.year < 1890 or birth > today:
        raise ValidationFailed(
            f"身份证号码中的出生日期“{raw[6:14]}”无效。",
            f"The birth date {raw[6:14]} in the ID number is not a valid date.",
            field=field,
        )
    expected = id_number_check_char(raw[:17])
    if raw[17] != expected:
        raise ValidationFailed(
            "身份证号码校验位错误，请核对后重新输入。",
            "The check digit of the ID number is wrong; please check the number.",
            field=field,
            code="bad_check_digit",
        )
    return raw


def id_number_birth_date(value: str) -> dt.date | None:
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except (ValueError, IndexError):
        return None


def age_on(id_number: str, day: dt.date) -> int | None:
    birth = id_number_birth_date(id_number)
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def mask_id_number(value: str) -> str:
    """110***********1234 — the masked form shown by default."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    if not value or len(value) < 7:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str, *, field: str = "credit_code") -> str:
    raw = (value or "").strip().upper().replace(" ", "")
    if not raw:
        raise ValidationFailed("请填写统一社会信用代码。", "The unified social credit code is required.", field=field)
    if len(raw) != 18:
        raise ValidationFailed(
            f"统一社会信用代码应为18位，当前为{len(raw)}位。",
            f"A unified social credit code has 18 characters; this one has {len(raw)}.",
            field=field,
        )
    bad = sorted({c for c in raw if c not in USCC_ALPHABET})
    if bad:
        raise ValidationFailed(
            f"统一社会信用代码含有无效字符：{'、'.join(bad)}（不使用I、O、Z、S、V）。",
            f"Invalid characters in the credit code: {', '.join(bad)} (I, O, Z, S, V are never used).",
            field=field,
        )
    if not raw[2:8].isdigit():
        raise ValidationFailed(
            "统一社会信用代码第3至8位应为登记管理机关行政区划码（数字）。",
            "Characters 3 to 8 of the credit code must be the digits of a division code.",
            field=field,
        )
    if raw[17] != uscc_check_char(raw[:17]):
        raise ValidationFailed(
            "统一社会信用代码校验位错误，请核对后重新输入。",
            "The check character of the unified social credit code is wrong.",
            field=field,
            code="bad_check_digit",
        )
    return raw
