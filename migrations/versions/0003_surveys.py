"""surveys, questions, responses (filled by the resident-surveys work)

Revision ID: 0003_surveys
Revises: 0002_stakeholders
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base  # noqa: F401

revision = "0003_surveys"
down_revision = "0002_stakeholders"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('default_language', sa.String(length=16), nullable=False),
    sa.Column('wave', sa.String(length=100), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('consent', sa.JSON(), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status in ('draft', 'open', 'closed')",
        name=op.f('ck_survey_status_known')),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], name=op.f('fk_survey_city_id_city'),
        ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey')),
    sa.UniqueConstraint('city_id', 'slug', name=op.f('uq_survey_city_id_slug'))
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_city_id'), ['city_id'], unique=False)

    op.create_table('survey_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('qtype', sa.String(length=10), nullable=False),
    sa.Column('section', sa.String(length=64), nullable=True),
    sa.Column('section_label', sa.JSON(), nullable=False),
    sa.Column('label', sa.JSON(), nullable=False),
    sa.Column('hint', sa.JSON(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('relevant', sa.Text(), nullable=True),
    sa.Column('constraint_expr', sa.Text(), nullable=True),
    sa.Column('constraint_message', sa.JSON(), nullable=False),
    sa.Column('min_value', sa.Float(), nullable=True),
    sa.Column('max_value', sa.Float(), nullable=True),
    sa.Column('subscale', sa.String(length=64), nullable=True),
    sa.Column('reverse', sa.Boolean(), nullable=False),
    sa.Column('dont_know', sa.Boolean(), nullable=False),
    sa.Column('prefer_not', sa.Boolean(), nullable=False),
    sa.Column('demographic', sa.String(length=16), nullable=True),
    sa.CheckConstraint(
        "qtype in ('likert5', 'single', 'multi', 'integer', 'decimal', 'date', 'text', 'note')",
        name=op.f('ck_survey_question_type_known')),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'],
        name=op.f('fk_survey_question_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_question')),
    sa.UniqueConstraint('survey_id', 'name', name=op.f('uq_survey_question_survey_id_name'))
    )
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_question_survey_id'), ['survey_id'],
            unique=False)

    op.create_table('survey_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('answers_hash', sa.String(length=64), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'],
        name=op.f('fk_survey_response_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
    sa.UniqueConstraint('uuid', name=op.f('uq_survey_response_uuid'))
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_response_survey_id'), ['survey_id'],
            unique=False)

    op.create_table('survey_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('label', sa.JSON(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['survey_question.id'],
        name=op.f('fk_survey_choice_question_id_survey_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_choice')),
    sa.UniqueConstraint('question_id', 'name', name=op.f('uq_survey_choice_question_id_name'))
    )
    with op.batch_alter_table('survey_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_choice_question_id'), ['question_id'],
            unique=False)

    op.create_table('survey_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('choice_id', sa.Integer(), nullable=True),
    sa.Column('value_int', sa.Integer(), nullable=True),
    sa.Column('value_num', sa.Float(), nullable=True),
    sa.Column('value_text', sa.Text(), nullable=True),
    sa.Column('missing_reason', sa.String(length=16), nullable=True),
    sa.CheckConstraint("missing_reason is null or missing_reason in ('dont_know', 'prefer_not')",
        name=op.f('ck_survey_answer_missing_known')),
    sa.ForeignKeyConstraint(['choice_id'], ['survey_choice.id'],
        name=op.f('fk_survey_answer_choice_id_survey_choice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['survey_question.id'],
        name=op.f('fk_survey_answer_question_id_survey_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['survey_response.id'],
        name=op.f('fk_survey_answer_response_id_survey_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answer'))
    )
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answer_question_choice', ['question_id', 'choice_id'],
            unique=False)
        batch_op.create_index('ix_survey_answer_question_value', ['question_id', 'value_int'],
            unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answer_response_id'), ['response_id'],
            unique=False)


def downgrade():
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answer_response_id'))
        batch_op.drop_index('ix_survey_answer_question_value')
        batch_op.drop_index('ix_survey_answer_question_choice')

    op.drop_table('survey_answer')
    with op.batch_alter_table('survey_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_choice_question_id'))

    op.drop_table('survey_choice')
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_response_survey_id'))

    op.drop_table('survey_response')
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_question_survey_id'))

    op.drop_table('survey_question')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_city_id'))

    op.drop_table('survey')
