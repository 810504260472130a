"""Flask commands: database, backups, demo data, accounts, translations."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext

from portal.admin import services as admin
from portal.auth import services as accounts
from portal.auth.scoping import city_by_slug
from portal.extensions import db


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Apply every migration to the configured database."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("Database is up to date.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Seed only when the database holds no city yet.")
@with_appcontext
def seed_demo(if_empty: bool) -> None:
    """Add the fictional demo regions, cities and users (idempotent)."""
    from portal.demo import is_empty, seed
    from portal.demo import logins as demo_logins

    if if_empty and not is_empty():
        click.echo("The database holds data already: the demo was not added.")
        present = demo_logins(only_existing=True)
    else:
        seed()
        db.session.commit()
        click.echo("Demo data is in place.")
        present = demo_logins()
    if present:
        click.echo("Demo logins (for the demo only):")
    for email, password, role in present:
        click.echo(f"  {role:<28} {email:<34} {password}")


@click.command("create-region")
@click.argument("slug")
@click.option("--name", required=True)
@with_appcontext
def create_region(slug: str, name: str) -> None:
    """Create a region."""
    try:
        admin.create_region(slug, name, actor=None)
    except admin.AdminError as exc:
        _fail(f"cannot create region ({exc})")
    db.session.commit()
    click.echo(f"Region {slug} created.")


@click.command("create-city")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--region", "region_slug", required=True)
@click.option("--locale", default="en", show_default=True)
@click.option("--country", default="")
@click.option("--threshold", default=10, show_default=True, type=int)
@with_appcontext
def create_city(slug: str, name: str, region_slug: str, locale: str, country: str,
                threshold: int) -> None:
    """Create a city in a region."""
    region = admin.region_by_slug(region_slug)
    if region is None:
        _fail(f"no region {region_slug!r}")
        return
    try:
        admin.create_city(slug, name, region, locale, country, threshold, actor=None)
    except admin.AdminError as exc:
        _fail(f"cannot create city ({exc})")
    db.session.commit()
    click.echo(f"City {slug} created.")


@click.command("create-user")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--name", default=None)
@click.option("--role", type=click.Choice(["admin", "regional", "coordinator", "member"]),
              required=True)
@click.option("--city", "city_slug", default=None)
@click.option("--region", "region_slug", default=None)
@with_appcontext
def create_user(email: str, password_stdin: bool, name: str | None, role: str,
                city_slug: str | None, region_slug: str | None) -> None:
    """Create a user (or give an existing one a role)."""
    user = accounts.user_by_email(email)
    if user is None:
        if not password_stdin:
            _fail("a new user needs --password-stdin")
        password = sys.stdin.readline().rstrip("\n")
        if len(password) < accounts.MIN_PASSWORD_LENGTH:
            _fail(f"the password needs at least {accounts.MIN_PASSWORD_LENGTH} characters")
        user = accounts.create_user(email, password, name, is_admin=role == "admin", actor=None)
    if role == "admin":
        user.is_admin = True
    elif role == "regional":
        region = admin.region_by_slug(region_slug or "")
        if region is None:
            _fail("--role regional needs an existing --region")
            return
        accounts.grant_regional(user, region, actor=None)
    else:
        city = city_by_slug(city_slug or "")
        if city is None:
            _fail(f"--role {role} needs an existing --city")
            return
        accounts.grant_membership(user, city, role, actor=None)
    db.session.commit()
    click.echo(f"User {user.email} has the role {role}.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_database(path: str) -> None:
    """Write a consistent copy of the database to PATH (safe while the portal runs)."""
    from portal import backup

    try:
        backup.backup(db.engine, path)
    except backup.BackupError as exc:
        _fail(str(exc))
    click.echo(f"Backup written to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the data of a database that is not empty.")
@with_appcontext
def restore_database(path: str, yes: bool) -> None:
    """Replace the database by the backup at PATH (stop the portal first)."""
    from alembic.script import ScriptDirectory
    from flask import current_app

    from portal import backup

    migrations = ScriptDirectory(current_app.extensions["migrate"].directory)
    known = [script.revision for script in migrations.walk_revisions()]
    try:
        revision = backup.restore(db.engine, path, known, replace_data=yes)
    except backup.BackupError as exc:
        _fail(str(exc))
        return
    click.echo(f"Restored {path} (schema revision {revision}).")
    if revision != migrations.get_current_head():
        click.echo("Run `flask --app portal init-db` to bring it to this version's schema.")


def register_commands(app: Flask) -> None:
    """Add the portal's commands to `flask --app portal`."""
    from portal.translate import translate

    for command in (init_db, seed_demo, create_region, create_city, create_user, translate,
                    backup_database, restore_database):
        app.cli.add_command(command)
    from portal.stakeholders.cli import stakeholders

    app.cli.add_command(stakeholders)
    from portal.surveys.cli import surveys

    app.cli.add_command(surveys)
    from portal.jobs.cli import jobs

    app.cli.add_command(jobs)
    from portal.results.cli import results

    app.cli.add_command(results)
