"""Personal API tokens: api_token (hash only) and the cities each token may read

Revision ID: 0015_api_tokens
Revises: 0014_import_mappings
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0015_api_tokens"
down_revision = "0014_import_mappings"
branch_labels = None
depends_on = None

UTC = portal.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("read_write", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("last_used_at", UTC, nullable=True),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_api_token_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"])
    op.create_table(
        "api_token_city",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["city_id"], ["city.id"],
                                name=op.f("fk_api_token_city_city_id_city"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["token_id"], ["api_token.id"],
                                name=op.f("fk_api_token_city_token_id_api_token"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token_city")),
        sa.UniqueConstraint("token_id", "city_id",
                            name=op.f("uq_api_token_city_token_id_city_id")),
    )
    op.create_index(op.f("ix_api_token_city_city_id"), "api_token_city", ["city_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_api_token_city_city_id"), table_name="api_token_city")
    op.drop_table("api_token_city")
    op.drop_index(op.f("ix_api_token_user_id"), table_name="api_token")
    op.drop_table("api_token")
