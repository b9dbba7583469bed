"""The jurisdictions a transfer can take place in.

18 U.S.C. 921(a)(2): "State" includes the District of Columbia, the Commonwealth of Puerto
Rico and the possessions of the United States. So every state, DC and the five inhabited
territories is a transfer jurisdiction; a code without a rules file applies federal rules
only. The list is explicit (USPS codes) so that it cannot shift with a library upgrade.
"""

from __future__ import annotations

STATES: frozenset[str] = frozenset(
    {
        "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DE", "FL", "GA",
        "HI", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD",
        "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE", "NH",
        "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC",
        "SD", "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY",
    }
)  # fmt: skip
DISTRICT_AND_TERRITORIES: frozenset[str] = frozenset({"DC", "AS", "GU", "MP", "PR", "VI"})

TRANSFER_JURISDICTIONS: frozenset[str] = STATES | DISTRICT_AND_TERRITORIES
