"""`flask translate extract|update|compile`: the message catalogs of every UI language."""

from __future__ import annotations

import fcntl
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from portal.i18n import LOCALES, LocaleInfo, register_fallback_locales

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
KEYWORDS = ["_l", "lazy_gettext", "_n:1,2", "lazy_ngettext:1,2", "lazy_pgettext:1c,2"]


@contextmanager
def _locked() -> Iterator[None]:
    """Let one catalog operation run at a time (several people may run them at once)."""
    TRANSLATIONS.mkdir(exist_ok=True)
    with open(TRANSLATIONS / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def po_path(code: str) -> Path:
    """Return the path of a locale's catalog."""
    return TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"


def extract(output: Path = TEMPLATE) -> None:
    """Write the message template from the code and the templates."""
    args = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--sort-by-file",
            "--no-location", "--omit-header", "-o", str(output)]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    CommandLineInterface().run([*args, str(ROOT / "portal")])


def fix_plural_forms(path: Path, info: LocaleInfo) -> None:
    """Write the CLDR plural rule of the locale table into the catalog header."""
    text = path.read_text(encoding="utf-8")
    header = f'"Plural-Forms: {info.plural_forms}\\n"'
    if re.search(r'^"Plural-Forms: .*"$', text, flags=re.M):
        text = re.sub(r'^"Plural-Forms: .*"$', lambda _m: header, text, count=1, flags=re.M)
    else:
        text = text.replace('"Content-Type:', header + '\n"Content-Type:', 1)
    path.write_text(text, encoding="utf-8")


def update_catalog(info: LocaleInfo, template: Catalog) -> None:
    """Create or update one catalog from the template, with no fuzzy guesses."""
    path = po_path(info.code)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=info.code)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=info.code, project="LPN Portal", fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.fuzzy = False
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True,
                 include_previous=False)
    fix_plural_forms(path, info)


def update() -> None:
    """Extract, then bring every catalog up to date."""
    extract()
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    for info in LOCALES:
        update_catalog(info, template)


def compile_all(target: Path = TRANSLATIONS) -> list[str]:
    """Compile every catalog to .mo under target; return the problems found."""
    problems = []
    for info in LOCALES:
        with po_path(info.code).open("rb") as handle:
            catalog = read_po(handle, locale=info.code)
        for message, errors in catalog.check():
            problems += [f"{info.code}: {message.id!r}: {error}" for error in errors]
        out = target / info.code / "LC_MESSAGES" / "messages.mo"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
    return problems


@click.group()
def translate() -> None:
    """Extract, update and compile the message catalogs."""
    register_fallback_locales()


@translate.command("extract")
def extract_command() -> None:
    """Write translations/messages.pot from the code."""
    with _locked():
        extract()


@translate.command("update")
def update_command() -> None:
    """Extract and merge new messages into every catalog."""
    with _locked():
        update()


@translate.command("compile")
def compile_command() -> None:
    """Compile every catalog (.po → .mo)."""
    with _locked():
        problems = compile_all()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)


def fill(entries: dict[str, dict[str, str | list[str]]]) -> list[str]:
    """Set translations from {msgid: {locale: text or [plural forms]}}; return unknown msgids."""
    unknown: set[str] = set()
    for info in LOCALES:
        path = po_path(info.code)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=info.code)
        for msgid, by_locale in entries.items():
            if info.code not in by_locale:
                continue
            message = catalog.get(msgid) or _plural_message(catalog, msgid)
            if message is None:
                unknown.add(msgid)
                continue
            text = by_locale[info.code]
            message.string = tuple(text) if isinstance(message.id, tuple | list) else str(text)
            message.flags.discard("fuzzy")
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, ignore_obsolete=True, include_previous=False)
        fix_plural_forms(path, info)
    return sorted(unknown)


def _plural_message(catalog: Catalog, singular: str):
    for message in catalog:
        if isinstance(message.id, tuple | list) and message.id[0] == singular:
            return message
    return None


@translate.command("fill")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
def fill_command(source: str) -> None:
    """Write translations from a JSON file {msgid: {locale: text | [plural forms]}}."""
    import json

    with open(source, encoding="utf-8") as handle:
        entries = json.load(handle)
    with _locked():
        unknown = fill(entries)
    for msgid in unknown:
        click.echo(f"not in the catalogs (run `translate update` first?): {msgid!r}", err=True)
