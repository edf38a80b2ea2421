import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.identifiers import (
    CREDIT_CODE_CHARS,
    mask_id_number,
    mask_phone,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
)

VALID_CODES = ["91350100M000100Y43", "91210231MA0QX7LK1Q"]
VALID_IDS = ["11010519491231002X", "370101190102039973"]


@pytest.mark.parametrize("code", VALID_CODES)
def test_known_good_credit_codes(code):
    assert normalize_credit_code(code) == code


@pytest.mark.parametrize("code,message", [
    ("91350100M000100Y4Z", "无效字符"),
    ("91350100M000100Y42", "校验位"),
    ("91350100M000100Y4", "18位"),
    ("91350100M0001O0Y43", "无效字符"),
    ("<script>alert(1)</script>", "18位"),
    ("", "18位"),
])
def test_known_bad_credit_codes(code, message):
    with pytest.raises(ValidationError) as error:
        normalize_credit_code(code)
    assert message in error.value.messages[0]


def test_credit_code_input_is_normalised():
    assert normalize_credit_code(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"


@pytest.mark.parametrize("number", VALID_IDS)
def test_known_good_id_numbers(number):
    assert normalize_id_number(number) == number


def test_lower_case_x_and_full_width_digits_are_accepted():
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert normalize_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"


@pytest.mark.parametrize("number,message", [
    ("110105194912310021", "校验位"),
    ("990105194912310020", "地区"),
    ("110105194902300024", "出生日期"),
    ("110105209901010029", "出生日期"),
    ("11010519491231002", "18位"),
    ("11010519491231002Y", "格式"),
])
def test_known_bad_id_numbers(number, message):
    with pytest.raises(ValidationError) as error:
        normalize_id_number(number)
    assert message in error.value.messages[0]


def _mutations(value, alphabet):
    for i, original in enumerate(value):
        for replacement in alphabet:
            if replacement != original:
                yield value[:i] + replacement + value[i + 1:]
    for i in range(len(value) - 1):
        if value[i] != value[i + 1]:
            yield value[:i] + value[i + 1] + value[i] + value[i + 2:]


@pytest.mark.parametrize("code", VALID_CODES)
def test_every_single_change_and_adjacent_swap_of_a_credit_code_is_caught(code):
    for mutated in _mutations(code, CREDIT_CODE_CHARS):
        with pytest.raises(ValidationError):
            normalize_credit_code(mutated)


@pytest.mark.parametrize("number", VALID_IDS)
def test_every_single_change_and_adjacent_swap_of_an_id_number_is_caught(number):
    for mutated in _mutations(number, "0123456789X"):
        with pytest.raises(ValidationError):
            normalize_id_number(mutated)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_text_is_a_validation_error_never_a_crash(text):
    for normalize in (normalize_credit_code, normalize_id_number, normalize_mobile):
        try:
            normalize(text)
        except ValidationError:
            pass


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=CREDIT_CODE_CHARS, min_size=2, max_size=2),
       st.text(alphabet="0123456789", min_size=6, max_size=6),
       st.text(alphabet=CREDIT_CODE_CHARS, min_size=9, max_size=9))
def test_property_any_valid_code_rejects_all_its_single_changes_and_swaps(authority, region, organisation):
    from portal.core.identifiers import credit_code_check_char

    first17 = authority + region + organisation
    code = first17 + credit_code_check_char(first17)
    assert normalize_credit_code(code) == code
    for mutated in _mutations(code, CREDIT_CODE_CHARS):
        with pytest.raises(ValidationError):
            normalize_credit_code(mutated)


def test_mobile_numbers():
    assert normalize_mobile("138 0013 8000") == "13800138000"
    assert normalize_mobile("+8613800138000") == "13800138000"
    for bad in ("12800138000", "1380013800", "23800138000", "phone"):
        with pytest.raises(ValidationError):
            normalize_mobile(bad)


def test_masks():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13812341234") == "138****1234"
