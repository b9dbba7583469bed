"""Names and identities in the normal form that blocking and comparison work on.

Each record is normalised once, when it enters the index, and each buyer once per check.
The rules are deliberately simple and visible:

- text goes through `text.name_words` (unicode, accents, punctuation; never raises);
- generational suffixes (Jr, Sr, II, III, IV) are taken out of every name part and kept
  apart, so "Smith Jr" and "Smith" compare as the same family name;
- surname particles (de, la, van, al, bin, ...) are recognised inside a family name, so
  "De la Cruz", "Delacruz" and "Cruz", or "Al-Hassan", "Alhassan" and "Hassan" can be
  told to be the same surname with or without the particle;
- compound family names ("Garcia Lopez", "Garcia-Lopez") keep every part as a token, so a
  record that carries only one of them still shares it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pycountry

from transfercheck.domain.identities import IdDocument, IdDocumentType, Identity, PersonName, Sex
from transfercheck.domain.places import US_PLACE_NAMES
from transfercheck.matching.text import name_words

SUFFIXES: dict[str, str] = {
    "jr": "jr", "jnr": "jr", "junior": "jr", "sr": "sr", "snr": "sr", "senior": "sr",
    "ii": "ii", "2nd": "ii", "iii": "iii", "3rd": "iii", "iv": "iv", "4th": "iv",
}  # fmt: skip

PARTICLES: frozenset[str] = frozenset({
    "de", "del", "della", "dela", "der", "den", "des", "du", "la", "le", "lo", "van", "von",
    "da", "das", "dos", "do", "di", "al", "el", "ul", "bin", "ibn", "ben", "bint", "ter", "ten",
    "y", "e",
})  # fmt: skip

# Particles that people also write glued to the name ("Alhassan", "Delacruz", "Vanderberg").
# Longest first, so "delacruz" loses "dela" rather than "de".
GLUED_PARTICLES: tuple[str, ...] = (
    "vander", "vanden", "della", "dela", "del", "van", "von", "bin", "ibn", "ben",
    "al", "el", "ul", "de", "da", "di", "du", "le", "la",
)  # fmt: skip
_MIN_GLUED_REST = 4  # "Alvarez" -> "varez" is harmless; "Dean" -> "an" would not be
_GLUED_BY_START: dict[str, tuple[str, ...]] = {
    start: tuple(p for p in GLUED_PARTICLES if p.startswith(start))
    for start in {p[:2] for p in GLUED_PARTICLES}
}

_NOT_LETTER = re.compile(r"[^a-z]")
_NOT_DIGIT = re.compile(r"[^0-9]")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")

MAX_NAMES = 20  # primary name plus aliases; more is not a person, it is a data error
_MAX_SHOWN = 40


@dataclass(frozen=True)
class NormalisedName:
    """One name as word tokens, with the family name's forms precomputed."""

    given: tuple[str, ...]
    middle: tuple[str, ...]
    family: tuple[str, ...]
    suffix: str  # "jr", "sr", "ii", "iii", "iv" or ""
    family_core: tuple[str, ...]  # family tokens without particles
    family_forms: frozenset[str]  # every spelling the family name may appear under
    shown: PersonName  # as entered (cleaned of invisible characters), for explanations

    @property
    def first_given(self) -> str:
        return self.given[0] if self.given else ""

    @property
    def first_middle(self) -> str:
        """The middle name, or the second given name when no middle name was entered."""
        if self.middle:
            return self.middle[0]
        return self.given[1] if len(self.given) > 1 else ""

    @property
    def family_joined(self) -> str:
        return "".join(self.family)

    @property
    def core_joined(self) -> str:
        return "".join(self.family_core)

    @property
    def is_empty(self) -> bool:
        return not (self.given or self.family)


@dataclass(frozen=True)
class DocumentKey:
    """An ID document reduced to what identifies it: a kind, an issuer and a number."""

    kind: str  # "state" (driver's licence or state ID: one number space), "passport", "military"
    issuer: str
    number: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.issuer}:{self.number}"


@dataclass(frozen=True)
class NormalisedIdentity:
    names: tuple[NormalisedName, ...]  # primary name first, then aliases
    date_of_birth: date
    sex: Sex
    ssn: str | None
    id_document: DocumentKey | None
    fbi_number: str | None
    place_of_birth: str | None = None  # `normalise_place`: a state code or a country


