"""Background jobs on the task queue

Revision ID: 0019_jobs
Revises: 0018_events_attendance
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0019_jobs"
down_revision = "0018_events_attendance"
branch_labels = None
depends_on = None

UTC = portal.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("progress_done", sa.Integer(), nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(length=32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("started_at", UTC, nullable=True),
        sa.Column("finished_at", UTC, nullable=True),
        sa.Column("result_path", sa.String(length=300), nullable=True),
        sa.Column("result_name", sa.String(length=200), nullable=True),
        sa.Column("downloaded", sa.Boolean(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.CheckConstraint("status in ('queued', 'running', 'done', 'failed')",
                           name=op.f("ck_jobs_status_known")),
        sa.ForeignKeyConstraint(["city_id"], ["city.id"], name=op.f("fk_jobs_city_id_city"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_jobs_user_id_user_account"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("uuid", name=op.f("uq_jobs_uuid")),
        sa.UniqueConstraint("city_id", "idempotency_key",
                            name=op.f("uq_jobs_city_id_idempotency_key")),
    )
    op.create_index(op.f("ix_jobs_city_id"), "jobs", ["city_id"])
    op.create_index(op.f("ix_jobs_user_id"), "jobs", ["user_id"])
    op.create_index(op.f("ix_jobs_status"), "jobs", ["status"])


def downgrade() -> None:
    op.drop_table("jobs")
