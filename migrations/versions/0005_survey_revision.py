"""survey revision (keys the per-process cache of survey definitions)

Revision ID: 0005_survey_revision
Revises: 0004_analysis
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_survey_revision"
down_revision = "0004_analysis"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0",
                                      nullable=False))


def downgrade():
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.drop_column("revision")
