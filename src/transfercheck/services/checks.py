"""Reading checks: a dealer sees its own checks and nobody else's."""

from __future__ import annotations

from transfercheck.domain.checks import Check, is_valid_ntn
from transfercheck.domain.errors import NotFound
from transfercheck.services.ports import UnitOfWorkFactory

MAX_PAGE_SIZE = 100


def get_check(dealer_id: str, ntn: str, unit_of_work: UnitOfWorkFactory) -> Check:
    """The dealer's check `ntn`. Another dealer's NTN is 'not found', exactly like a
    missing one, so a dealer cannot learn that someone else's check exists."""
    if not is_valid_ntn(ntn):
        raise NotFound("check", ntn)
    with unit_of_work() as uow:
        stored = uow.checks.get_for_dealer(dealer_id, ntn)
    if stored is None:
        raise NotFound("check", ntn)
    return stored.check


def list_checks(
    dealer_id: str, unit_of_work: UnitOfWorkFactory, limit: int = 50, offset: int = 0
) -> list[Check]:
    with unit_of_work() as uow:
        return uow.checks.list_for_dealer(dealer_id, min(limit, MAX_PAGE_SIZE), offset)
