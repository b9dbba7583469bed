"""agency records

Revision ID: 0003_agency_records
Revises: 0002_audit_log
Create Date: 2026-11-29 05:09:39.249995
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_agency_records"
down_revision = "0002_audit_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("agency_type", sa.String(length=32), nullable=False),
        sa.Column("jurisdiction", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_agencies")),
    )
    op.create_table(
        "import_reports",
        sa.Column("import_id", sa.String(length=32), nullable=False),
        sa.Column("source_agency", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("already_on_file", sa.Integer(), nullable=False),
        sa.Column("rejected_rows", sa.Integer(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("import_id", name=op.f("pk_import_reports")),
    )
    op.create_table(
        "record_versions",
        sa.Column("record_id", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=80), nullable=False),
        sa.Column("change", sa.String(length=32), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["prohibiting_records.record_id"],
            name=op.f("fk_record_versions_record_id_prohibiting_records"),
        ),
        sa.PrimaryKeyConstraint("record_id", "version", name=op.f("pk_record_versions")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agency_id", sa.String(length=64), nullable=True))
        batch_op.alter_column("dealer_id", existing_type=sa.VARCHAR(length=32), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_api_keys_agency_id_agencies"), "agencies", ["agency_id"], ["agency_id"]
        )

    with op.batch_alter_table("prohibiting_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("import_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("prohibiting_records", schema=None) as batch_op:
        batch_op.drop_column("import_id")
        batch_op.drop_column("version")
        batch_op.drop_column("updated_at")

    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_api_keys_agency_id_agencies"), type_="foreignkey")
        batch_op.alter_column("dealer_id", existing_type=sa.VARCHAR(length=32), nullable=False)
        batch_op.drop_column("agency_id")

    op.drop_table("record_versions")
    op.drop_table("import_reports")
    op.drop_table("agencies")
