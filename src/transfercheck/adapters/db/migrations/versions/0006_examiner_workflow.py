"""examiner workflow: claims, decisions, deadlines, disposition requests, outbox, TOTP

Revision ID: 0006_examiner_workflow
Revises: 0005_certificates
Create Date: 2026-11-29 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_examiner_workflow"
down_revision = "0005_certificates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _add_claimed_by()
    with op.batch_alter_table("checks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("claim_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resolved_by", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("resolution_reason", sa.String(length=32), nullable=True))
        batch_op.create_index(
            "ix_checks_status_deadline", ["status", "may_transfer_on"], unique=False
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    with op.batch_alter_table("dealers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("webhook_url", sa.String(length=500), nullable=True))
    with op.batch_alter_table("check_subjects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notes", sa.JSON(), nullable=True))
    _create_disposition_requests()
    _create_outbox()


def _add_claimed_by() -> None:
    """SQLite adds a column with its REFERENCES clause in place. Batch mode would copy the
    table instead, and dropping the old `checks` with foreign keys on would cascade-delete
    every check's identifying row."""
    if op.get_bind().dialect.name == "sqlite":
        column = sa.Column("claimed_by", sa.String(length=32), sa.ForeignKey("users.user_id"))
        op.add_column("checks", column, inline_references=True)
        return
    op.add_column("checks", sa.Column("claimed_by", sa.String(length=32), nullable=True))
    op.create_foreign_key(
        op.f("fk_checks_claimed_by_users"), "checks", "users", ["claimed_by"], ["user_id"]
    )


def _create_disposition_requests() -> None:
    op.create_table(
        "disposition_requests",
        sa.Column("request_id", sa.String(length=32), nullable=False),
        sa.Column("ntn", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=40), nullable=False),
        sa.Column("requested_by", sa.String(length=32), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disposition", sa.String(length=16), nullable=True),
        sa.Column("disposition_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ntn"],
            ["checks.ntn"],
            name=op.f("fk_disposition_requests_ntn_checks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["prohibiting_records.record_id"],
            name=op.f("fk_disposition_requests_record_id_prohibiting_records"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["users.user_id"],
            name=op.f("fk_disposition_requests_requested_by_users"),
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_disposition_requests")),
    )
    with op.batch_alter_table("disposition_requests", schema=None) as batch_op:
        batch_op.create_index("ix_disposition_requests_ntn", ["ntn"], unique=False)


def _create_outbox() -> None:
    op.create_table(
        "outbox",
        sa.Column("message_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_dedupe_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["delivered_at", "next_attempt_at"], unique=False)


def downgrade() -> None:
    # On SQLite, run with PRAGMA foreign_keys=OFF: dropping `claimed_by` copies `checks`.
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")
    op.drop_table("outbox")
    with op.batch_alter_table("disposition_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_disposition_requests_ntn")
    op.drop_table("disposition_requests")
    with op.batch_alter_table("check_subjects", schema=None) as batch_op:
        batch_op.drop_column("notes")
    with op.batch_alter_table("dealers", schema=None) as batch_op:
        batch_op.drop_column("webhook_url")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_secret")
    with op.batch_alter_table("checks", schema=None) as batch_op:
        batch_op.drop_index("ix_checks_status_deadline")
        if op.get_bind().dialect.name != "sqlite":  # SQLite's inline reference has no name
            batch_op.drop_constraint(batch_op.f("fk_checks_claimed_by_users"), type_="foreignkey")
        for column in (
            "resolution_reason",
            "resolved_by",
            "resolved_at",
            "claim_expires_at",
            "claimed_by",
            "version",
            "expires_on",
        ):
            batch_op.drop_column(column)
