"""Per-survey results aggregates up to a high-water mark, and the triggers that mark them stale

Revision ID: 0020_results_aggregates
Revises: 0019_jobs
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0020_results_aggregates"
down_revision = "0019_jobs"
branch_labels = None
depends_on = None

UTC = portal.models.base.UTCDateTime(timezone=True)

# Frozen copies of portal.models.results.INVALIDATE_* (as they were at this revision).
_STALE = ("UPDATE results_aggregate SET version = version + 1, plan_key = '' "
          "WHERE plan_key <> '' AND survey_id")
SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS results_aggregate_response_deleted
        AFTER DELETE ON survey_response BEGIN {_STALE} = OLD.survey_id; END""",
    f"""CREATE TRIGGER IF NOT EXISTS results_aggregate_response_changed
        AFTER UPDATE ON survey_response
        BEGIN {_STALE} IN (OLD.survey_id, NEW.survey_id); END""",
    f"""CREATE TRIGGER IF NOT EXISTS results_aggregate_answer_changed
        AFTER UPDATE ON survey_answer BEGIN {_STALE} IN (SELECT survey_id FROM survey_response
        WHERE id IN (OLD.response_id, NEW.response_id)); END""",
]
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION results_aggregate_invalidate() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_TABLE_NAME = 'survey_response' AND TG_OP = 'DELETE' THEN
            {_STALE} = OLD.survey_id;
          ELSIF TG_TABLE_NAME = 'survey_response' THEN
            {_STALE} IN (OLD.survey_id, NEW.survey_id);
          ELSE
            {_STALE} IN (SELECT survey_id FROM survey_response
                         WHERE id IN (OLD.response_id, NEW.response_id));
          END IF;
          RETURN NULL;
        END $$""",
    """CREATE OR REPLACE TRIGGER results_aggregate_response_changed AFTER DELETE OR UPDATE
       ON survey_response FOR EACH ROW EXECUTE FUNCTION results_aggregate_invalidate()""",
    """CREATE OR REPLACE TRIGGER results_aggregate_answer_changed AFTER UPDATE
       ON survey_answer FOR EACH ROW EXECUTE FUNCTION results_aggregate_invalidate()""",
]


def upgrade() -> None:
    op.create_table(
        "results_aggregate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("mark", sa.Integer(), nullable=False),
        sa.Column("plan_key", sa.String(length=64), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"],
                                name=op.f("fk_results_aggregate_survey_id_survey"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_results_aggregate")),
        sa.UniqueConstraint("survey_id", name=op.f("uq_results_aggregate_survey_id")),
    )
    op.create_table(
        "results_aggregate_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("week", sa.Date(), nullable=True),
        sa.Column("mode", sa.String(length=8), nullable=True),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("choice_id", sa.Integer(), nullable=True),
        sa.Column("value_int", sa.Integer(), nullable=True),
        sa.Column("missing_reason", sa.String(length=16), nullable=True),
        sa.Column("subscale", sa.String(length=64), nullable=True),
        sa.Column("breakdown", sa.String(length=16), nullable=True),
        sa.Column("group_key", sa.String(length=32), nullable=True),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("total_sq", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["survey_id"], ["survey.id"],
                                name=op.f("fk_results_aggregate_cell_survey_id_survey"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_results_aggregate_cell")),
    )
    op.create_index(op.f("ix_results_aggregate_cell_survey_id"), "results_aggregate_cell",
                    ["survey_id"])
    dialect = op.get_bind().dialect.name
    for statement in SQLITE if dialect == "sqlite" else POSTGRESQL if dialect == "postgresql" \
            else []:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("results_aggregate_response_deleted", "results_aggregate_response_changed",
                     "results_aggregate_answer_changed"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS results_aggregate_response_changed ON survey_response")
        op.execute("DROP TRIGGER IF EXISTS results_aggregate_answer_changed ON survey_answer")
        op.execute("DROP FUNCTION IF EXISTS results_aggregate_invalidate()")
    op.drop_index(op.f("ix_results_aggregate_cell_survey_id"), table_name="results_aggregate_cell")
    op.drop_table("results_aggregate_cell")
    op.drop_table("results_aggregate")
