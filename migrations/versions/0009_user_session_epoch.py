"""user_account.session_epoch: sessions can be revoked

Each login copies the user's session epoch into the session cookie; every request compares it
with the stored one (portal.auth.revocation). Logging out, changing the password, "log out on
all other devices", losing a role or being switched off bumps it, ending the older sessions.
Sessions made before this migration carry no epoch and end once.

Revision ID: 0009_user_session_epoch
Revises: 0008_answer_append_only
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_user_session_epoch"
down_revision = "0008_answer_append_only"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("session_epoch", sa.Integer(), server_default="0",
                                   nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("session_epoch")
