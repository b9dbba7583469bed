"""Certificates in the database: the outcome row, and the holder row kept for rap back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from transfercheck.adapters.db import codec
from transfercheck.adapters.db.tables import certificate_holders, certificates
from transfercheck.domain.certificates import Certificate, Claims, RevocationReason
from transfercheck.domain.checks import FirearmCategory
from transfercheck.domain.identities import Identity


class CertificateRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(
        self, certificate: Certificate, holder: Identity, rules_version: str, model_version: str
    ) -> None:
        claims = certificate.claims
        self._db.execute(
            insert(certificates).values(
                certificate_id=certificate.certificate_id,
                code_digest=certificate.code_digest,
                key_id=claims.key_id.hex(),
                jurisdiction=claims.jurisdiction,
                scope=",".join(sorted(c.value for c in claims.scope)),
                issued_at=claims.issued_at,
                expires_at=claims.expires_at,
                salt=claims.salt.hex(),
                dob_binding=claims.dob_binding.hex(),
                id_binding=claims.id_binding.hex(),
                rules_version=rules_version,
                model_version=model_version,
            )
        )
        self._db.execute(
            insert(certificate_holders).values(
                certificate_id=certificate.certificate_id, holder=codec.identity_to_json(holder)
            )
        )

    def find_by_code_digest(self, code_digest: str) -> Certificate | None:
        row = self._db.execute(
            select(certificates).where(certificates.c.code_digest == code_digest)
        ).first()
        return _certificate(row, code_digest) if row else None

    def get(self, certificate_id: str) -> Certificate | None:
        row = self._db.execute(
            select(certificates).where(certificates.c.certificate_id == certificate_id)
        ).first()
        return _certificate(row, row.code_digest) if row else None

    def holder(self, certificate_id: str) -> Identity | None:
        data = self._db.execute(
            select(certificate_holders.c.holder).where(
                certificate_holders.c.certificate_id == certificate_id
            )
        ).scalar()
        return codec.identity_from_json(data) if data else None

    def live_with_holders(self, now: datetime) -> list[tuple[Certificate, Identity]]:
        """Every unexpired, unrevoked certificate with its holder: the rap-back population."""
        result = self._db.execute(
            select(certificates, certificate_holders.c.holder)
            .select_from(certificates.join(certificate_holders))
            .where(certificates.c.revoked_at.is_(None), certificates.c.expires_at > now)
        )
        return [
            (_certificate(row, row.code_digest), codec.identity_from_json(row.holder))
            for row in result
        ]

    def revoke(self, certificate_id: str, now: datetime, reason: RevocationReason) -> bool:
        """Revoke once (False if it already was) and forget the holder at once."""
        changed = self._db.execute(
            update(certificates)
            .where(
                certificates.c.certificate_id == certificate_id,
                certificates.c.revoked_at.is_(None),
            )
            .values(revoked_at=now, revocation_reason=reason.value)
        ).rowcount
        self._db.execute(
            delete(certificate_holders).where(
                certificate_holders.c.certificate_id == certificate_id
            )
        )
        return bool(changed)

    def forget_expired_holders(self, now: datetime) -> int:
        """Delete the holders of expired certificates; their outcome rows stay."""
        expired = select(certificates.c.certificate_id).where(certificates.c.expires_at <= now)
        return int(
            self._db.execute(
                delete(certificate_holders).where(certificate_holders.c.certificate_id.in_(expired))
            ).rowcount
        )


def _certificate(row: Any, code_digest: str) -> Certificate:
    claims = Claims(
        key_id=bytes.fromhex(row.key_id),
        code="",  # the code itself is never stored
        jurisdiction=row.jurisdiction,
        scope=frozenset(FirearmCategory(v) for v in row.scope.split(",") if v),
        issued_at=codec.utc(row.issued_at),
        expires_at=codec.utc(row.expires_at),
        salt=bytes.fromhex(row.salt),
        dob_binding=bytes.fromhex(row.dob_binding),
        id_binding=bytes.fromhex(row.id_binding),
    )
    reason = RevocationReason(row.revocation_reason) if row.revocation_reason else None
    revoked_at = codec.utc(row.revoked_at) if row.revoked_at else None
    return Certificate(row.certificate_id, code_digest, claims, revoked_at, reason)
