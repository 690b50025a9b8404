import pytest

from assistant.clean import NotAQuestion, clean, tidy


@pytest.mark.parametrize("raw, expected", [
    ("Welk\u200b streefcijfer?", "Welk streefcijfer?"),
    ("\u202eWelk streefcijfer?\u202c", "Welk streefcijfer?"),
    ("Welk\x1b[31m streefcijfer\x07?", "Welk[31m streefcijfer?"),
    ("Ｗｅｌｋ ｍｂｏ？", "Welk mbo?"),
    ("Wat\n\n\n zegt\tNEMO?", "Wat zegt NEMO?"),
    ("Welk streefcijfer?\udcff", "Welk streefcijfer?"),
])
def test_invisible_and_control_characters_are_removed(raw, expected):
    assert clean(raw) == expected


@pytest.mark.parametrize("raw, code", [
    ("\x00" * 5, "not_text"),
    (bytes(range(256)).decode("latin-1"), "not_text"),
    (b"\xff\xfe\x00\x81".decode("utf-8", "surrogateescape") * 3 + "ab", "not_text"),
    ("🤖📚", "no_words"),
    ("?!? 12% 2024", "no_words"),
])
def test_input_that_is_not_a_question(raw, code):
    with pytest.raises(NotAQuestion) as e:
        clean(raw)
    assert e.value.code == code


def test_tidy_never_raises():
    assert tidy("\x00\x00") == "" and tidy("a\u200bb  c") == "ab c"
