"""States to live in and be born in, and countries of birth per name-origin group."""

from __future__ import annotations

from collections.abc import Mapping
from random import Random

from transfercheck.synthetic.names import NameOrigin
from transfercheck.synthetic.sampling import Weighted

# Code, name, resident population in millions (2020 Census, rounded): people live and
# buy where people are, so California draws fifty times as many residents as Wyoming.
STATES: tuple[tuple[str, str, float], ...] = (
    ("AL", "Alabama", 5.0),
    ("AK", "Alaska", 0.7),
    ("AZ", "Arizona", 7.2),
    ("AR", "Arkansas", 3.0),
    ("CA", "California", 39.5),
    ("CO", "Colorado", 5.8),
    ("CT", "Connecticut", 3.6),
    ("DE", "Delaware", 1.0),
    ("DC", "District of Columbia", 0.7),
    ("FL", "Florida", 21.5),
    ("GA", "Georgia", 10.7),
    ("HI", "Hawaii", 1.5),
    ("ID", "Idaho", 1.8),
    ("IL", "Illinois", 12.8),
    ("IN", "Indiana", 6.8),
    ("IA", "Iowa", 3.2),
    ("KS", "Kansas", 2.9),
    ("KY", "Kentucky", 4.5),
    ("LA", "Louisiana", 4.7),
    ("ME", "Maine", 1.4),
    ("MD", "Maryland", 6.2),
    ("MA", "Massachusetts", 7.0),
    ("MI", "Michigan", 10.1),
    ("MN", "Minnesota", 5.7),
    ("MS", "Mississippi", 3.0),
    ("MO", "Missouri", 6.2),
    ("MT", "Montana", 1.1),
    ("NE", "Nebraska", 2.0),
    ("NV", "Nevada", 3.1),
    ("NH", "New Hampshire", 1.4),
    ("NJ", "New Jersey", 9.3),
    ("NM", "New Mexico", 2.1),
    ("NY", "New York", 20.2),
    ("NC", "North Carolina", 10.4),
    ("ND", "North Dakota", 0.8),
    ("OH", "Ohio", 11.8),
    ("OK", "Oklahoma", 4.0),
    ("OR", "Oregon", 4.2),
    ("PA", "Pennsylvania", 13.0),
    ("RI", "Rhode Island", 1.1),
    ("SC", "South Carolina", 5.1),
    ("SD", "South Dakota", 0.9),
    ("TN", "Tennessee", 6.9),
    ("TX", "Texas", 29.1),
    ("UT", "Utah", 3.3),
    ("VT", "Vermont", 0.6),
    ("VA", "Virginia", 8.6),
    ("WA", "Washington", 7.7),
    ("WV", "West Virginia", 1.8),
    ("WI", "Wisconsin", 5.9),
    ("WY", "Wyoming", 0.6),
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
