"""Which given names are nickname forms of each other, from the `nicknames` data set.

The data set lists pairs "canonical has nickname" (William -> Bill). It is noisy: many
pairs appear in both directions and some odd ones exist (Robert -> Bill), so two names
are treated as related only when the data set links them *directly*. Following two links
would make Robert and William "the same name" through Bill, and twins named Robert and
William would then look like one person.
"""

from __future__ import annotations

from functools import cache

from nicknames import NickNamer


@cache
def _relations() -> dict[str, frozenset[str]]:
    # Built once, on first use: loading the CSV costs a few milliseconds.
    namer = NickNamer()
    related: dict[str, set[str]] = {}
    for canonical, nicks in namer.nickname_lookup.items():
        for nick in nicks:
            related.setdefault(canonical, set()).add(nick)
            related.setdefault(nick, set()).add(canonical)
    return {name: frozenset(names) for name, names in related.items()}


def related_names(name: str) -> frozenset[str]:
    """Names the data set links directly to `name` (its nicknames and what it shortens)."""
    return _relations().get(name, frozenset())


def are_nicknames(a: str, b: str) -> bool:
    """True when one name is listed as a nickname of the other (Bill and William)."""
    return a != b and b in related_names(a)
