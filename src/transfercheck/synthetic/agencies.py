"""The agency that submits a record: its name, its kind and its jurisdiction, by category."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from transfercheck.domain.records import Category, Disposition, SourceAgencyType
from transfercheck.synthetic.places import STATE_NAMES, STATES, pick_state
from transfercheck.synthetic.sampling import Weighted

# The commonest US county names, so that agency names look like real ones without being
# tied to any real county's records.
_COUNTIES = (
    "Washington", "Jefferson", "Franklin", "Jackson", "Lincoln", "Madison", "Montgomery",
    "Clay", "Marion", "Monroe", "Union", "Wayne", "Grant", "Warren", "Greene", "Carroll",
    "Marshall", "Polk", "Lake", "Hamilton",
)  # fmt: skip
# Trial courts go by different names from state to state; each state gets one of these.
_COURT_KINDS = ("Superior", "District", "Circuit")
_COURT_KIND = {code: _COURT_KINDS[i % len(_COURT_KINDS)] for i, (code, _, _) in enumerate(STATES)}
_MILITARY = Weighted(
    {
        "U.S. Army": 0.4,
        "U.S. Navy": 0.2,
        "U.S. Air Force": 0.15,
        "U.S. Marine Corps": 0.2,
        "U.S. Coast Guard": 0.05,
    }
)
_HOME_JURISDICTION = 0.8  # records made in the state the person lives in
FEDERAL = "US"

# Prefix of the agency's own record numbers, by kind of agency.
RECORD_PREFIX = {
    SourceAgencyType.COURT: "CR",
    SourceAgencyType.POLICE: "AR",
    SourceAgencyType.MENTAL_HEALTH_BOARD: "MH",
    SourceAgencyType.MILITARY: "DD",
    SourceAgencyType.IMMIGRATION: "IM",
}


@dataclass(frozen=True)
class Agency:
    name: str
    type: SourceAgencyType
    jurisdiction: str  # state code, or "US" for a federal agency


def agency_for(
    category: Category, disposition: Disposition, home_state: str | None, rng: Random
) -> Agency:
    """An agency that would hold this kind of record about someone living in `home_state`."""
    if category is Category.UNLAWFUL_ALIEN:
        name = "U.S. Immigration and Customs Enforcement"
        return Agency(name, SourceAgencyType.IMMIGRATION, FEDERAL)
    if category is Category.RENOUNCED_CITIZENSHIP:
        # The State Department takes renunciations; "immigration" is the nearest agency kind.
        return Agency("U.S. Department of State", SourceAgencyType.IMMIGRATION, FEDERAL)
    if category is Category.DISHONORABLE_DISCHARGE:
        branch = _MILITARY.pick(rng)
        return Agency(branch, SourceAgencyType.MILITARY, FEDERAL)
    state = home_state if home_state and rng.random() < _HOME_JURISDICTION else pick_state(rng)
    county = rng.choice(_COUNTIES)
    if category is Category.MENTAL_HEALTH:
        return _mental_health_board(state, county, rng)
    if _reported_by_police(category, disposition, rng):
        return _police(state, county, rng)
    return Agency(f"{county} County {_COURT_KIND[state]} Court", SourceAgencyType.COURT, state)


def _reported_by_police(category: Category, disposition: Disposition, rng: Random) -> bool:
    """Warrants and drug arrests come from the police; so does an arrest whose court outcome
    never arrived, which is all that an unknown disposition means."""
    if category in (Category.FUGITIVE, Category.UNLAWFUL_DRUG_USER):
        return rng.random() < 0.8
    return disposition is Disposition.UNKNOWN and category is not Category.PROTECTION_ORDER


def _police(state: str, county: str, rng: Random) -> Agency:
    name = f"{county} County Sheriff's Office"
    if rng.random() < 0.4:
        name = f"{STATE_NAMES[state]} State Police"
    return Agency(name, SourceAgencyType.POLICE, state)


def _mental_health_board(state: str, county: str, rng: Random) -> Agency:
    name = f"{county} County Mental Health Board"
    if rng.random() < 0.5:
        name = f"{STATE_NAMES[state]} Department of Mental Health"
    return Agency(name, SourceAgencyType.MENTAL_HEALTH_BOARD, state)
