"""Any unicode name text to plain ASCII word tokens.

This is the one place that deals with scripts, accents, invisible characters and
punctuation, so that everything after it compares plain lowercase ASCII words. It never
raises: text with nothing usable in it (emoji, symbols, a script we cannot transliterate)
gives no tokens, and the caller treats the name as missing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# No real name part is longer; bounding the input bounds the work for hostile input.
MAX_INPUT_CHARS = 256

_APOSTROPHES = frozenset("'’‘ʼ`´′ʹ")  # O'Brien is one word, not two

# Letters that NFKD does not decompose into a base letter plus marks.
_SPECIAL_LETTERS = {
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "æ": "ae",
    "œ": "oe",
    "ß": "ss",
    "ħ": "h",
    "ŧ": "t",
    "ŋ": "n",
    "ſ": "s",
}

# A word written wholly in Cyrillic is a Cyrillic name: transliterate it (BGN/PCGN, simplified).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e",
    "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ј": "j",
    "ѕ": "dz", "љ": "lj", "њ": "nj", "џ": "dzh", "ћ": "c", "ђ": "dj",
}  # fmt: skip

# A word that mixes Latin with Cyrillic or Greek letters is a Latin word typed with
# look-alike keys (or a spoofing attempt): read each look-alike as the Latin letter it shows.
_LOOKALIKES = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
    "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "α": "a", "β": "b",
    "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w",
}  # fmt: skip


def name_words(raw: str | None) -> tuple[str, ...]:
    """Split one name field into lowercase ASCII words (letters and digits only).

    Hyphens, dots, commas and any other separator break words; apostrophes and
    invisible format characters (zero-width joiners, direction marks) join them.
    """
    if not raw or not isinstance(raw, str):
        return ()
    return _words(raw[:MAX_INPUT_CHARS])


_ASCII_SEPARATORS = re.compile(r"[^a-z0-9]+")
_ASCII_APOSTROPHES = re.compile(r"['`]")


# Names repeat (a few thousand spellings cover most people), so each is worked out once.
@lru_cache(maxsize=1 << 18)
def _words(raw: str) -> tuple[str, ...]:
    if raw.isascii():
        plain = _ASCII_APOSTROPHES.sub("", raw.lower())
        return tuple(word for word in _ASCII_SEPARATORS.split(plain) if word)
    text = unicodedata.normalize("NFKC", raw).casefold()
    words = (_to_ascii(word) for word in _split(text))
    return tuple(word for word in words if word)


def _split(text: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for char in text:
        if char in _APOSTROPHES or unicodedata.category(char) == "Cf":
            continue
        if char.isalnum() or unicodedata.category(char).startswith("M"):
            current.append(char)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def _to_ascii(word: str) -> str:
    has_latin = any(_is_latin(c) for c in word)
    has_other = any(_is_cyrillic_or_greek(c) for c in word)
    if has_latin and has_other:
        word = "".join(_LOOKALIKES.get(c, c) for c in word)
    elif has_other:
        word = "".join(_CYRILLIC.get(c, c) for c in word)
    plain = unicodedata.normalize("NFKD", word)
    letters = (_SPECIAL_LETTERS.get(c, c) for c in plain if not unicodedata.combining(c))
    return "".join(c for c in "".join(letters) if c.isascii() and c.isalnum())


def _is_latin(char: str) -> bool:
    point = ord(char)
    return char.isascii() or 0x00C0 <= point <= 0x024F or 0x1E00 <= point <= 0x1EFF


def _is_cyrillic_or_greek(char: str) -> bool:
    point = ord(char)
    return 0x0370 <= point <= 0x03FF or 0x0400 <= point <= 0x052F
