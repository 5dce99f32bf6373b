"""Name normalisation for finding the same person written in Latin or Cyrillic script.

The key of a name is built in three steps, so that "Данияр Суюнов", "Daniyar Suyunov" and
"Daniiar Suiunov" meet:
1. Cyrillic letters (Russian, Kazakh and Kyrgyz alphabets) are transliterated letter by letter
   with the table below, a simplified form of the Kazakh/Russian passport romanisation.
2. Latin diacritics are dropped (NFKD decomposition, combining marks removed); apostrophes,
   hyphens and spaces separate words; everything else that is not a letter is removed.
3. Spelling variants that transliteration produces are folded: "iy", "yi", "ii" and "y" become
   "i", "kh" becomes "h", "ts" and "tz" become "c", "j" and "dj" become "zh", "ou" becomes "u",
   a leading "ye" becomes "e", and doubled letters become single.
The words are then sorted, so that "Family Given" and "Given Family" give the same key.
"""

import re
import unicodedata

CYRILLIC_TO_LATIN = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

_FOLDS = (
    (re.compile(r"dzh|dj|j"), "zh"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"tz|ts"), "c"),
    (re.compile(r"iy|yi|ii|y"), "i"),
    (re.compile(r"^ie"), "e"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def transliterate(text: str) -> str:
    """Write Cyrillic letters of `text` in Latin script; other characters are kept."""
    out = []
    for char in text:
        lower = char.lower()
        latin = CYRILLIC_TO_LATIN.get(lower)
        if latin is None:
            out.append(char)
        else:
            out.append(latin.capitalize() if char != lower and latin else latin)
    return "".join(out)


def _fold_word(word: str) -> str:
    for pattern, replacement in _FOLDS:
        word = pattern.sub(replacement, word)
    return word


def name_key(*parts: str) -> str:
    """Return the script-independent comparison key of a person's name parts."""
    text = transliterate(" ".join(parts)).lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.split(r"[\s'’`\-‐.]+", text)
    cleaned = (re.sub(r"[^a-z]", "", word) for word in words)
    return " ".join(sorted(_fold_word(word) for word in cleaned if word))
