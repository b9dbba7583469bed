"""check items: the item of a check, and what the weapon and magazine rules said

Stored on the identifying side (`check_subjects`), never on the outcome row, so that the
purge of an allowed transfer deletes it with the buyer.

Revision ID: 0004_check_items
Revises: 0003_agency_records
Create Date: 2026-11-29 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_check_items"
down_revision = "0003_agency_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("check_subjects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("item_assessment", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("check_subjects", schema=None) as batch_op:
        batch_op.drop_column("item_assessment")
        batch_op.drop_column("item")
