"""buyers' certificates, their holders, and private sellers recorded by dealers

Revision ID: 0005_certificates
Revises: 0004_check_items
Create Date: 2026-11-29 05:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_certificates"
down_revision = "0004_check_items"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("certificate_id", sa.String(length=24), nullable=False),
        sa.Column("code_digest", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=8), nullable=False),
        sa.Column("jurisdiction", sa.String(length=2), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("dob_binding", sa.String(length=32), nullable=False),
        sa.Column("id_binding", sa.String(length=32), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.String(length=32), nullable=True),
        sa.Column("rules_version", sa.String(length=32), nullable=False),
        sa.Column("model_version", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("certificate_id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("code_digest", name=op.f("uq_certificates_code_digest")),
    )
    op.create_index("ix_certificates_expires_at", "certificates", ["expires_at"], unique=False)
    op.create_table(
        "certificate_holders",
        sa.Column("certificate_id", sa.String(length=24), nullable=False),
        sa.Column("holder", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.certificate_id"],
            name=op.f("fk_certificate_holders_certificate_id_certificates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("certificate_id", name=op.f("pk_certificate_holders")),
    )
    op.create_table(
        "check_sellers",
        sa.Column("ntn", sa.String(length=16), nullable=False),
        sa.Column("seller", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ntn"],
            ["check_subjects.ntn"],
            name=op.f("fk_check_sellers_ntn_check_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ntn", name=op.f("pk_check_sellers")),
    )


def downgrade() -> None:
    op.drop_table("check_sellers")
    op.drop_table("certificate_holders")
    op.drop_index("ix_certificates_expires_at", table_name="certificates")
    op.drop_table("certificates")
