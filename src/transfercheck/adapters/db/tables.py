"""Table definitions (SQLAlchemy Core). Alembic migrations are the source of the schema;
these definitions must match them (a test compares the two).

Privacy by construction: a check's outcome (`checks`) and its identifying side
(`check_subjects`: buyer, item, evidence) are separate rows, so the purge of an allowed
transfer deletes the subject row and keeps NTN, date, dealer and outcome.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

dealers = Table(
    "dealers",
    metadata,
    Column("dealer_id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("license_number", String(32), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Optional: where the dealer wants to hear that a delayed check was resolved.
    Column("webhook_url", String(500)),
)

agencies = Table(
    "agencies",
    metadata,
    Column("agency_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("agency_type", String(32), nullable=False),
    Column("jurisdiction", String(2), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    # The key's public prefix finds the row; only a hash of the secret part is stored.
    # A key belongs to exactly one dealer or one records agency.
    Column("key_id", String(16), primary_key=True),
    Column("dealer_id", ForeignKey("dealers.dealer_id")),
    Column("agency_id", ForeignKey("agencies.agency_id")),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

users = Table(
    "users",
    metadata,
    Column("user_id", String(32), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("dealer_id", ForeignKey("dealers.dealer_id")),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # The second factor (RFC 6238 TOTP) and the last time step used, so a code works once.
    Column("totp_secret", String(64)),
    Column("totp_last_step", Integer),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.user_id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
)

prohibiting_records = Table(
    "prohibiting_records",
    metadata,
    Column("record_id", String(40), primary_key=True),
    Column("agency_record_id", String(64), nullable=False),
    Column("source_agency", String(200), nullable=False),
    Column("source_agency_type", String(32), nullable=False),
    Column("jurisdiction", String(2), nullable=False),
    Column("category", String(8), nullable=False),
    Column("event_date", Date, nullable=False),
    Column("disposition", String(16), nullable=False),
    Column("disposition_date", Date),
    Column("expiry_date", Date),
    Column("relief_type", String(32)),
    Column("relief_date", Date),
    Column("relief_keeps_firearm_ban", Boolean),
    Column("description", Text, nullable=False, default=""),
    # The subject as the agency recorded them.
    Column("given_name", String(100), nullable=False),
    Column("middle_name", String(100)),
    Column("family_name", String(100), nullable=False),
    Column("aliases", JSON, nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("sex", String(1), nullable=False),
    Column("place_of_birth", String(64)),
    Column("state_of_residence", String(2)),
    Column("ssn", String(9)),
    Column("id_document_type", String(32)),
    Column("id_document_number", String(32)),
    Column("id_document_issuer", String(3)),
    Column("fbi_number", String(16)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("import_id", String(32)),  # the import that brought the row, if any
    UniqueConstraint("source_agency", "agency_record_id", name="uq_records_agency_id"),
)

# Every state a record has been in: who changed it, when, how, and the whole row after.
record_versions = Table(
    "record_versions",
    metadata,
    Column("record_id", ForeignKey("prohibiting_records.record_id"), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("changed_by", String(80), nullable=False),
    Column("change", String(32), nullable=False),
    Column("snapshot", JSON, nullable=False),
)

# What each import did, kept for the agency's data-quality report.
import_reports = Table(
    "import_reports",
    metadata,
    Column("import_id", String(32), primary_key=True),
    Column("source_agency", String(200)),  # None: an operator's import of many agencies
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("imported", Integer, nullable=False),
    Column("already_on_file", Integer, nullable=False),
    Column("rejected_rows", Integer, nullable=False),
    Column("applied", Boolean, nullable=False),
    Column("problems", JSON, nullable=False),
)

checks = Table(
    "checks",
    metadata,
    Column("ntn", String(16), primary_key=True),
    Column("dealer_id", ForeignKey("dealers.dealer_id"), nullable=False),
    Column("idempotency_key", String(128), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("may_transfer_on", Date),
    Column("rules_version", String(32), nullable=False),
    Column("model_version", String(32), nullable=False),
    # DELAYED only: the day the open check closes undecided (the retention runs out).
    Column("expires_on", Date),
    # The examiners' workflow. Every change is a conditional UPDATE on status, claim and
    # version, so of two examiners acting at once exactly one changes the row.
    Column("version", Integer, nullable=False, server_default="1"),
    Column("claimed_by", ForeignKey("users.user_id")),
    Column("claim_expires_at", DateTime(timezone=True)),
    # The later answer; `status` then holds it and the first answer was DELAYED.
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_by", String(40)),
    Column("resolution_reason", String(32)),
    # The real guard of idempotency: one check per (dealer, key), whatever the races.
    UniqueConstraint("dealer_id", "idempotency_key", name="uq_checks_dealer_key"),
    Index("ix_checks_dealer_submitted", "dealer_id", "submitted_at"),
    Index("ix_checks_status_deadline", "status", "may_transfer_on"),
)

check_subjects = Table(
    "check_subjects",
    metadata,
    Column("ntn", ForeignKey("checks.ntn", ondelete="CASCADE"), primary_key=True),
    Column("request_fingerprint", String(64), nullable=False),
    Column("buyer", JSON, nullable=False),
    Column("firearm_category", String(16), nullable=False),
    Column("transfer_type", String(32), nullable=False),
    Column("jurisdiction", String(2), nullable=False),
    Column("findings", JSON, nullable=False),
    Column("age", JSON),
    # The item as described (migration 0002) and what its clauses said: identifying data
    # (a make, a model, a possession date), purged with the buyer.
    Column("item", JSON),
    Column("item_assessment", JSON),
    # Examiners' and supervisors' notes (free text may name people: purged with the rest).
    Column("notes", JSON),
)

# An examiner asks a record's agency for a missing disposition; the agency answers with the
# request's one-time token, and the answer re-evaluates the check.
disposition_requests = Table(
    "disposition_requests",
    metadata,
    Column("request_id", String(32), primary_key=True),
    Column("ntn", ForeignKey("checks.ntn", ondelete="CASCADE"), nullable=False),
    Column("record_id", ForeignKey("prohibiting_records.record_id"), nullable=False),
    Column("requested_by", ForeignKey("users.user_id")),  # NULL: asked by the system
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("answered_at", DateTime(timezone=True)),
    Column("disposition", String(16)),
    Column("disposition_date", Date),
    Index("ix_disposition_requests_ntn", "ntn"),
)

# Messages to the outside (retrieval referrals, dealer and agency notices), written in the
# transaction of the change that causes them and delivered later by the worker, with
# retries: a message is never lost with a crash, nor sent for a change that rolled back.
outbox = Table(
    "outbox",
    metadata,
    Column("message_id", String(32), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("recipient", String(200), nullable=False),
    # One message per cause, whatever retries happen upstream.
    Column("dedupe_key", String(120), nullable=False, unique=True),
    Column("payload", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("lease_until", DateTime(timezone=True)),  # a worker is sending it until then
    Column("delivered_at", DateTime(timezone=True)),
    Column("last_error", String(200)),
    Index("ix_outbox_due", "delivered_at", "next_attempt_at"),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("event_type", String(32), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("object_type", String(32), nullable=False),
    Column("object_id", String(80), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("details", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
)

# One row: the chain's last seq and hash. Updating it first serialises appends (a row lock
# on PostgreSQL, the write lock on SQLite), and it tells a truncated log from a short one.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("entry_hash", String(64), nullable=False),
)

# Buyers' certificates (docs/certificates.md). The outcome side keeps the code's digest and
# the salted slow digests of the two facts a seller may check, never the code or the facts.
certificates = Table(
    "certificates",
    metadata,
    Column("certificate_id", String(24), primary_key=True),
    Column("code_digest", String(64), nullable=False, unique=True),
    Column("key_id", String(8), nullable=False),
    Column("jurisdiction", String(2), nullable=False),
    Column("scope", String(64), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("salt", String(32), nullable=False),
    Column("dob_binding", String(32), nullable=False),
    Column("id_binding", String(32), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revocation_reason", String(32)),
    Column("rules_version", String(32), nullable=False),
    Column("model_version", String(32), nullable=False),
    Index("ix_certificates_expires_at", "expires_at"),
)

# The holder's identity, kept only while the certificate is live, for rap back: deleted on
# revocation and after expiry, like a check's identifying side.
certificate_holders = Table(
    "certificate_holders",
    metadata,
    Column(
        "certificate_id",
        ForeignKey("certificates.certificate_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("holder", JSON, nullable=False),
)

# A private transfer through a dealer: the seller, only where the jurisdiction's rules
# require it, beside the check's identifying side and purged with it.
check_sellers = Table(
    "check_sellers",
    metadata,
    Column("ntn", ForeignKey("check_subjects.ntn", ondelete="CASCADE"), primary_key=True),
    Column("seller", JSON, nullable=False),
)
