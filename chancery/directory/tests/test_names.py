from hypothesis import given
from hypothesis import strategies as st

from chancery.directory.names import name_key, transliterate


def test_it_transliterates_russian_and_kazakh_letters() -> None:
    assert transliterate("Қазақстан") == "Kazakstan"
    assert transliterate("Щукин") == "Shchukin"


def test_cyrillic_and_latin_spellings_of_one_name_meet() -> None:
    assert name_key("Данияр", "Суюнов") == name_key("Daniyar", "Suyunov")
    assert name_key("Ермек", "Абилгазиев") == name_key("Yermek", "Abilgaziev")
    assert name_key("Elnura", "Omurkulova") == name_key("Элнура", "Омуркулова")


def test_word_order_and_diacritics_do_not_matter() -> None:
    assert name_key("Suyunov Daniyar") == name_key("Daniyar", "Suyunov")
    assert name_key("Zoë", "Müller") == name_key("Zoe", "Muller")


def test_different_names_stay_apart() -> None:
    assert name_key("Anna", "Savchenko") != name_key("Anna", "Sadykova")


@given(st.text(max_size=40))
def test_a_key_is_lowercase_ascii_words(text: str) -> None:
    key = name_key(text)
    assert key == key.strip()
    assert all(word.isascii() and word.isalpha() and word.islower() for word in key.split())


@given(
    st.lists(
        st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщыэюяәғқңөұүһі", min_size=1, max_size=10),
        min_size=1,
        max_size=3,
    )
)
def test_a_key_does_not_depend_on_word_order(words: list[str]) -> None:
    assert name_key(*words) == name_key(*reversed(words))
