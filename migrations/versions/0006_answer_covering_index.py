"""covering indexes of the survey results GROUP BY queries

Revision ID: 0006_answer_covering_index
Revises: 0005_survey_revision
"""

from alembic import op

revision = "0006_answer_covering_index"
down_revision = "0005_survey_revision"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.create_index("ix_survey_answer_counts",
                              ["question_id", "choice_id", "value_int", "missing_reason"],
                              unique=False)
        batch_op.create_index("ix_survey_answer_response_items",
                              ["response_id", "question_id", "value_int", "choice_id",
                               "missing_reason"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_answer_response_items")
        batch_op.drop_index("ix_survey_answer_counts")
