"""Export a city's map: tables as CSV/XLSX, the network as GraphML, GEXF and node-link JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.etree import ElementTree

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import aliased

from portal.analysis.graph import FREQUENCY_WEIGHT
from portal.extensions import db
from portal.models import Area, City, MappingRound, Stakeholder, Tie
from portal.spreadsheets import XLSX_MIMETYPE, csv_row, xlsx_row
from portal.stakeholders.graphdata import tie_direction
from portal.stakeholders.rounds import current_round

STAKEHOLDER_HEADER = ["name", "organisation", "sector", "level", "area", "team_member", "notes"]
CONTACT_HEADER = ["contact_person", "contact_email", "contact_phone"]
# round_date: the round's date (ISO 8601, YYYY-MM-DD), the same on every row of a round, so an
# import can date the rounds it creates (see docs/mapping.md).
TIE_HEADER = ["from", "to", "kind", "frequency", "reporter", "round", "round_date", "notes"]


def stakeholder_table(city: City, include_contact: bool) -> list[list[Any]]:
    """Return the active stakeholders as rows, header first; contact columns for the team only."""
    header = STAKEHOLDER_HEADER + (CONTACT_HEADER if include_contact else [])
    query = (
        select(Stakeholder, Area.name).outerjoin(Area, Area.id == Stakeholder.area_id)
        .where(Stakeholder.city_id == city.id, Stakeholder.archived_at.is_(None))
        .order_by(Stakeholder.id)
    )
    rows: list[list[Any]] = [header]
    for s, area in db.session.execute(query):
        row = [s.name, s.organisation, s.sector, s.level, area or "",
               "yes" if s.is_team_member else "no", s.notes]
        if include_contact:
            row += [s.contact_person, s.contact_email, s.contact_phone]
        rows.append(row)
    return rows


def _tie_rows(city: City, round_: MappingRound | None) -> Any:
    a, b, r = aliased(Stakeholder), aliased(Stakeholder), aliased(Stakeholder)
    query = (
        select(Tie, a.name, b.name, r.name, MappingRound.name, MappingRound.held_on)
        .join(a, a.id == Tie.source_id).join(b, b.id == Tie.target_id)
        .outerjoin(r, r.id == Tie.reporter_id).join(MappingRound, MappingRound.id == Tie.round_id)
        .where(Tie.city_id == city.id, a.archived_at.is_(None), b.archived_at.is_(None))
        .order_by(MappingRound.held_on, MappingRound.id, Tie.id)
    )
    if round_ is not None:
        query = query.where(Tie.round_id == round_.id)
    return db.session.execute(query)


def tie_table(city: City, round_: MappingRound | None = None) -> list[list[Any]]:
    """Return the ties of every round (or one) between active stakeholders, header first."""
    rows: list[list[Any]] = [TIE_HEADER]
    for tie, a_name, b_name, reporter, round_name, held_on in _tie_rows(city, round_):
        names = {tie.source_id: a_name, tie.target_id: b_name}
        source, target = tie_direction(tie.source_id, tie.target_id, tie.reporter_id)
        rows.append([names[source], names[target], tie.kind, tie.frequency, reporter or "",
                     round_name, held_on.isoformat(), tie.notes])
    return rows


def to_csv(rows: list[list[Any]]) -> bytes:
    """Return rows as UTF-8 CSV with a byte-order mark (so spreadsheet programs read it right)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(csv_row(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """Return a workbook with one sheet per table; every cell is stored as text or a number."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(xlsx_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def graph(city: City, round_: MappingRound | None) -> nx.MultiGraph:
    """Return the map of a round as a NetworkX multigraph (no contact fields).

    A tie without a reporter has no direction, so the graph is undirected unless every tie
    of the round was reported by one of its ends (then arcs run from the reporter). A round
    mixing both stays undirected, each edge saying `directed` and `reporter`: NetworkX and
    igraph hold no graph with both kinds of edge (docs/mapping.md).
    """
    ties = list(_tie_rows(city, round_)) if round_ is not None else []
    directed = bool(ties) and all(row[0].reporter_id is not None for row in ties)
    G: nx.MultiGraph = nx.MultiDiGraph() if directed else nx.MultiGraph()
    G.graph.update(graph_attributes(city, round_, ties))
    query = (
        select(Stakeholder, Area.name).outerjoin(Area, Area.id == Stakeholder.area_id)
        .where(Stakeholder.city_id == city.id, Stakeholder.archived_at.is_(None))
        .order_by(Stakeholder.id)
    )
    for s, area in db.session.execute(query):
        G.add_node(s.id, label=s.name, name=s.name, organisation=s.organisation, sector=s.sector,
                   level=s.level, area=area or "", team_member=bool(s.is_team_member))
    for tie, _a, _b, reporter, round_name, held_on in ties:
        source, target = tie_direction(tie.source_id, tie.target_id, tie.reporter_id)
        G.add_edge(source, target, key=f"{tie.id}", kind=tie.kind, frequency=tie.frequency,
                   weight=FREQUENCY_WEIGHT[tie.frequency], reporter=reporter or "",
                   directed=tie.reporter_id is not None, round=round_name,
                   round_date=held_on.isoformat())
    return G


def graph_attributes(city: City, round_: MappingRound | None, ties: list[Any]) -> dict[str, str]:
    """Return the graph-level attributes of a network file: city, round, date, tie direction."""
    reported = sum(1 for row in ties if row[0].reporter_id is not None)
    direction = ("undirected" if reported == 0 else
                 "directed" if reported == len(ties) else "mixed")
    return {"city": city.name, "city_slug": city.slug, "round": round_.name if round_ else "",
            "round_date": round_.held_on.isoformat() if round_ else "",
            "ties_direction": direction}


def to_graphml(G: nx.MultiGraph) -> bytes:
    """Return the graph as GraphML (NetworkX's writer; edgedefault follows the graph)."""
    out = io.BytesIO()
    nx.write_graphml(G, out, encoding="utf-8")
    return out.getvalue()


def to_gexf(G: nx.MultiGraph) -> bytes:
    """Return the graph as GEXF 1.2 (Gephi opens it), city and round in its name and <meta>.

    GEXF has no graph attributes: the graph's name says city, round and date, and <meta>
    carries them as a description and as keywords (city slug, round, date).
    """
    from networkx.readwrite.gexf import GEXFWriter

    attrs = G.graph
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    named = G.copy()
    named.graph = {"name": _gexf_name(attrs)}
    writer.add_graph(named)
    meta = writer.xml.find("meta")
    if meta is not None:
        description = ElementTree.SubElement(meta, "description")
        description.text = _gexf_name(attrs)
        keywords = ElementTree.SubElement(meta, "keywords")
        keywords.text = ", ".join(v for v in (attrs.get("city_slug"), attrs.get("round"),
                                              attrs.get("round_date")) if v)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _gexf_name(attrs: dict[str, Any]) -> str:
    parts = [attrs.get("city", "")]
    if attrs.get("round"):
        parts.append(f"{attrs['round']} ({attrs.get('round_date', '')})")
    return " · ".join(p for p in parts if p)


def to_json(G: nx.MultiGraph) -> bytes:
    """Return the graph as node-link JSON."""
    data = nx.node_link_data(G, edges="links")
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


FORMATS = {
    "graphml": ("application/graphml+xml", to_graphml),
    "gexf": ("application/gexf+xml", to_gexf),
    "json": ("application/json", to_json),
}
# Every export file by name, with its content type; the web serves these names, the CLI writes them.
FILES = {
    "stakeholders.csv": "text/csv; charset=utf-8",
    "ties.csv": "text/csv; charset=utf-8",
    "map.xlsx": XLSX_MIMETYPE,
    **{f"network.{fmt}": mimetype for fmt, (mimetype, _write) in FORMATS.items()},
}
# The files of each CLI --format: csv is a pair of tables, the others one file.
FILES_OF_FORMAT = {"csv": ("stakeholders.csv", "ties.csv"), "xlsx": ("map.xlsx",),
                   **{fmt: (f"network.{fmt}",) for fmt in FORMATS}}


def file_bytes(city: City, what: str, include_contact: bool,
               round_: MappingRound | None = None) -> bytes:
    """Return one export file of `FILES`; a network file shows `round_`, else the current one."""
    if what == "stakeholders.csv":
        return to_csv(stakeholder_table(city, include_contact))
    if what == "ties.csv":
        return to_csv(tie_table(city))
    if what == "map.xlsx":
        return to_xlsx({"stakeholders": stakeholder_table(city, include_contact),
                        "ties": tie_table(city)})
    chosen = round_ or current_round(city)
    return FORMATS[what.removeprefix("network.")][1](graph(city, chosen))
