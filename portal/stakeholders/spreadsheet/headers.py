"""Column headers and sheet names in every UI language and in the formats' own words.

The template's headers are the translated labels of the canonical columns (context "column
header"); the reader accepts them in every catalog, plus the names Kumu, Gephi, Polinode,
NetworkX and yEd write. No Flask here: the catalogs are read from `translations/` directly.
"""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_pgettext

from portal.catalogs import catalog, ui_catalogs

CONTEXT = "column header"

# Canonical column → its label (translated in every catalog; English = the canonical name).
STAKEHOLDER_LABELS = {
    "id": lazy_pgettext("column header", "id"),
    "name": lazy_pgettext("column header", "name"),
    "organisation": lazy_pgettext("column header", "organisation"),
    "sector": lazy_pgettext("column header", "sector"),
    "level": lazy_pgettext("column header", "level"),
    "area": lazy_pgettext("column header", "area"),
    "team_member": lazy_pgettext("column header", "team_member"),
    "notes": lazy_pgettext("column header", "notes"),
    "contact_person": lazy_pgettext("column header", "contact_person"),
    "contact_email": lazy_pgettext("column header", "contact_email"),
    "contact_phone": lazy_pgettext("column header", "contact_phone"),
}
TIE_LABELS = {
    "from": lazy_pgettext("column header", "from"),
    "to": lazy_pgettext("column header", "to"),
    "kind": lazy_pgettext("column header", "kind"),
    "frequency": lazy_pgettext("column header", "frequency"),
    "direction": lazy_pgettext("column header", "direction"),
    "reporter": lazy_pgettext("column header", "reporter"),
    "round": lazy_pgettext("column header", "round"),
    "round_date": lazy_pgettext("column header", "round date"),
    "notes": lazy_pgettext("column header", "notes"),
}
# A sign-in sheet of a meeting or training (portal.plan.signin): one row per attendance.
ATTENDANCE_LABELS = {
    "event": lazy_pgettext("column header", "event"),
    "date": lazy_pgettext("column header", "date"),
    "stakeholder": lazy_pgettext("column header", "stakeholder"),
    "kind": lazy_pgettext("column header", "kind"),
}
LABELS = {"stakeholders": STAKEHOLDER_LABELS, "ties": TIE_LABELS,
          "attendance": ATTENDANCE_LABELS}
# The template's columns, in order (contact columns are in the template: it is the team's).
TEMPLATE_COLUMNS = {
    "stakeholders": ["id", "name", "organisation", "sector", "level", "area", "team_member",
                     "notes", "contact_person", "contact_email", "contact_phone"],
    "ties": ["from", "to", "kind", "frequency", "direction", "reporter", "round", "round_date",
             "notes"],
}

# The formats' own names (Kumu, Gephi, Polinode, NetworkX, yEd, igraph) and common spellings.
FOREIGN = {
    "stakeholders": {
        "id": ("id", "_id", "node id", "nodeid", "key"),
        "name": ("label", "stakeholder", "actor", "node", "title", "full name",
                 "organization name"),
        "organisation": ("organization", "org", "agency"),
        "sector": ("type", "element type", "category", "group"),
        "notes": ("description", "desc", "comment", "comments"),
        "team_member": ("team member", "team"),
        "contact_person": ("contact person", "contact"),
        "contact_email": ("contact email", "email", "e-mail"),
        "contact_phone": ("contact phone", "phone", "telephone"),
    },
    "ties": {
        "from": ("source", "from id", "source id", "sender", "ego", "node1", "actor 1"),
        "to": ("target", "to id", "target id", "receiver", "alter", "node2", "actor 2"),
        "kind": ("type", "connection type", "relationship", "relation", "tie type"),
        "frequency": ("strength", "how often"),
        "direction": ("directed", "edge type"),
        "reporter": ("reported by", "reported_by", "respondent"),
        "round": ("mapping round", "mapping_round", "wave"),
        "round_date": ("round date", "round_date", "mapping round date"),
        "notes": ("description", "comment", "comments"),
    },
    "attendance": {
        "event": ("meeting", "training", "event title", "title", "activity"),
        "date": ("day", "held on", "event date", "date of the event"),
        "stakeholder": ("organisation", "organization", "actor", "name", "institution"),
        "kind": ("type", "event type", "kind of event"),
    },
}
SHEET_LABELS = {"stakeholders": "Stakeholders", "ties": "Ties"}  # msgids of messages.TABLES
FOREIGN_SHEETS = {
    "stakeholders": ("stakeholders", "elements", "nodes", "actors", "vertices", "people",
                     "organisations", "organizations"),
    "ties": ("ties", "connections", "edges", "links", "relations", "relationships"),
}


def fold(text: object) -> str:
    """Return a header or sheet name folded for matching (case, spaces, underscores)."""
    return " ".join(str(text or "").replace("_", " ").split()).casefold()


def label_in(locale: str, kind: str, column: str) -> str:
    """Return a column's header in one UI language (the template's header)."""
    return str(catalog(locale).pgettext(CONTEXT, column))


@cache
def aliases(kind: str) -> dict[str, str]:
    """Map every accepted header of a table (folded) to its canonical column."""
    table: dict[str, str] = {}
    for column, names in FOREIGN[kind].items():
        table.update({fold(n): column for n in names})
    for ui in ui_catalogs():
        for column in LABELS[kind]:
            table[fold(ui.pgettext(CONTEXT, column))] = column
    table.update({fold(column): column for column in LABELS[kind]})
    return table


@cache
def sheet_names(kind: str) -> frozenset[str]:
    """Return every accepted (folded) sheet name of a table, in all languages."""
    names = {fold(n) for n in FOREIGN_SHEETS[kind]}
    for ui in ui_catalogs():
        names.add(fold(ui.gettext(SHEET_LABELS[kind])))
    return frozenset(names)
