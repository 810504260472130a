"""ODK Collect: enumerator devices, the enumerator role, each response's collection mode

Revision ID: 0017_openrosa_devices
Revises: 0016_action_plan
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0017_openrosa_devices"
down_revision = "0016_action_plan"
branch_labels = None
depends_on = None

UTC = portal.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "enumerator_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("last_used_on", UTC, nullable=True),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["city_id"], ["city.id"],
                                name=op.f("fk_enumerator_device_city_id_city"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_enumerator_device_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enumerator_device")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_enumerator_device_token_hash")),
        sa.UniqueConstraint("username", name=op.f("uq_enumerator_device_username")),
    )
    op.create_index(op.f("ix_enumerator_device_city_id"), "enumerator_device", ["city_id"])
    op.create_index(op.f("ix_enumerator_device_user_id"), "enumerator_device", ["user_id"])
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_constraint("role_known", type_="check")
        batch_op.create_check_constraint(
            "role_known", "role in ('coordinator', 'member', 'enumerator')")
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("collection_mode", sa.String(length=8), nullable=False,
                                      server_default="web"))
        batch_op.create_check_constraint(
            "collection_mode_known", "collection_mode in ('web', 'device', 'paper')")


def downgrade() -> None:
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.drop_constraint("collection_mode_known", type_="check")
        batch_op.drop_column("collection_mode")
    op.execute("DELETE FROM membership WHERE role = 'enumerator'")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_constraint("role_known", type_="check")
        batch_op.create_check_constraint("role_known", "role in ('coordinator', 'member')")
    op.drop_index(op.f("ix_enumerator_device_user_id"), table_name="enumerator_device")
    op.drop_index(op.f("ix_enumerator_device_city_id"), table_name="enumerator_device")
    op.drop_table("enumerator_device")
