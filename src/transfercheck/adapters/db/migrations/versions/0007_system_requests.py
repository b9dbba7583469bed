"""system disposition requests: intake asks an agency itself (requested_by is then NULL)

Revision ID: 0007_system_requests
Revises: 0006_examiner_workflow
Create Date: 2026-11-29 06:10:56.800676
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_system_requests"
down_revision = "0006_examiner_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("disposition_requests", schema=None) as batch_op:
        batch_op.alter_column("requested_by", existing_type=sa.VARCHAR(length=32), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("disposition_requests", schema=None) as batch_op:
        batch_op.alter_column("requested_by", existing_type=sa.VARCHAR(length=32), nullable=False)
