"""analysis cache (filled by the analysis work)

Revision ID: 0004_analysis
Revises: 0003_surveys
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0004_analysis"
down_revision = "0003_surveys"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('analysis_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('filter_key', sa.String(length=200), nullable=False),
    sa.Column('network_revision', sa.Integer(), nullable=False),
    sa.Column('computed_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], name=op.f('fk_analysis_result_city_id_city'),
        ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['mapping_round.id'],
        name=op.f('fk_analysis_result_round_id_mapping_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analysis_result')),
    sa.UniqueConstraint('city_id', 'round_id', 'filter_key', 'network_revision',
        name=op.f('uq_analysis_result_city_id_round_id_filter_key_network_revision'))
    )
    with op.batch_alter_table('analysis_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analysis_result_round_id'), ['round_id'], unique=False)
        batch_op.create_index('uq_analysis_result_no_round',
            ['city_id', 'filter_key', 'network_revision'], unique=True,
            sqlite_where=sa.text('round_id IS NULL'), postgresql_where=sa.text('round_id IS NULL'))


def downgrade():
    with op.batch_alter_table('analysis_result', schema=None) as batch_op:
        batch_op.drop_index('uq_analysis_result_no_round', sqlite_where=sa.text('round_id IS NULL'),
            postgresql_where=sa.text('round_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_analysis_result_round_id'))

    op.drop_table('analysis_result')
