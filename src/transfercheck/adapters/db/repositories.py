"""Repositories: load and save domain values; no business decisions here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, update

from transfercheck.adapters.db import codec
from transfercheck.adapters.db.tables import (
    agencies,
    api_keys,
    check_sellers,
    check_subjects,
    checks,
    dealers,
    import_reports,
    prohibiting_records,
    record_versions,
    sessions,
    users,
)
from transfercheck.domain.accounts import Agency, Dealer, Role, User
from transfercheck.domain.checks import Check, Transfer
from transfercheck.domain.determinations import CheckStatus
from transfercheck.domain.records import ProhibitingRecord


class RecordRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add_many(
        self, records: Iterable[ProhibitingRecord], now: datetime, import_id: str | None = None
    ) -> int:
        rows = [
            {**codec.record_to_columns(r), "created_at": now, "import_id": import_id}
            for r in records
        ]
        if rows:
            self._db.execute(insert(prohibiting_records), rows)
        return len(rows)

    def get_by_agency_id(self, source_agency: str, agency_record_id: str) -> VersionedRecord | None:
        table = prohibiting_records
        row = self._db.execute(
            select(table).where(
                table.c.source_agency == source_agency,
                table.c.agency_record_id == agency_record_id,
            )
        ).first()
        return VersionedRecord(codec.record_from_columns(row), row.version) if row else None

    def replace(self, record: ProhibitingRecord, expected_version: int, now: datetime) -> bool:
        """Store the record's new state if nobody changed it since `expected_version`."""
        columns = codec.record_to_columns(record)
        table = prohibiting_records
        result = self._db.execute(
            update(table)
            .where(table.c.record_id == record.record_id, table.c.version == expected_version)
            .values(**columns, version=expected_version + 1, updated_at=now)
        )
        return result.rowcount == 1

    def add_version(
        self, record: ProhibitingRecord, version: int, now: datetime, actor: str, change: str
    ) -> None:
        snapshot = codec.record_to_columns(record)
        for key, value in snapshot.items():
            if isinstance(value, date):
                snapshot[key] = value.isoformat()
        self._db.execute(
            insert(record_versions).values(
                record_id=record.record_id,
                version=version,
                changed_at=now,
                changed_by=actor,
                change=change,
                snapshot=snapshot,
            )
        )

    def has_version(self, record_id: str, version: int) -> bool:
        return (
            self._db.execute(
                select(record_versions.c.version).where(
                    record_versions.c.record_id == record_id, record_versions.c.version == version
                )
            ).first()
            is not None
        )

    def versions(self, record_id: str) -> list[RecordVersion]:
        result = self._db.execute(
            select(record_versions)
            .where(record_versions.c.record_id == record_id)
            .order_by(record_versions.c.version)
        )
        return [
            RecordVersion(
                row.version, codec.utc(row.changed_at), row.changed_by, row.change, row.snapshot
            )
            for row in result
        ]

    def by_agency(self, source_agency: str) -> Iterator[ProhibitingRecord]:
        result = self._db.execution_options(yield_per=10_000).execute(
            select(prohibiting_records).where(prohibiting_records.c.source_agency == source_agency)
        )
        for row in result:
            yield codec.record_from_columns(row)

    def add_import_report(self, values: dict[str, Any]) -> None:
        self._db.execute(insert(import_reports).values(**values))

    def import_reports(self, source_agency: str, limit: int = 20) -> list[dict[str, Any]]:
        result = self._db.execute(
            select(import_reports)
            .where(import_reports.c.source_agency == source_agency)
            .order_by(import_reports.c.created_at.desc())
            .limit(limit)
        )
        return [dict(row._mapping) for row in result]

    def get_many(self, record_ids: Iterable[str]) -> dict[str, ProhibitingRecord]:
        ids = list(record_ids)
        if not ids:
            return {}
        result = self._db.execute(_RECORDS_BY_ID, {"ids": ids})
        return {row.record_id: codec.record_from_columns(row) for row in result}

    def get_versioned(self, record_id: str) -> VersionedRecord | None:
        row = self._db.execute(
            select(prohibiting_records).where(prohibiting_records.c.record_id == record_id)
        ).first()
        return VersionedRecord(codec.record_from_columns(row), row.version) if row else None

    def existing_agency_ids(
        self, source_agency: str, agency_record_ids: list[str]
    ) -> dict[str, str | None]:
        """Which of these ids the agency already has on file, and the import that brought each."""
        table = prohibiting_records
        result = self._db.execute(
            select(table.c.agency_record_id, table.c.import_id).where(
                table.c.source_agency == source_agency,
                table.c.agency_record_id.in_(agency_record_ids),
            )
        )
        return {row.agency_record_id: row.import_id for row in result}

    def iter_all(self, batch_size: int = 10_000) -> Iterator[ProhibitingRecord]:
        for versioned in self.iter_all_versioned(batch_size):
            yield versioned.record

    def iter_all_versioned(self, batch_size: int = 10_000) -> Iterator[VersionedRecord]:
        """Every record with its version, from one statement (one consistent read)."""
        result = self._db.execution_options(yield_per=batch_size).execute(
            select(prohibiting_records)
        )
        for row in result:
            yield VersionedRecord(codec.record_from_columns(row), row.version)

    def all_versions(self, batch_size: int = 100_000) -> Iterator[tuple[str, int]]:
        """(record id, version) of every record: what an index snapshot is compared with."""
        table = prohibiting_records
        result = self._db.execution_options(yield_per=batch_size).execute(
            select(table.c.record_id, table.c.version)
        )
        yield from ((row.record_id, row.version) for row in result)

    def count(self) -> int:
        return int(
            self._db.execute(select(func.count()).select_from(prohibiting_records)).scalar_one()
        )


