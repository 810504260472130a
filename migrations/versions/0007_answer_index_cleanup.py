"""drop the answer indexes that the covering indexes of 0006 made redundant

``ix_survey_answer_counts (question_id, choice_id, value_int, missing_reason)`` starts with the
columns of both ``ix_survey_answer_question_choice`` and (for the rows the results read)
``ix_survey_answer_question_value``; no query uses the two any more. Each answer row written by a
survey send updated both, in leaf pages scattered by question, so dropping them makes a send
cheaper (fewer pages written per commit) without slowing any read.

Revision ID: 0007_answer_index_cleanup
Revises: 0006_answer_covering_index
"""

from alembic import op

revision = "0007_answer_index_cleanup"
down_revision = "0006_answer_covering_index"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_answer_question_value")
        batch_op.drop_index("ix_survey_answer_question_choice")


def downgrade():
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.create_index("ix_survey_answer_question_choice", ["question_id", "choice_id"],
                              unique=False)
        batch_op.create_index("ix_survey_answer_question_value", ["question_id", "value_int"],
                              unique=False)
