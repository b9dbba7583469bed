"""States to live in and be born in, and countries of birth per name-origin group."""

from __future__ import annotations

from collections.abc import Mapping
from random import Random

from transfercheck.domain.places import US_PLACE_NAMES
from transfercheck.synthetic.names import NameOrigin
from transfercheck.synthetic.sampling import Weighted

# Resident population in millions (2020 Census, rounded): people live and buy where
# people are, so California draws fifty times as many residents as Wyoming.
_POPULATIONS: Mapping[str, float] = {
    "AL": 5.0, "AK": 0.7, "AZ": 7.2, "AR": 3.0, "CA": 39.5, "CO": 5.8, "CT": 3.6, "DE": 1.0,
    "DC": 0.7, "FL": 21.5, "GA": 10.7, "HI": 1.5, "ID": 1.8, "IL": 12.8, "IN": 6.8, "IA": 3.2,
    "KS": 2.9, "KY": 4.5, "LA": 4.7, "ME": 1.4, "MD": 6.2, "MA": 7.0, "MI": 10.1, "MN": 5.7,
    "MS": 3.0, "MO": 6.2, "MT": 1.1, "NE": 2.0, "NV": 3.1, "NH": 1.4, "NJ": 9.3, "NM": 2.1,
    "NY": 20.2, "NC": 10.4, "ND": 0.8, "OH": 11.8, "OK": 4.0, "OR": 4.2, "PA": 13.0, "RI": 1.1,
    "SC": 5.1, "SD": 0.9, "TN": 6.9, "TX": 29.1, "UT": 3.3, "VT": 0.6, "VA": 8.6, "WA": 7.7,
    "WV": 1.8, "WI": 5.9, "WY": 0.6,
}  # fmt: skip
STATES: tuple[tuple[str, str, float], ...] = tuple(
    (code, US_PLACE_NAMES[code], population) for code, population in _POPULATIONS.items()
)
STATE_NAMES: Mapping[str, str] = {code: name for code, name, _ in STATES}
_POPULATION = Weighted({code: population for code, _, population in STATES})

# Share born abroad, and where, by group (rough American Community Survey proportions).
_FOREIGN_BORN: Mapping[NameOrigin, tuple[float, tuple[str, ...]]] = {
    NameOrigin.ENGLISH: (0.05, ("Canada", "United Kingdom", "Germany", "Jamaica", "Philippines")),
    NameOrigin.HISPANIC: (
        0.33,
        ("Mexico", "Mexico", "Mexico", "El Salvador", "Cuba", "Dominican Republic", "Guatemala"),
    ),
    NameOrigin.VIETNAMESE: (0.6, ("Vietnam",)),
    NameOrigin.ARABIC: (0.5, ("Egypt", "Iraq", "Lebanon", "Pakistan", "Syria", "Yemen", "Algeria")),
    NameOrigin.CHINESE: (0.6, ("China", "China", "Taiwan", "Hong Kong")),
    NameOrigin.SOUTH_ASIAN: (0.6, ("India", "India", "India", "Bangladesh", "Nepal")),
}


def pick_state(rng: Random) -> str:
    """A state code, weighted by population."""
    return _POPULATION.pick(rng)


def foreign_born_share(origin: NameOrigin) -> float:
    return _FOREIGN_BORN[origin][0]


def pick_country(origin: NameOrigin, rng: Random) -> str:
    return rng.choice(_FOREIGN_BORN[origin][1])
