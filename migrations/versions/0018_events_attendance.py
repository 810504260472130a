"""Meetings and trainings (events) and their attendance by stakeholder

Revision ID: 0018_events_attendance
Revises: 0017_openrosa_devices
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0018_events_attendance"
down_revision = "0017_openrosa_devices"
branch_labels = None
depends_on = None

UTC = portal.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "plan_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.CheckConstraint("kind in ('meeting', 'training', 'workshop', 'joint_activity')",
                           name=op.f("ck_plan_event_kind_known")),
        sa.ForeignKeyConstraint(["city_id"], ["city.id"], name=op.f("fk_plan_event_city_id_city"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["activity_id"], ["plan_activity.id"],
                                name=op.f("fk_plan_event_activity_id_plan_activity"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_event")),
    )
    op.create_index(op.f("ix_plan_event_city_id"), "plan_event", ["city_id"])
    op.create_index(op.f("ix_plan_event_activity_id"), "plan_event", ["activity_id"])
    op.create_table(
        "plan_event_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["plan_event.id"],
                                name=op.f("fk_plan_event_attendance_event_id_plan_event"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stakeholder_id"], ["stakeholder.id"],
                                name=op.f("fk_plan_event_attendance_stakeholder_id_stakeholder"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_event_attendance")),
        sa.UniqueConstraint("event_id", "stakeholder_id",
                            name=op.f("uq_plan_event_attendance_event_id_stakeholder_id")),
    )
    op.create_index(op.f("ix_plan_event_attendance_stakeholder_id"), "plan_event_attendance",
                    ["stakeholder_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_event_attendance_stakeholder_id"),
                  table_name="plan_event_attendance")
    op.drop_table("plan_event_attendance")
    op.drop_index(op.f("ix_plan_event_activity_id"), table_name="plan_event")
    op.drop_index(op.f("ix_plan_event_city_id"), table_name="plan_event")
    op.drop_table("plan_event")
