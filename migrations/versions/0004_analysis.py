"""analysis cache (filled by the analysis work)

Revision ID: 0004_analysis
Revises: 0003_surveys
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import portal.models.base  # noqa: F401

revision = "0004_analysis"
down_revision = "0003_surveys"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
