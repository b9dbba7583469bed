"""Reading the audit log back: verify that nobody changed it."""

from __future__ import annotations

from transfercheck.domain.audit import ChainVerdict, verify_chain
from transfercheck.services.ports import UnitOfWorkFactory


def verify_audit_log(unit_of_work: UnitOfWorkFactory) -> ChainVerdict:
    with unit_of_work() as uow:
        head_seq, head_hash = uow.audit.head()
        return verify_chain(uow.audit.entries(), head_seq, head_hash)