@dataclass(frozen=True)
class VersionedRecord:
    record: ProhibitingRecord
    version: int


@dataclass(frozen=True)
class RecordVersion:
    version: int
    changed_at: datetime
    changed_by: str
    change: str
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class StoredCheck:
    check: Check
    request_fingerprint: str | None  # None once the identifying side has been purged


class CheckRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, check: Check, idempotency_key: str, transfer: Transfer, fingerprint: str) -> None:
        d = check.determination
        self._db.execute(
            _INSERT_CHECK,
            {
                "ntn": check.ntn,
                "dealer_id": check.dealer_id,
                "idempotency_key": idempotency_key,
                "submitted_at": check.submitted_at,
                "status": d.status.value,
                "reasons": [r.value for r in d.reasons],
                "may_transfer_on": d.may_transfer_on,
                "expires_on": d.expires_on,
                "rules_version": check.rules_version,
                "model_version": check.model_version,
            },
        )
        self._db.execute(
            _INSERT_SUBJECT,
            {
                "ntn": check.ntn,
                "request_fingerprint": fingerprint,
                "buyer": codec.identity_to_json(transfer.buyer),
                "firearm_category": transfer.firearm_category.value,
                "transfer_type": transfer.transfer_type.value,
                "jurisdiction": transfer.jurisdiction,
                "findings": codec.findings_to_json(d.findings),
                "age": codec.age_to_json(d.age),
                "item": codec.item_to_json(transfer.item),
                "item_assessment": codec.item_assessment_to_json(d.item),
            },
        )
        if transfer.seller is not None:  # only where the jurisdiction's rules record it
            self._db.execute(
                _INSERT_SELLER,
                {"ntn": check.ntn, "seller": codec.identity_to_json(transfer.seller)},
            )

    def get_for_dealer(self, dealer_id: str, ntn: str) -> StoredCheck | None:
        return self._first(checks.c.dealer_id == dealer_id, checks.c.ntn == ntn)

    def find_by_key(self, dealer_id: str, idempotency_key: str) -> StoredCheck | None:
        row = self._db.execute(_CHECK_BY_KEY, {"dealer": dealer_id, "key": idempotency_key}).first()
        return self._to_stored(row) if row else None

    def list_for_dealer(self, dealer_id: str, limit: int, offset: int = 0) -> list[Check]:
        query = (
            _joined_checks()
            .where(checks.c.dealer_id == dealer_id)
            .order_by(checks.c.submitted_at.desc(), checks.c.ntn)
            .limit(limit)
            .offset(offset)
        )
        return [self._to_stored(row).check for row in self._db.execute(query)]

    def _first(self, *conditions: Any) -> StoredCheck | None:
        row = self._db.execute(_joined_checks().where(*conditions)).first()
        return self._to_stored(row) if row else None

    @staticmethod
    def _to_stored(row: Any) -> StoredCheck:
        findings = codec.findings_from_json(row.findings) if row.findings else ()
        resolution = codec.resolution_from(row)
        # Only a delayed check gets a later answer, so the first one is known.
        first_status = CheckStatus.DELAYED.value if resolution else row.status
        determination = codec.determination_from(
            first_status,
            row.reasons,
            row.may_transfer_on,
            findings,
            codec.age_from_json(row.age),
            codec.item_assessment_from_json(row.item_assessment),
            expires_on=row.expires_on,
        )
        check = Check(
            ntn=row.ntn,
            dealer_id=row.dealer_id,
            submitted_at=codec.utc(row.submitted_at),
            determination=determination,
            rules_version=row.rules_version,
            model_version=row.model_version,
            resolution=resolution,
        )
        return StoredCheck(check, row.request_fingerprint)


