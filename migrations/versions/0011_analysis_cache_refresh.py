"""Forget cached analyses: layouts are now anchored on the previous round, effects stated anew

Stored analysis results (the analysis_result table) were computed before each round's layout
started from the previous round's positions, before suggestion effects were stated from the
current map, and before working groups were part of the payload. They are only a cache: the
next view of each map computes and stores them again.

Revision ID: 0011_analysis_cache_refresh
Revises: 0010_name_keys
"""

from alembic import op

revision = "0011_analysis_cache_refresh"
down_revision = "0010_name_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM analysis_result")


def downgrade() -> None:
    op.execute("DELETE FROM analysis_result")  # a cache: the older code recomputes it too
