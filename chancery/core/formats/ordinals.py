"""Ordinal numbers written with digits, in the active language: 1st · 1-й · 1-ші.

English takes st/nd/rd/th; Russian the masculine «-й» (вариант выбора is masculine); Kazakh
«-ші» or «-шы» by vowel harmony with the last number word spoken (бір-ші, алты-шы, он-шы,
елу-ші, жүз-ші, мың-шы).
"""

from django.utils.translation import get_language

# Kazakh: the numbers whose word takes the back-vowel suffix «-шы».
_KK_BACK_UNITS = {6, 9}
_KK_BACK_TENS = {1, 2, 3, 4, 6, 9}  # он, жиырма, отыз, қырық, алпыс, тоқсан


def _kazakh_suffix(n: int) -> str:
    if n % 10:
        return "шы" if n % 10 in _KK_BACK_UNITS else "ші"
    if n % 100:
        return "шы" if (n % 100) // 10 in _KK_BACK_TENS else "ші"
    if n % 1000:
        return "ші"  # жүз
    if n % 1_000_000:
        return "шы"  # мың
    return "шы"  # миллион


def ordinal(n: int) -> str:
    """`n` as an ordinal in the active language (en, ru, kk)."""
    language = (get_language() or "en")[:2]
    if language == "ru":
        return f"{n}-й"
    if language == "kk":
        return f"{n}-{_kazakh_suffix(abs(n))}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