@dataclass(frozen=True)
class KeyOwner:
    dealer_id: str | None
    agency_id: str | None
    secret_hash: str


@dataclass(frozen=True)
class Credentials:
    user: User
    password_hash: str
    failed_logins: int
    locked: bool
    totp_secret: str | None = None
    totp_last_step: int | None = None


@dataclass(frozen=True)
class StoredSession:
    user: User
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime


class AccountRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add_dealer(self, dealer: Dealer, now: datetime) -> None:
        self._db.execute(
            insert(dealers).values(
                dealer_id=dealer.dealer_id,
                name=dealer.name,
                license_number=dealer.license_number,
                created_at=now,
            )
        )

    def get_dealer(self, dealer_id: str) -> Dealer | None:
        row = self._db.execute(_DEALER_BY_ID, {"dealer": dealer_id}).first()
        return Dealer(row.dealer_id, row.name, row.license_number) if row else None

    def set_dealer_webhook(self, dealer_id: str, url: str | None) -> bool:
        result = self._db.execute(
            update(dealers).where(dealers.c.dealer_id == dealer_id).values(webhook_url=url)
        )
        return result.rowcount == 1

    def dealer_webhook(self, dealer_id: str) -> str | None:
        return self._db.execute(
            select(dealers.c.webhook_url).where(dealers.c.dealer_id == dealer_id)
        ).scalar_one_or_none()

    def add_agency(self, agency: Agency, now: datetime) -> None:
        self._db.execute(
            insert(agencies).values(
                agency_id=agency.agency_id,
                name=agency.name,
                agency_type=agency.agency_type,
                jurisdiction=agency.jurisdiction,
                created_at=now,
            )
        )

    def get_agency(self, agency_id: str) -> Agency | None:
        row = self._db.execute(select(agencies).where(agencies.c.agency_id == agency_id)).first()
        return Agency(row.agency_id, row.name, row.agency_type, row.jurisdiction) if row else None

    def add_api_key(
        self,
        key_id: str,
        secret_hash: str,
        now: datetime,
        dealer_id: str | None = None,
        agency_id: str | None = None,
    ) -> None:
        if (dealer_id is None) == (agency_id is None):
            raise ValueError("a key belongs to exactly one dealer or one agency")
        self._db.execute(
            insert(api_keys).values(
                key_id=key_id,
                dealer_id=dealer_id,
                agency_id=agency_id,
                secret_hash=secret_hash,
                created_at=now,
            )
        )

    def api_key(self, key_id: str) -> KeyOwner | None:
        """Who holds a live key, and the hash of its secret."""
        row = self._db.execute(_LIVE_API_KEY, {"key_id": key_id}).first()
        return KeyOwner(row.dealer_id, row.agency_id, row.secret_hash) if row else None

    def add_user(
        self, user: User, password_hash: str, now: datetime, totp_secret: str | None = None
    ) -> None:
        self._db.execute(
            insert(users).values(
                user_id=user.user_id,
                username=user.username,
                password_hash=password_hash,
                role=user.role.value,
                dealer_id=user.dealer_id,
                failed_logins=0,
                created_at=now,
                totp_secret=totp_secret,
            )
        )

    def credentials(self, username: str) -> Credentials | None:
        row = self._db.execute(select(users).where(users.c.username == username)).first()
        if row is None:
            return None
        return Credentials(
            self._user(row),
            row.password_hash,
            row.failed_logins,
            row.locked_at is not None,
            row.totp_secret,
            row.totp_last_step,
        )

    def use_totp_step(self, user_id: str, step: int) -> bool:
        """Record that the code of `step` was used; False if it (or a later one) already was.
        Conditional, so two logins racing with one code cannot both succeed."""
        result = self._db.execute(
            update(users)
            .where(
                users.c.user_id == user_id,
                or_(users.c.totp_last_step.is_(None), users.c.totp_last_step < step),
            )
            .values(totp_last_step=step)
        )
        return result.rowcount == 1

    def unlock(self, user_id: str) -> None:
        self.record_login_result(user_id, 0, None)

    def get_user(self, user_id: str) -> User | None:
        row = self._db.execute(select(users).where(users.c.user_id == user_id)).first()
        return self._user(row) if row else None

    def users_with_roles(self, roles: Iterable[Role]) -> list[User]:
        rows = self._db.execute(
            select(users)
            .where(users.c.role.in_([r.value for r in roles]))
            .order_by(users.c.username)
        )
        return [self._user(row) for row in rows]

    def record_login_result(
        self, user_id: str, failed_logins: int, locked_at: datetime | None
    ) -> None:
        self._db.execute(
            update(users)
            .where(users.c.user_id == user_id)
            .values(failed_logins=failed_logins, locked_at=locked_at)
        )

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self._db.execute(
            update(users).where(users.c.user_id == user_id).values(password_hash=password_hash)
        )

    def add_session(self, token_hash: str, user_id: str, csrf_token: str, now: datetime) -> None:
        self._db.execute(
            insert(sessions).values(
                token_hash=token_hash,
                user_id=user_id,
                csrf_token=csrf_token,
                created_at=now,
                last_seen_at=now,
            )
        )

    def session(self, token_hash: str) -> StoredSession | None:
        row = self._db.execute(
            select(
                users,
                sessions.c.csrf_token,
                sessions.c.created_at.label("session_created_at"),
                sessions.c.last_seen_at,
            )
            .select_from(sessions.join(users))
            .where(sessions.c.token_hash == token_hash)
        ).first()
        if row is None:
            return None
        return StoredSession(
            self._user(row),
            row.csrf_token,
            codec.utc(row.session_created_at),
            codec.utc(row.last_seen_at),
        )

    def touch_session(self, token_hash: str, now: datetime) -> None:
        self._db.execute(
            update(sessions).where(sessions.c.token_hash == token_hash).values(last_seen_at=now)
        )

    def delete_session(self, token_hash: str) -> None:
        self._db.execute(delete(sessions).where(sessions.c.token_hash == token_hash))

    @staticmethod
    def _user(row: Any) -> User:
        return User(row.user_id, row.username, Role(row.role), row.dealer_id)


def _joined_checks() -> Any:
    return select(
        checks,
        check_subjects.c.request_fingerprint,
        check_subjects.c.findings,
        check_subjects.c.age,
        check_subjects.c.item_assessment,
    ).select_from(checks.outerjoin(check_subjects))


# The statements of the instant check's hot path, built once: building a statement with its
# values on every call cost about 2 ms of SQLAlchemy coercion per check (measured).
_RECORDS_BY_ID = select(prohibiting_records).where(
    prohibiting_records.c.record_id.in_(bindparam("ids", expanding=True))
)
_INSERT_CHECK = insert(checks)
_INSERT_SUBJECT = insert(check_subjects)
_INSERT_SELLER = insert(check_sellers)
_CHECK_BY_KEY = _joined_checks().where(
    checks.c.dealer_id == bindparam("dealer"), checks.c.idempotency_key == bindparam("key")
)
_DEALER_BY_ID = select(dealers).where(dealers.c.dealer_id == bindparam("dealer"))
_LIVE_API_KEY = select(api_keys.c.dealer_id, api_keys.c.agency_id, api_keys.c.secret_hash).where(
    api_keys.c.key_id == bindparam("key_id"), api_keys.c.revoked_at.is_(None)
)
