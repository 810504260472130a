"""The local action plan: plans, goals, activities and their partner stakeholders

Revision ID: 0016_action_plan
Revises: 0015_api_tokens
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0016_action_plan"
down_revision = "0015_api_tokens"
branch_labels = None
depends_on = None

UTC = portal.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("closed_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["city_id"], ["city.id"], name=op.f("fk_plan_city_id_city"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
    )
    op.create_index(op.f("ix_plan_city_id"), "plan", ["city_id"])
    op.create_table(
        "plan_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_goal_plan_id_plan"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_goal")),
    )
    op.create_index(op.f("ix_plan_goal_plan_id"), "plan_goal", ["plan_id"])
    op.create_table(
        "plan_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("expected_outputs", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.CheckConstraint("status in ('planned', 'under_way', 'done', 'dropped')",
                           name=op.f("ck_plan_activity_status_known")),
        sa.ForeignKeyConstraint(["city_id"], ["city.id"],
                                name=op.f("fk_plan_activity_city_id_city"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["goal_id"], ["plan_goal.id"],
                                name=op.f("fk_plan_activity_goal_id_plan_goal"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["user_account.id"],
                                name=op.f("fk_plan_activity_owner_id_user_account"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["round_id"], ["mapping_round.id"],
                                name=op.f("fk_plan_activity_round_id_mapping_round"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_activity")),
    )
    op.create_index(op.f("ix_plan_activity_city_id"), "plan_activity", ["city_id"])
    op.create_index(op.f("ix_plan_activity_goal_id"), "plan_activity", ["goal_id"])
    op.create_index(op.f("ix_plan_activity_owner_id"), "plan_activity", ["owner_id"])
    op.create_table(
        "plan_activity_partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["plan_activity.id"],
                                name=op.f("fk_plan_activity_partner_activity_id_plan_activity"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stakeholder_id"], ["stakeholder.id"],
                                name=op.f("fk_plan_activity_partner_stakeholder_id_stakeholder"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_activity_partner")),
        sa.UniqueConstraint("activity_id", "stakeholder_id",
                            name=op.f("uq_plan_activity_partner_activity_id_stakeholder_id")),
    )
    op.create_index(op.f("ix_plan_activity_partner_stakeholder_id"), "plan_activity_partner",
                    ["stakeholder_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_activity_partner_stakeholder_id"),
                  table_name="plan_activity_partner")
    op.drop_table("plan_activity_partner")
    for name in ("owner_id", "goal_id", "city_id"):
        op.drop_index(op.f(f"ix_plan_activity_{name}"), table_name="plan_activity")
    op.drop_table("plan_activity")
    op.drop_index(op.f("ix_plan_goal_plan_id"), table_name="plan_goal")
    op.drop_table("plan_goal")
    op.drop_index(op.f("ix_plan_city_id"), table_name="plan")
    op.drop_table("plan")
