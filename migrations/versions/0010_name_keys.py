"""name_key on stakeholders, areas and rounds: names compared in any script

SQLite's lower() folds ASCII only, so "Ромски центар" and "ромски центар" could both exist and
searches and lookups missed names in Cyrillic or with other capitals. Each stakeholder, area and
mapping round now stores name_key (portal.names.name_key: NFKC, Unicode case folding, spaces
collapsed), and stakeholders also organisation_key; the per-city unique constraints move from
name to name_key.

Existing rows are backfilled here in Python (the same function the application uses). Where
two names of one city have the same key (they differ only in case, spacing or script form),
the first (lowest id) keeps its name and each later one is renamed with a suffix " (2)",
" (3)", ...; every such clash and rename is printed, so an operator can merge or rename them.

Revision ID: 0010_name_keys
Revises: 0009_user_session_epoch
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0010_name_keys"
down_revision = "0009_user_session_epoch"
branch_labels = None
depends_on = None

# table -> the length of its name column
TABLES = {"stakeholder": 200, "area": 100, "mapping_round": 100}


def name_key(text: str | None) -> str:
    """portal.names.name_key as of this migration (frozen here)."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def _free_name(name: str, taken: set[str], limit: int) -> str:
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = name[: limit - len(suffix)] + suffix
        if name_key(candidate) not in taken:
            return candidate
        number += 1


def _backfill(table_name: str, limit: int) -> None:
    bind = op.get_bind()
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column("city_id", sa.Integer),
                     sa.column("name", sa.String), sa.column("name_key", sa.String))
    rows = bind.execute(sa.select(table.c.id, table.c.city_id, table.c.name)
                        .order_by(table.c.city_id, table.c.id)).all()
    taken: dict[int, set[str]] = {}
    for row_id, city_id, name in rows:
        keys = taken.setdefault(city_id, set())
        key = name_key(name)
        if key in keys:
            renamed = _free_name(name, keys, limit)
            print(f"0010_name_keys: {table_name} {row_id} in city {city_id}: {name!r} clashes "
                  f"with an earlier name; renamed to {renamed!r}")
            name, key = renamed, name_key(renamed)
        keys.add(key)
        bind.execute(sa.update(table).where(table.c.id == row_id)
                     .values(name=name, name_key=key))


def upgrade() -> None:
    for table_name in TABLES:
        with op.batch_alter_table(table_name) as batch:
            batch.add_column(sa.Column("name_key", sa.String(), nullable=True))
            if table_name == "stakeholder":
                batch.add_column(sa.Column("organisation_key", sa.String(), nullable=True))
    for table_name, limit in TABLES.items():
        _backfill(table_name, limit)
    bind = op.get_bind()
    stakeholder = sa.table("stakeholder", sa.column("id", sa.Integer),
                           sa.column("organisation", sa.String),
                           sa.column("organisation_key", sa.String))
    for row_id, organisation in bind.execute(
            sa.select(stakeholder.c.id, stakeholder.c.organisation)).all():
        bind.execute(sa.update(stakeholder).where(stakeholder.c.id == row_id)
                     .values(organisation_key=name_key(organisation)))
    for table_name in TABLES:
        with op.batch_alter_table(table_name) as batch:
            batch.alter_column("name_key", existing_type=sa.String(), nullable=False)
            if table_name == "stakeholder":
                batch.alter_column("organisation_key", existing_type=sa.String(),
                                   nullable=False)
            batch.drop_constraint(f"uq_{table_name}_city_id_name", type_="unique")
            batch.create_unique_constraint(f"uq_{table_name}_city_id_name_key",
                                           ["city_id", "name_key"])


def downgrade() -> None:
    for table_name in TABLES:
        with op.batch_alter_table(table_name) as batch:
            batch.drop_constraint(f"uq_{table_name}_city_id_name_key", type_="unique")
            batch.create_unique_constraint(f"uq_{table_name}_city_id_name", ["city_id", "name"])
            batch.drop_column("name_key")
            if table_name == "stakeholder":
                batch.drop_column("organisation_key")
