"""Reprintable relationship-survey links in a chosen language, invitation revoke, password resets

- relationship_survey_link.token_nonce: new links are an HMAC of this nonce under the secret
  key, so the coordinator can download and print them again; older links (no nonce) keep
  working but cannot be shown again.
- relationship_survey_link.locale: the UI language of the printed card and of its page.
- invitation.revoked_at: a coordinator can withdraw a pending invitation.
- password_reset: one-time links an admin or coordinator issues (there is no mail server).

Revision ID: 0012_links_resets
Revises: 0011_analysis_cache_refresh
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0012_links_resets"
down_revision = "0011_analysis_cache_refresh"
branch_labels = None
depends_on = None

UTC = portal.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("relationship_survey_link") as batch:
        batch.add_column(sa.Column("token_nonce", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("locale", sa.String(length=16), nullable=True))
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("revoked_at", UTC, nullable=True))
    op.create_table(
        "password_reset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("used_at", UTC, nullable=True),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_password_reset_created_by_id_user_account"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_password_reset_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_token_hash")),
    )
    op.create_index(op.f("ix_password_reset_user_id"), "password_reset", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_password_reset_user_id"), table_name="password_reset")
    op.drop_table("password_reset")
    with op.batch_alter_table("invitation") as batch:
        batch.drop_column("revoked_at")
    with op.batch_alter_table("relationship_survey_link") as batch:
        batch.drop_column("locale")
        batch.drop_column("token_nonce")