def normalise_name(name: PersonName) -> NormalisedName:
    """Normalise one name; garbage parts come out as empty token tuples, never an error."""
    given, suffix_g = name_part(name.given, keep_lone=True)
    middle, suffix_m = name_part(name.middle, keep_lone=False)
    family, suffix_f = name_part(name.family, keep_lone=True)
    shown = PersonName(shown_part(name.given), shown_part(name.family),
                       shown_part(name.middle) or None)  # fmt: skip
    return build_name(given, middle, family, suffix_f or suffix_g or suffix_m, shown)


def name_part(raw: str | None, keep_lone: bool) -> tuple[tuple[str, ...], str]:
    """One name field's words and the suffix taken out of it; `keep_lone` keeps a lone
    suffix word as a name (given and family fields: "Junior" alone is a given name)."""
    return _strip_suffix(name_words(raw), keep_lone)


def swap_given_middle(name: NormalisedName) -> NormalisedName | None:
    """The name read with given and middle names exchanged; None when there is no middle."""
    if name.middle:
        given, middle = name.middle, name.given
        shown = PersonName(name.shown.middle or "", name.shown.family, name.shown.given)
    elif len(name.given) > 1:
        given, middle = name.given[1:], name.given[:1]
        parts = name.shown.given.split(None, 1)
        first, rest = (parts[0], parts[1]) if len(parts) == 2 else (middle[0], " ".join(given))
        shown = PersonName(rest, name.shown.family, first)
    else:
        return None
    return build_name(given, middle, name.family, name.suffix, shown)


def swap_given_family(name: NormalisedName) -> NormalisedName | None:
    """The name read with given and family names exchanged; None when that changes nothing."""
    if name.given == name.family or not (name.given and name.family):
        return None
    shown = PersonName(name.shown.family, name.shown.given, name.shown.middle)
    return build_name(name.family, name.middle, name.given, name.suffix, shown)


def normalise_identity(identity: Identity) -> NormalisedIdentity:
    """Normalise every name (aliases deduplicated) and the identifiers of one identity."""
    names: dict[tuple[object, ...], NormalisedName] = {}
    for raw in identity.all_names[:MAX_NAMES]:
        name = normalise_name(raw)
        names.setdefault((name.given, name.middle, name.family, name.suffix), name)
    return NormalisedIdentity(
        names=tuple(names.values()),
        date_of_birth=identity.date_of_birth,
        sex=identity.sex,
        ssn=normalise_ssn(identity.ssn),
        id_document=normalise_document(identity.id_document),
        fbi_number=normalise_fbi_number(identity.fbi_number),
        place_of_birth=normalise_place(identity.place_of_birth),
    )


# A US place by its code or its name, in plain words ("u s virgin islands" -> VI).
_US_PLACES: dict[str, str] = {
    **{code.lower(): code for code in US_PLACE_NAMES},
    **{" ".join(name_words(name)): code for code, name in US_PLACE_NAMES.items()},
}
# Too coarse to compare with a state: as good as no answer.
_ONLY_THE_COUNTRY = frozenset({"us", "u s", "usa", "u s a", "united states",
                               "united states of america", "america"})  # fmt: skip


@lru_cache(maxsize=4096)
def normalise_place(raw: str | None) -> str | None:
    """A place of birth as a US state's code ("Los Angeles, CA", "california" -> "CA"),
    a country's ISO 3166 code ("Viet Nam", "Vietnam", "viet-nam" -> "VNM"), or else the
    last part in plain words; None when missing or only "United States". A form asks for
    a city and state or a foreign country, a record holds a state code or a country: the
    last part that names a state or a country decides."""
    parts = [" ".join(words) for part in (raw or "").split(",") if (words := name_words(part))]
    if not parts:
        return None
    for part in reversed(parts):
        if part in _ONLY_THE_COUNTRY:
            continue
        if part in _US_PLACES:
            return _US_PLACES[part]
        if country := _country_code(part):
            return country
    last = parts[-1]
    return None if last in _ONLY_THE_COUNTRY else last


def _country_code(words: str) -> str | None:
    """The ISO 3166 alpha-3 code of a country named exactly (by name, official name, common
    name or code, in any case); no fuzzy guess: "Korea" is two countries."""
    try:
        country = pycountry.countries.lookup(words)
    except LookupError:
        return None
    return str(country.alpha_3)


