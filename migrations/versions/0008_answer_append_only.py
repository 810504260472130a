"""survey answers: drop the question/choice foreign keys and the redundant response_id index

``survey_answer`` is append-only: a survey send writes a response and its 12-20 answer rows, and
nothing updates them. Each answer row's foreign keys to ``survey_question`` and ``survey_choice``
made PostgreSQL run a trigger per row that locks the parent row FOR KEY SHARE; every concurrent
send locks the same few question and choice rows, so the locks become shared multixacts. That
was most of the server's extra work per send (benchmarks/submit_bench.py). The rows still always
name a real question and choice of their survey:

- the send parses every answer against the survey's current definition, and stores only while
  the survey's revision is the one it checked (portal.surveys.answering.store, one statement);
- once a survey has responses its structure is locked: no question or choice can be removed or
  renamed (portal.surveys.authoring.questions,
  tests/integration/surveys/test_survey_answer_integrity.py);
- deleting a survey (or its city) deletes its responses, and their answers go with them through
  the foreign key to ``survey_response``, which stays.

``ix_survey_answer_response_id`` duplicated the first column of the covering index
``ix_survey_answer_response_items``, which serves the same lookups and the cascade.

Revision ID: 0008_answer_append_only
Revises: 0007_answer_index_cleanup
"""

from alembic import op

revision = "0008_answer_append_only"
down_revision = "0007_answer_index_cleanup"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.drop_constraint("fk_survey_answer_question_id_survey_question",
                                 type_="foreignkey")
        batch_op.drop_constraint("fk_survey_answer_choice_id_survey_choice", type_="foreignkey")
        batch_op.drop_index("ix_survey_answer_response_id")


def downgrade():
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.create_index("ix_survey_answer_response_id", ["response_id"], unique=False)
        batch_op.create_foreign_key("fk_survey_answer_choice_id_survey_choice", "survey_choice",
                                    ["choice_id"], ["id"], ondelete="CASCADE")
        batch_op.create_foreign_key("fk_survey_answer_question_id_survey_question",
                                    "survey_question", ["question_id"], ["id"],
                                    ondelete="CASCADE")
