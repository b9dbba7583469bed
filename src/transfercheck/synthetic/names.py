"""Name pools per name-origin group, pulled once from Faker's locale lists.

Calling Faker per person costs tens of microseconds; sampling from its lists with our own
seeded `random.Random` costs one bisect, and keeps the output a function of the seed alone
(and of the Faker version, which the manifest records).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from random import Random

from faker.providers.person import en_IN, en_PK, en_US, es_ES, es_MX, fr_DZ, ha_NG, vi_VN, zh_CN

from transfercheck.domain.identities import Sex, name_problems
from transfercheck.synthetic.sampling import Weighted


class NameOrigin(StrEnum):
    ENGLISH = "english"
    HISPANIC = "hispanic"
    VIETNAMESE = "vietnamese"
    ARABIC = "arabic"
    CHINESE = "chinese"
    SOUTH_ASIAN = "south_asian"


# Share of each group among generated people. The smaller groups are over-represented
# (the US shares are roughly 70/19/0.7/1/1.5/1.5) so that every group is large enough to
# measure the matcher on.
ORIGIN_WEIGHTS: Mapping[NameOrigin, float] = {
    NameOrigin.ENGLISH: 0.60,
    NameOrigin.HISPANIC: 0.20,
    NameOrigin.VIETNAMESE: 0.05,
    NameOrigin.ARABIC: 0.05,
    NameOrigin.CHINESE: 0.05,
    NameOrigin.SOUTH_ASIAN: 0.05,
}


@dataclass(frozen=True)
class NamePool:
    """Everything needed to name a person of one origin group."""

    male: Weighted[str]
    female: Weighted[str]
    family: Weighted[str]
    middle_male: Weighted[str]
    middle_female: Weighted[str]
    middle_share: float  # people with a middle name
    initial_share: float  # of those, written as an initial only
    compound_share: float  # family name of two surnames (paternal + maternal)

    def given(self, sex: Sex, rng: Random) -> str:
        return (self.female if sex is Sex.FEMALE else self.male).pick(rng)

    def middle(self, sex: Sex, rng: Random) -> str:
        return (self.middle_female if sex is Sex.FEMALE else self.middle_male).pick(rng)


# Faker spells each name one way; US records spell the commonest Arabic names several ways.
# One tuple per name, every spelling of it.
_ARABIC_SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("Muhammad", "Mohammed", "Mohamed", "Mohammad", "Muhammed"),
    ("Ahmed", "Ahmad"),
    ("Hassan", "Hasan"),
    ("Hussein", "Hussain", "Husain"),
    ("Yusuf", "Youssef", "Yousef"),
    ("Abdullah", "Abdallah", "Abdulla"),
    ("Omar", "Umar"),
    ("Khalid", "Khaled"),
    ("Mahmoud", "Mahmood", "Mahmud"),
    ("Ibrahim", "Ibraheem"),
)
# Share of the male names drawn: Muhammad alone about 8%, each other spelling group 1%.
_SPELLING_SHARES = (0.08, *itertools.repeat(0.01, len(_ARABIC_SPELLINGS) - 1))

# Faker's romanised Chinese given names carry no sex; these are the female ones (the pinyin
# of the female hanzi in Faker's zh_CN first_names_female), every other one is male.
_CHINESE_FEMALE = frozenset(
    {
        "Fang",
        "Guiying",
        "Jing",
        "Juan",
        "Li",
        "Min",
        "Na",
        "Ping",
        "Xia",
        "Xiulan",
        "Xiuying",
        "Yan",
    }
)


def _clean(name: str) -> str:
    """One composed form, single spaces, and the typewriter apostrophe that forms accept."""
    return " ".join(unicodedata.normalize("NFC", name).replace("\u2019", "'").split())


def _weighted(*sources: tuple[Iterable[str] | Mapping[str, float], float]) -> Weighted[str]:
    """Merge name lists, each scaled so that it carries its given share of the total.

    A Faker list is either a mapping name -> frequency or a tuple whose repeats are its
    weights. Names that the domain would reject (stray punctuation) are dropped.
    """
    totals: dict[str, float] = {}
    for source, share in sources:
        counts = source if isinstance(source, Mapping) else Counter(source)
        size = sum(counts.values())
        for raw, weight in counts.items():
            name = _clean(raw)
            if not name_problems(name):
                totals[name] = totals.get(name, 0.0) + share * weight / size
    return Weighted(totals)


def _pool(
    male: Weighted[str],
    female: Weighted[str],
    family: Weighted[str],
    middle_share: float,
    *,
    middle_male: Weighted[str] | None = None,
    middle_female: Weighted[str] | None = None,
    initial_share: float = 0.0,
    compound_share: float = 0.0,
) -> NamePool:
    return NamePool(
        male=male,
        female=female,
        family=family,
        middle_male=middle_male or male,
        middle_female=middle_female or female,
        middle_share=middle_share,
        initial_share=initial_share,
        compound_share=compound_share,
    )


def _english() -> NamePool:
    p = en_US.Provider
    return _pool(
        _weighted((p.first_names_male, 1.0)),
        _weighted((p.first_names_female, 1.0)),
        _weighted((p.last_names, 1.0)),
        middle_share=0.75,
        initial_share=0.2,
    )


def _hispanic() -> NamePool:
    # Most Hispanic Americans have Mexican roots: es_MX carries three quarters of the weight.
    mx, es = es_MX.Provider, es_ES.Provider
    return _pool(
        _weighted((mx.first_names_male, 0.75), (es.first_names_male, 0.25)),
        _weighted((mx.first_names_female, 0.75), (es.first_names_female, 0.25)),
        _weighted((mx.last_names, 0.75), (es.last_names, 0.25)),
        middle_share=0.25,
        compound_share=0.4,
    )


def _vietnamese() -> NamePool:
    p = vi_VN.Provider
    unisex = [m for m in p.middle_names if m not in ("Văn", "Thị")]
    return _pool(
        _weighted((p.first_names_male, 0.7), (p.first_names_unisex, 0.3)),
        _weighted((p.first_names_female, 0.7), (p.first_names_unisex, 0.3)),
        _weighted((p.last_names, 1.0)),
        middle_share=0.7,
        # Văn is the traditional male middle name, Thị the female one.
        middle_male=_weighted((["Văn"], 0.5), (unisex, 0.5)),
        middle_female=_weighted((["Thị"], 0.5), (unisex, 0.5)),
    )


def _arabic() -> NamePool:
    # en_PK's lists are Latin-script Muslim boys' names; girls' names come from fr_DZ and
    # ha_NG, which also add North African and West African spellings.
    pk, dz, ng = en_PK.Provider, fr_DZ.Provider, ha_NG.Provider
    male = _weighted(
        (pk.first_names, 0.55),
        (dz.first_names_male, 0.22),
        (ng.first_names_male, 0.06),
        *zip(_ARABIC_SPELLINGS, _SPELLING_SHARES, strict=True),
    )
    family = _weighted(
        (pk.last_names, 0.5),
        (dz.last_names, 0.3),
        (ng.last_names, 0.05),
        *((group, 0.01) for group in _ARABIC_SPELLINGS),
        *((_article_forms(group), 0.005) for group in _ARABIC_SPELLINGS),
    )
    return _pool(
        male,
        _weighted((dz.first_names_female, 0.8), (ng.first_names_female, 0.2)),
        family,
        middle_share=0.4,
        # The middle name is the father's given name, for daughters as for sons.
        middle_male=male,
        middle_female=male,
    )


def _chinese() -> NamePool:
    p = zh_CN.Provider
    names = p.first_romanized_names
    return _pool(
        _weighted(([n for n in names if n not in _CHINESE_FEMALE], 1.0)),
        _weighted(([n for n in names if n in _CHINESE_FEMALE], 1.0)),
        _weighted((p.last_romanized_names, 1.0)),
        middle_share=0.1,
    )


def _south_asian() -> NamePool:
    p = en_IN.Provider
    return _pool(
        _weighted((p.first_names_male, 1.0)),
        _weighted((p.first_names_female, 1.0)),
        _weighted((p.last_names, 1.0)),
        middle_share=0.25,
    )


@cache
def pools() -> Mapping[NameOrigin, NamePool]:
    """The pool of every origin group, built on first use."""
    return {
        NameOrigin.ENGLISH: _english(),
        NameOrigin.HISPANIC: _hispanic(),
        NameOrigin.VIETNAMESE: _vietnamese(),
        NameOrigin.ARABIC: _arabic(),
        NameOrigin.CHINESE: _chinese(),
        NameOrigin.SOUTH_ASIAN: _south_asian(),
    }


def _article_forms(group: tuple[str, ...]) -> tuple[str, ...]:
    """The article "al-" is written several ways in US records (some drop it altogether)."""
    return tuple(
        form for n in group for form in (f"Al-{n}", f"Al{n.lower()}", f"Al {n}", f"El-{n}")
    )


@cache
def _spelling_index(family: bool) -> Mapping[str, tuple[str, ...]]:
    """Every spelling -> its other spellings. Family names also vary or drop the article."""
    index: dict[str, tuple[str, ...]] = {}
    for group in _ARABIC_SPELLINGS:
        variants = group + _article_forms(group) if family else group
        for name in variants:
            index[name] = tuple(v for v in variants if v != name)
    return index


def other_spellings(name: str, *, family: bool) -> tuple[str, ...]:
    """Other transliterations of a given or family name (empty when we know of none)."""
    return _spelling_index(family).get(name, ())
