"""The log masker leaves case numbers readable and still masks ID and phone numbers (issue 19, item 10d).

A county centre's case number (500107 + YYYYMMDD + 4-digit sequence) has the 18 digits of an ID number, and about
one in eleven has a valid check character as well: those are the case numbers that used to be masked."""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from yichuang.core.validators import id_number_check_char
from yichuang.ops.logging import mask_pii

# Pure functions: on a busy two-core CI machine an example can take longer than Hypothesis's 200 ms by default.
no_deadline = settings(deadline=None)

CENTRES = ["500107", "500153", "500101", "510104", "110101"]

case_days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date.today())
birth_days = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date.today())


@st.composite
def case_numbers(draw, *, id_shaped: bool = False) -> str:
    """A case number; with ``id_shaped`` one whose last digit is also a valid ID check character."""
    head = f"{draw(st.sampled_from(CENTRES))}{draw(case_days):%Y%m%d}"
    if not id_shaped:
        return f"{head}{draw(st.integers(1, 9999)):04d}"
    first17 = f"{head}{draw(st.integers(0, 999)):03d}"
    check = id_number_check_char(first17)
    assume(check != "X" and first17[-3:] + check != "0000")   # sequences are digits, and start at 0001
    return first17 + check


@st.composite
def id_numbers(draw) -> str:
    first17 = f"{draw(st.sampled_from(CENTRES))}{draw(birth_days):%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + id_number_check_char(first17)


phones = st.builds(lambda second, rest: f"1{second}{rest:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1))

CASE_CONTEXTS = [
    "GET /cases/{}/ 200",
    "POST /api/v1/cases/{}/accept 409",
    "/documents/cases/{}/",
    "/cases/{}/notices/3/",
    "/supervision/rate/case/{}/?code=1234",
    "case {} approved by approver_scj",
    "case_number={} forwarded",
    "办件 {} 已受理",
    "办件编号：{}",
    "/cases/progress/?number={}&code=0011",
    '{{"number": "{}", "state": "accepted"}}',
]
ID_CONTEXTS = [
    "申请人 {} 收件",
    "id_number={}",
    "ID number {} refused",
    "身份证号：{}",
    "applicant {} signed in",
    "{}",
    "no {} here",
]


def _masked(value: str) -> str:
    return value[:3] + "*" * 11 + value[-4:]


@no_deadline
@given(number=case_numbers(id_shaped=True), context=st.sampled_from(CASE_CONTEXTS))
def test_an_id_shaped_case_number_stays_readable(number, context):
    line = context.format(number)
    assert mask_pii(line) == line


@no_deadline
@given(number=case_numbers(), context=st.sampled_from(CASE_CONTEXTS))
def test_every_case_number_stays_readable(number, context):
    line = context.format(number)
    assert mask_pii(line) == line


@no_deadline
@given(value=id_numbers(), context=st.sampled_from(ID_CONTEXTS))
def test_id_numbers_are_masked(value, context):
    out = mask_pii(context.format(value))
    assert value not in out and _masked(value) in out


@no_deadline
@given(number=case_numbers(id_shaped=True), value=id_numbers(), phone=phones)
def test_a_line_with_a_case_an_id_and_a_phone(number, value, phone):
    out = mask_pii(f"case {number} applicant {value} phone {phone}")
    assert out == f"case {number} applicant {_masked(value)} phone {phone[:3]}****{phone[-4:]}"


@no_deadline
@given(value=id_numbers())
def test_a_child_id_after_a_case_word_and_an_id_word_is_masked(value):
    # "case … id_number=…": the ID word between them decides.
    out = mask_pii(f"case 12 id_number={value}")
    assert _masked(value) in out


@no_deadline
@given(phone=phones, context=st.sampled_from(CASE_CONTEXTS + ID_CONTEXTS))
def test_phones_are_masked_anywhere(phone, context):
    out = mask_pii(context.format(phone))
    assert phone not in out and f"{phone[:3]}****{phone[-4:]}" in out


def test_a_case_number_with_an_impossible_date_is_not_a_case_number():
    first17 = "50010719900101123"   # 1990: before any case; an ID number after the word "case" all the same
    value = first17 + id_number_check_char(first17)
    assert mask_pii(f"/cases/{value}/") == f"/cases/{_masked(value)}/"
