"""CLI commands, demo data and migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select

from portal import create_app
from portal.extensions import db
from portal.models import City, Membership, Region, RegionalRole, Response, Survey, User
from tests.conftest import TEST_SECRET


def test_migrations_build_the_schema_of_the_models(tmp_path):
    url = f"sqlite:///{tmp_path}/migrated.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": url})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    engine.dispose()
    assert differences == []


def test_sqlite_runs_with_foreign_keys_and_wal(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_create_region_city_and_users(runner):
    assert runner.invoke(args=["create-region", "east", "--name", "East"]).exit_code == 0
    result = runner.invoke(args=["create-city", "eastgrad", "--name", "Eastgrad", "--region",
                                 "east", "--locale", "sq"])
    assert result.exit_code == 0, result.output
    city = db.session.scalar(select(City).where(City.slug == "eastgrad"))
    assert city.default_locale == "sq" and city.disclosure_threshold == 10
    for email, role, extra in [
        ("a@example.org", "admin", []),
        ("r@example.org", "regional", ["--region", "east"]),
        ("c@example.org", "coordinator", ["--city", "eastgrad"]),
        ("m@example.org", "member", ["--city", "eastgrad"]),
    ]:
        result = runner.invoke(
            args=["create-user", email, "--password-stdin", "--role", role, *extra],
            input="a long enough password\n")
        assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "a@example.org")).is_admin
    assert db.session.scalar(select(RegionalRole)).region.slug == "east"
    roles = {m.role for m in db.session.scalars(select(Membership))}
    assert roles == {"coordinator", "member"}


@pytest.mark.parametrize(
    "args",
    [
        ["create-city", "x", "--name", "X", "--region", "missing"],
        ["create-city", "Bad Slug", "--name", "X", "--region", "r"],
        ["create-city", "y", "--name", "Y", "--region", "r", "--threshold", "3"],
        ["create-city", "z", "--name", "Z", "--region", "r", "--locale", "xx"],
        ["create-user", "n@example.org", "--role", "member", "--city", "nowhere",
         "--password-stdin"],
        ["create-user", "n@example.org", "--role", "regional", "--password-stdin"],
    ],
)
def test_cli_refuses_bad_input_and_changes_nothing(runner, args):
    runner.invoke(args=["create-region", "r", "--name", "R"])
    def counts() -> tuple[int | None, ...]:
        return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (City, User))

    before = counts()
    result = runner.invoke(args=args, input="a long enough password\n")
    assert result.exit_code != 0
    db.session.rollback()
    assert counts() == before


def test_seed_demo_is_idempotent_and_prints_logins(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    def counts() -> list[int | None]:
        return [db.session.scalar(select(func.count()).select_from(m))
                for m in (Region, City, User, Survey, Response)]

    before = counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    third = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "not added" in third.output and "admin@demo.lpn.example" in third.output
    assert counts() == before
    assert before[:2] == [2, 4]
    # Two waves of the resident survey per city (closed baseline, open follow-up), 36 each.
    assert before[3:] == [8, 8 * 36]
    assert "admin@demo.lpn.example" in first.output
    locales = {city.default_locale for city in db.session.scalars(select(City))}
    assert locales == {"mk", "ar"}


def test_admin_creates_region_city_and_user_in_the_ui(client, make_user, login):
    login(make_user("admin"))
    assert client.post("/admin/regions", data={"slug": "south", "name": "South"}).status_code == 302
    region = db.session.scalar(select(Region).where(Region.slug == "south"))
    response = client.post("/admin/cities/new", data={
        "slug": "southgrad", "name": "Southgrad", "country": "", "region": region.id,
        "default_locale": "tr", "disclosure_threshold": 12})
    assert response.status_code == 302, response.get_data(as_text=True)
    city = db.session.scalar(select(City).where(City.slug == "southgrad"))
    assert (city.default_locale, city.disclosure_threshold) == ("tr", 12)
    bad = client.post(f"/admin/cities/{city.id}", data={
        "name": "Southgrad", "country": "", "default_locale": "tr", "disclosure_threshold": 4})
    assert bad.status_code == 200
    db.session.refresh(city)
    assert city.disclosure_threshold == 12
    client.post("/admin/users", data={"email": "new@example.org", "display_name": "New",
                                      "password": "long enough pw"})
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    client.post(f"/admin/users/{user.id}",
                data={"target": f"city:{city.id}", "role": "coordinator"})
    assert db.session.scalar(
        select(Membership.role).where(Membership.user_id == user.id)) == "coordinator"
    client.post(f"/admin/users/{user.id}/active")
    db.session.refresh(user)
    assert user.active is False


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner, make_city):
    make_city(slug="real-city")
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "not added" in result.output
    assert "Demo logins" not in result.output
    assert db.session.scalar(select(func.count()).select_from(City)) == 1


def test_admin_overview_runs_a_constant_number_of_queries(client, make_user, make_city, login,
                                                          count_queries):
    login(make_user("admin"))
    make_user("member", city=make_city())

    def queries_for_overview() -> int:
        with count_queries() as statements:
            assert client.get("/admin/").status_code == 200
        return len(statements)

    few = queries_for_overview()
    for _ in range(15):
        city = make_city()
        make_user("member", city=city)
    assert queries_for_overview() == few


def test_revision_ids_fit_the_alembic_version_column():
    from pathlib import Path

    from alembic.script import ScriptDirectory

    folder = Path(__file__).resolve().parents[2] / "migrations"
    revisions = list(ScriptDirectory(str(folder)).walk_revisions())
    assert len(revisions) >= 7
    # PostgreSQL stores the revision in a varchar(32): a longer id fails only there, at upgrade.
    assert max(len(r.revision) for r in revisions) <= 32


def test_migration_0010_backfills_name_keys_and_renames_clashes(tmp_path, capsys):
    from flask_migrate import upgrade
    from sqlalchemy import text
    url = f"sqlite:///{tmp_path}/keys.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0009_user_session_epoch")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO region (id, slug, name) VALUES (1, 'r', 'R')"))
            connection.execute(text(
                "INSERT INTO city (id, slug, name, country, region_id, default_locale, "
                "disclosure_threshold, network_revision) "
                "VALUES (1, 'c', 'C', 'MK', 1, 'mk', 10, 0)"))
            for name in ("Ромски центар", "ромски ЦЕНТАР", "Other"):
                connection.execute(text(
                    "INSERT INTO stakeholder (city_id, name, organisation, sector, level, "
                    "is_team_member, notes, contact_person, contact_email, contact_phone, "
                    "created_at, updated_at) VALUES (1, :n, 'Здружение', 'other', 'local', 0, "
                    "'', '', '', '', '2025-01-01', '2025-01-01')"), {"n": name})
        upgrade()
        rows = db.session.execute(text(
            "SELECT name, name_key, organisation_key FROM stakeholder ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [
        ("Ромски центар", "ромски центар", "здружение"),
        ("ромски ЦЕНТАР (2)", "ромски центар (2)", "здружение"),
        ("Other", "other", "здружение")]
    assert "renamed to 'ромски ЦЕНТАР (2)'" in capsys.readouterr().out