def place_shown(place: str | None) -> str:
    """A normalised place for an examiner: "TX", "Viet Nam", or the words as they are."""
    if not place:
        return ""
    if len(place) == 3 and place.isupper():
        country = pycountry.countries.get(alpha_3=place)
        return str(country.name) if country else place
    return place if place.isupper() else place.title()


def normalise_fbi_number(raw: str | None) -> str | None:
    return _alnum_upper(raw) or None


def build_name(
    given: tuple[str, ...],
    middle: tuple[str, ...],
    family: tuple[str, ...],
    suffix: str,
    shown: PersonName,
) -> NormalisedName:
    """A normalised name from its token parts (the index rebuilds stored names this way)."""
    core = _family_core(family)
    return NormalisedName(given, middle, family, suffix, core, family_forms(family), shown)


@lru_cache(maxsize=1 << 16)
def _strip_suffix(words: tuple[str, ...], keep_lone: bool) -> tuple[tuple[str, ...], str]:
    # A lone "Junior" in the given-name field is a given name (common in Brazil), not a suffix.
    suffix = ""
    kept: list[str] = []
    for word in words:
        if not suffix and word in SUFFIXES and (len(words) > 1 or not keep_lone):
            suffix = SUFFIXES[word]
        else:
            kept.append(word)
    letters = (_NOT_LETTER.sub("", word) for word in kept)
    return tuple(word for word in letters if word), suffix


@lru_cache(maxsize=1 << 18)
def family_forms(family: tuple[str, ...]) -> frozenset[str]:
    """Every spelling a family name may appear under (joined, without particles, parts)."""
    return _family_forms(family, _family_core(family))


@lru_cache(maxsize=1 << 16)
def _family_core(family: tuple[str, ...]) -> tuple[str, ...]:
    # A particle counts as one only before another word: a family name "Van" stays "van".
    core = tuple(w for i, w in enumerate(family) if w not in PARTICLES or i == len(family) - 1)
    return core or family


def _family_forms(family: tuple[str, ...], core: tuple[str, ...]) -> frozenset[str]:
    forms = {"".join(family), "".join(core)}
    forms.update(word for word in core if len(word) >= 2)
    forms.update(unglued for word in core if (unglued := _unglue(word)))
    forms.discard("")
    return frozenset(forms)


def _unglue(word: str) -> str:
    # The first particle in GLUED_PARTICLES' order that leaves enough behind it; only the
    # particles that share the word's first two letters can (most words have none).
    for particle in _GLUED_BY_START.get(word[:2], ()):
        if word.startswith(particle) and len(word) - len(particle) >= _MIN_GLUED_REST:
            return word[len(particle) :]
    return ""


_SSN_PLACEHOLDERS = frozenset({"123456789", "078051120", "219099999", "987654321"})


def normalise_ssn(raw: str | None) -> str | None:
    """Nine digits, or None for anything that cannot be a real SSN.

    Placeholders (000-00-0000, 123-45-6789, one digit repeated, the famous Woolworth
    wallet-card number) are treated as missing: agreeing on a placeholder must never count
    as an identifier match, because an identifier match is what allows a denial.
    """
    digits = _NOT_DIGIT.sub("", unicodedata.normalize("NFKC", (raw or "")[:64]))
    if len(digits) != 9 or digits in _SSN_PLACEHOLDERS or len(set(digits)) == 1:
        return None
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or group == "00" or serial == "0000":
        return None
    return digits


def normalise_document(document: IdDocument | None) -> DocumentKey | None:
    """The document's kind, issuer and number in upper-case letters and digits only."""
    if document is None:
        return None
    number = _alnum_upper(document.number)
    issuer = _alnum_upper(document.issuer)
    if not number or not issuer:
        return None
    return DocumentKey(_document_kind(document.type), issuer, number)


def _document_kind(kind: IdDocumentType) -> str:
    # A state issues driver's licences and ID cards from one number space in most states.
    if kind in (IdDocumentType.DRIVERS_LICENSE, IdDocumentType.STATE_ID):
        return "state"
    return kind.value


def _alnum_upper(raw: str | None) -> str:
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", raw or "")[:64].upper())


def shown_part(raw: str | None) -> str:
    """The entered text for an examiner to read: invisible characters out, length bounded."""
    return _shown_text((raw or "")[:200])


@lru_cache(maxsize=65536)
def _shown_text(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    text = " ".join(text.split())
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"
