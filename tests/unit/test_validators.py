import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yichuang.core.errors import ValidationFailed
from yichuang.core.validators import (USCC_ALPHABET, age_on, id_number_check_char, mask_id_number, uscc_check_char,
                                      validate_credit_code, validate_id_number)

VALID_ID = "11010519491231002X"  # GB 11643 standard example
VALID_USCC = "91350100M000100Y43"


def test_standard_examples_are_valid():
    assert validate_id_number(VALID_ID) == VALID_ID
    assert validate_id_number(VALID_ID.lower()) == VALID_ID
    assert validate_credit_code(VALID_USCC) == VALID_USCC


@pytest.mark.parametrize("value,fragment", [
    ("", "请填写"),
    ("1101051949123100", "18位"),
    ("110105194912310021", "校验位"),
    ("11010519491331002X", "出生日期"),
    ("990105194912310021", "地址码"),
    ("11010519491231002Y", "最后一位"),
])
def test_bad_id_numbers_have_clear_chinese_messages(value, fragment):
    with pytest.raises(ValidationFailed) as exc:
        validate_id_number(value)
    assert fragment in exc.value.message
    assert exc.value.message_en


@pytest.mark.parametrize("value,fragment", [
    ("91350100M000100Y4", "18位"),
    ("91350100M000100Y44", "校验位"),
    ("91350100M000I00Y43", "无效字符"),
])
def test_bad_credit_codes(value, fragment):
    with pytest.raises(ValidationFailed) as exc:
        validate_credit_code(value)
    assert fragment in exc.value.message


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
       st.integers(min_value=0, max_value=999))
def test_any_id_with_computed_check_digit_validates_and_one_wrong_digit_fails(birth, seq):
    first17 = f"330106{birth:%Y%m%d}{seq:03d}"
    good = first17 + id_number_check_char(first17)
    assert validate_id_number(good) == good
    wrong = next(c for c in "0123456789X" if c != good[-1])
    with pytest.raises(ValidationFailed):
        validate_id_number(first17 + wrong)


@given(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9), st.sampled_from(["91", "92", "11", "51", "Y1"]))
def test_any_credit_code_with_computed_check_validates(body, head):
    first17 = head + "500000" + body
    assert validate_credit_code(first17 + uscc_check_char(first17))


def test_mask_and_age():
    assert mask_id_number(VALID_ID) == "110***********002X"
    assert age_on(VALID_ID, dt.date(2019, 12, 31)) == 70
    assert age_on(VALID_ID, dt.date(2019, 12, 30)) == 69
