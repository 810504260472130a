"""import_mapping: a city's remembered answers to "what is this foreign value?"

An import of a Kumu, Gephi or Polinode file meets values the portal does not know (a Kumu
Type "Person", a Gephi Type "Directed", an empty kind). The preview asks once which sector,
level, kind, frequency or direction each one means; the answers are kept per city so the next
import of the same kind of file needs no question.

Revision ID: 0014_import_mappings
Revises: 0013_question_types
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "0014_import_mappings"
down_revision = "0013_question_types"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("vocabulary", sa.String(length=12), nullable=False),
        sa.Column("value_key", sa.String(length=200), nullable=False),
        sa.Column("target", sa.String(length=24), nullable=False),
        sa.Column("updated_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["city_id"], ["city.id"],
                                name=op.f("fk_import_mapping_city_id_city"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mapping")),
        sa.UniqueConstraint("city_id", "vocabulary", "value_key",
                            name=op.f("uq_import_mapping_city_id_vocabulary_value_key")),
    )
    with op.batch_alter_table("import_mapping", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_mapping_city_id"), ["city_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_mapping", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_mapping_city_id"))
    op.drop_table("import_mapping")
