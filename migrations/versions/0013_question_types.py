"""XLSForm question types: time, datetime, acknowledge, range, calculate; choice_filter

survey_question.qtype widens to 16 characters ("acknowledge") and its check constraint lists
the new types; new columns: survey_question.calculation (a calculate's expression),
choice_filter (cascading selects), step (a range's step) and section_one_page (a field-list
group is one page, another group's questions run four to a page); survey_choice.filters (the
choices sheet's other columns, which a choice_filter reads).

Revision ID: 0013_question_types
Revises: 0012_links_resets
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_question_types"
down_revision = "0012_links_resets"
branch_labels = None
depends_on = None

OLD_TYPES = "'likert5', 'single', 'multi', 'integer', 'decimal', 'date', 'text', 'note'"
NEW_TYPES = OLD_TYPES + ", 'time', 'datetime', 'acknowledge', 'range', 'calculate'"


def upgrade():
    with op.batch_alter_table("survey_question", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_survey_question_type_known"), type_="check")
        batch_op.alter_column("qtype", existing_type=sa.String(length=10),
                              type_=sa.String(length=16), existing_nullable=False)
        batch_op.add_column(sa.Column("calculation", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("choice_filter", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("step", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("section_one_page", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.create_check_constraint(op.f("ck_survey_question_type_known"),
                                         f"qtype in ({NEW_TYPES})")
    with op.batch_alter_table("survey_choice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("filters", sa.JSON(), nullable=False,
                                      server_default="{}"))


def downgrade():
    with op.batch_alter_table("survey_choice", schema=None) as batch_op:
        batch_op.drop_column("filters")
    op.execute(f"DELETE FROM survey_question WHERE qtype NOT IN ({OLD_TYPES})")
    with op.batch_alter_table("survey_question", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_survey_question_type_known"), type_="check")
        batch_op.drop_column("section_one_page")
        batch_op.drop_column("step")
        batch_op.drop_column("choice_filter")
        batch_op.drop_column("calculation")
        batch_op.alter_column("qtype", existing_type=sa.String(length=16),
                              type_=sa.String(length=10), existing_nullable=False)
        batch_op.create_check_constraint(op.f("ck_survey_question_type_known"),
                                         f"qtype in ({OLD_TYPES})")
