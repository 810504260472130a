"""Real files as people have them: Kumu, Gephi, Polinode, edge lists, matrices, GraphML, GEXF.

Each file of tests/fixtures/networks/ (sources and licences in SOURCES.md) is read by the
importer and by NetworkX; the counts of nodes, edges and attributes must agree.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ImportMapping, MappingRound, Stakeholder, Tie
from portal.stakeholders.spreadsheet import mapping, workflow
from portal.stakeholders.spreadsheet.reading import read_file

FIXTURES = Path(__file__).parents[2] / "fixtures" / "networks"
DEFAULTS = {("kind", ""): "information", ("frequency", ""): "monthly"}


def _read(name: str, ties: str | None = None) -> workflow.Records:
    return workflow.read_records((FIXTURES / name).read_bytes(),
                                 (FIXTURES / ties).read_bytes() if ties else None)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _networkx(name: str) -> nx.Graph:
    data = (FIXTURES / name).read_bytes()
    if name.endswith(".gexf"):
        # NetworkX reads GEXF up to 1.2draft only; the 1.3 namespace is the one difference.
        data = data.replace(b"http://gexf.net/1.3", b"http://www.gexf.net/1.2draft")
        return nx.read_gexf(io.BytesIO(data), version="1.2draft")
    return nx.read_graphml(io.BytesIO(data))


@pytest.mark.parametrize("name", ["gephi-gexf-1.3-data.gexf", "gephi-gexf-1.3-simple.gexf",
                                  "yed-yfiles-2.7.graphml", "yed-3.17-groups.graphml"])
def test_network_files_read_as_many_nodes_edges_and_attributes_as_networkx(app, make_city, name):
    G = _networkx(name)
    tables = read_file((FIXTURES / name).read_bytes(), "stakeholders", 1 << 20)
    assert len(tables["stakeholders"].rows) == G.number_of_nodes()
    assert len(tables["ties"].rows) == G.number_of_edges()
    # NetworkX adds "label" and an edge's "id" from the XML, and x, y, shape_type from yEd's
    # graphics: those are the files' structure, not attributes.
    node_attributes = {a for _n, attrs in G.nodes(data=True) for a in attrs} - {
        "label", "x", "y", "shape_type"}
    edge_attributes = {a for _u, _v, attrs in G.edges(data=True) for a in attrs} - {"id"}
    assert set(tables["stakeholders"].attributes) == node_attributes
    assert set(tables["ties"].attributes) == edge_attributes
    records = _read(name)
    assert records.errors == []
    assert len(records.stakeholders) == G.number_of_nodes()
    assert len(records.ties) == G.number_of_edges()
    city = make_city()
    result, summary = workflow.run(city, records, "Baseline", actor=None, answers=DEFAULTS)
    assert result.errors == [] and summary is not None
    db.session.commit()
    assert _count(Stakeholder) == G.number_of_nodes()
    assert _count(Tie) == G.number_of_edges() - result.merged


def test_gexf_of_gephi_keeps_its_date_for_the_new_round_and_merges_a_to_b_b_to_a(app, make_city):
    city = make_city()
    records = _read("gephi-gexf-1.3-data.gexf")
    assert workflow.round_date(records) == date(2009, 3, 20)
    result, _summary = workflow.run(city, records, "Web 2009", actor=None, answers=DEFAULTS,
                                    held_on=workflow.round_date(records))
    db.session.commit()
    assert result.merged == 1  # 0→1 and 1→0: one tie reported by both
    assert db.session.scalar(select(MappingRound.held_on)) == date(2009, 3, 20)
    directed = db.session.scalars(select(Tie).where(Tie.reporter_id.is_not(None))).all()
    assert len(directed) == 3  # the other three keep their source as reporter


def _csv_graph(nodes: str, edges: str) -> nx.Graph:
    G = nx.Graph()
    with open(FIXTURES / nodes, newline="") as f:
        G.add_nodes_from(row["Id"] for row in csv.DictReader(f))
    with open(FIXTURES / edges, newline="") as f:
        G.add_edges_from((row["Source"], row["Target"]) for row in csv.DictReader(f))
    return G


def test_gephi_node_and_edge_tables_match_by_id(app, make_city):
    G = _csv_graph("gephi-lesmis-nodes.csv", "gephi-lesmis-edges.csv")
    records = _read("gephi-lesmis-nodes.csv", "gephi-lesmis-edges.csv")
    assert records.errors == []
    assert records.ignored == {"stakeholders": ["timeset", "modularity_class"],
                               "ties": ["Id", "Label", "timeset", "Weight"]}
    city = make_city()
    result, summary = workflow.run(city, records, "Baseline", actor=None, answers=DEFAULTS)
    db.session.commit()
    assert summary["stakeholders_created"] == G.number_of_nodes() == 77
    assert summary["ties_created"] == G.number_of_edges() == 254
    assert db.session.scalar(select(Tie.reporter_id).limit(1)) is None  # Type = Undirected


def test_a_plain_edge_list_creates_its_stakeholders(app, make_city):
    G = nx.read_edgelist(FIXTURES / "networkx-karate.edgelist")
    records = workflow.read_records(None, (FIXTURES / "networkx-karate.edgelist").read_bytes())
    assert records.errors == [] and records.layouts == {"ties": "edgelist"}
    city = make_city()
    result, summary = workflow.run(city, records, "Baseline", actor=None, answers=DEFAULTS)
    db.session.commit()
    assert summary["stakeholders_created"] == G.number_of_nodes() == 34
    assert summary["ties_created"] == G.number_of_edges() == 78


def test_an_adjacency_matrix_is_read_and_symmetric_marks_become_one_tie(app, make_city):
    G = nx.florentine_families_graph()
    records = workflow.read_records(None, (FIXTURES / "florentine-matrix.csv").read_bytes())
    assert records.layouts == {"stakeholders": "table", "ties": "matrix"}  # names down the side
    city = make_city()
    result, summary = workflow.run(city, records, "Baseline", actor=None, answers=DEFAULTS)
    db.session.commit()
    assert result.merged == G.number_of_edges()
    assert summary["ties_created"] == G.number_of_edges() == 20
    assert summary["stakeholders_created"] == 15


@pytest.mark.parametrize(("people", "ties"), [("kumu-elements-connections.xlsx", None),
                                              ("kumu-elements.csv", "kumu-connections.csv")])
def test_kumu_files_ask_for_their_types_then_import(app, make_city, people, ties):
    records = _read(people, ties)
    assert records.errors == []
    city = make_city()
    result, summary = workflow.run(city, records, "Baseline", actor=None)
    assert summary is None
    assert {v: sorted(values) for v, values in result.unmapped.items()} == {
        "sector": ["Company", "Organization", "Person"],
        "kind": ["Employee/Founder", "Personal"],
        "frequency": ["Strong", "Weak"],
    }
    answers = {("sector", "person"): "other", ("sector", "company"): "private",
               ("sector", "organization"): "civil_society",
               ("kind", "employee/founder"): "agreement", ("kind", "personal"): "information",
               ("frequency", "strong"): "weekly", ("frequency", "weak"): "yearly"}
    mapping.remember(city, answers, actor=None)
    result, summary = workflow.run(city, records, "Baseline", actor=None)
    db.session.commit()
    assert summary["stakeholders_created"] == 4
    assert summary["ties_created"] == 4 and result.merged == 1  # Jeff↔Ryan from both sides
    assert db.session.scalar(select(Stakeholder.sector).where(Stakeholder.name == "Kumu")) == (
        "private")


def test_polinode_and_macedonian_workbooks_need_no_sheet_or_header_in_english(app, make_city):
    records = _read("polinode-nodes-edges.xlsx")
    assert records.errors == [] and len(records.stakeholders) == 4 and len(records.ties) == 3
    assert records.ignored == {"stakeholders": ["Department", "Location"]}
    records = _read("macedonian-headers.xlsx")
    assert records.errors == []
    assert [r["name"] for r in records.stakeholders][0] == "Дом на младите Куманово"
    assert records.ties[0]["kind"] == "Упатување" and records.ties[1]["kind"] == ""


@pytest.mark.parametrize(("name", "codec", "rows"), [
    ("stakeholders-mk-windows-1251.csv", "cp1251", 4),
    ("stakeholders-ar-windows-1256.csv", "cp1256", 4),
])
def test_windows_code_page_csv_with_headers_in_its_language(app, make_city, name, codec, rows):
    records = _read(name)
    assert records.errors == [] and records.encodings == {"stakeholders": codec}
    assert len(records.stakeholders) == rows
    assert all(r["organisation"] for r in records.stakeholders)
    result, summary = workflow.run(make_city(), records, "Baseline", actor=None)
    assert result.ready and summary["stakeholders_created"] == rows


def test_the_mapping_step_on_the_page_is_remembered_for_the_next_import(client, team_city):
    def upload():
        data = {"stakeholders_file": (io.BytesIO((FIXTURES / "kumu-elements-connections.xlsx")
                                                 .read_bytes()), "kumu.xlsx")}
        return client.post(f"/c/{team_city.slug}/stakeholders/import", data=data,
                           content_type="multipart/form-data").get_data(as_text=True)

    page = upload()
    assert "Values to map" in page and "Employee/Founder" in page and "Apply the import" not in page
    token = re.search(r'/stakeholders/import/([\w-]+)/options', page).group(1)
    fields = dict(re.findall(r'<select[^>]* id="(map_[a-z]+_[0-9a-f]+)"', page) and
                  [(f, None) for f in re.findall(r'id="(map_[a-z]+_[0-9a-f]+)"', page)])
    assert len(fields) == 7
    choice = {"sector": "other", "kind": "joint_activity", "frequency": "monthly"}
    form = {f: choice[f.split("_")[1]] for f in fields}
    form.update(round_name="Kumu 2025", held_on="2025-03-01")
    response = client.post(f"/c/{team_city.slug}/stakeholders/import/{token}/options", data=form)
    assert response.status_code == 302
    assert _count(ImportMapping) == 7 and _count(Stakeholder) == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Values to map" not in page and "Kumu 2025" in page and "2025-03-01" in page
    apply_token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(f"/c/{team_city.slug}/stakeholders/import/apply", data={"token": apply_token})
    assert (_count(Stakeholder), _count(Tie)) == (4, 4)
    assert db.session.scalar(select(MappingRound.held_on)) == date(2025, 3, 1)
    again = upload()  # remembered for this city, and shown so that it can be changed
    assert "Values to map" not in again and "Values mapped by an earlier import" in again
    assert re.search(r'<option selected value="joint_activity">', again)


def test_the_row_preview_is_paged(client, team_city):
    data = {"ties_file": (io.BytesIO((FIXTURES / "gephi-lesmis-edges.csv").read_bytes()),
                          "edges.csv")}
    page = client.post(f"/c/{team_city.slug}/stakeholders/import", data=data,
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Page 1 of 7" in page  # 254 ties and 77 names: 331 lines, 50 a page
    token = re.search(r'/stakeholders/import/([\w-]+)/options', page).group(1)
    last = client.get(f"/c/{team_city.slug}/stakeholders/import/{token}?page=7")
    assert "Page 7 of 7" in last.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "mk", "sq", "sr", "sr_Latn", "rom", "tr", "ar"])
def test_templates_in_every_language_read_back_as_the_portal_columns(client, team_city, lang):
    url = f"/c/{team_city.slug}/stakeholders/import/template/{lang}"
    book = client.get(f"{url}/map.xlsx")
    assert book.status_code == 200
    sheets = load_workbook(io.BytesIO(book.data), read_only=True).worksheets
    assert len(sheets) == 3 and len(list(sheets[2].values)) > 20  # the allowed values
    for what, kind in (("stakeholders.csv", "stakeholders"), ("ties.csv", "ties")):
        text = client.get(f"{url}/{what}").data
        header = text.decode("utf-8-sig").strip()
        filled = text + (b"A,B,,,,,,\n" if kind == "ties" else b",A\n")
        records = workflow.read_records(*((filled, None) if kind == "stakeholders" else
                                          (None, filled)))
        assert records.errors == [], header
    assert client.get(f"{url}/other.xlsx").status_code == 404
    assert client.get(f"/c/{team_city.slug}/stakeholders/import/template/xx/map.xlsx"
                      ).status_code == 404


def test_xml_with_entities_is_refused_without_reading_them(app):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE graphml [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<graphml><graph><node id="&e;"/></graph></graphml>')
    assert [e.code for e in workflow.read_records(bomb, None).errors] == ["not_network"]


def test_unknown_stakeholders_are_listed_with_every_other_problem(app, make_city):
    records = workflow.read_records(b"name,team_member\nA,perhaps\nB,yes\n",
                                    b"from,to,kind\nA,Nobody,referral\nB,B,referral\n")
    result = workflow.check(make_city(), records, "Baseline")
    assert [(e.table, e.row, e.code) for e in result.errors] == [
        ("stakeholders", 2, "bad_yes_no"), ("ties", 2, "unknown_stakeholder"),
        ("ties", 3, "self_tie")]
    assert result.unmapped == {"frequency": {"": [2, 3]}}


GEXF_MIXED = b"""<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph defaultedgetype="mixed">
    <nodes><node id="a" label="Youth centre"/><node id="b" label="School"/></nodes>
    <edges>
      <edge id="1" source="a" target="b" kind="referral" type="directed"/>
      <edge id="2" source="a" target="b" kind="information"/>
      <edge id="3" source="b" target="a" kind="information" type="undirected"/>
    </edges>
  </graph>
</gexf>"""


def test_gexf_parallel_edges_of_different_kinds_stay_separate_ties(app, make_city):
    city = make_city()
    records = workflow.read_records(GEXF_MIXED, None)
    result, summary = workflow.run(city, records, "Baseline", actor=None,
                                   answers={("frequency", ""): "monthly"})
    db.session.commit()
    assert summary["ties_created"] == 2 and result.merged == 1
    kinds = {k: r for k, r in db.session.execute(select(Tie.kind, Tie.reporter_id))}
    youth = db.session.scalar(select(Stakeholder.id).where(Stakeholder.name == "Youth centre"))
    assert kinds == {"referral": youth, "information": None}


def test_the_mapping_step_refuses_a_value_outside_the_lists(client, team_city):
    data = {"ties_file": (io.BytesIO(b"from,to\nA,B\n"), "edges.csv")}
    page = client.post(f"/c/{team_city.slug}/stakeholders/import", data=data,
                       content_type="multipart/form-data").get_data(as_text=True)
    token = re.search(r'/stakeholders/import/([\w-]+)/options', page).group(1)
    field = re.findall(r'id="(map_kind_[0-9a-f]+)"', page)[0]
    url = f"/c/{team_city.slug}/stakeholders/import/{token}/options"
    for form in ({field: "astrology", "round_name": "R", "held_on": "2025-01-01"},
                 {field: "referral", "round_name": "R", "held_on": "not a date"},
                 {field: "referral", "round_name": " ", "held_on": "2025-01-01"}):
        assert client.post(url, data=form).status_code == 422
    assert _count(ImportMapping) == 0
    assert client.get(f"/c/{team_city.slug}/stakeholders/import/{token}?page=-3").status_code == 200
    assert client.get(f"/c/{team_city.slug}/stakeholders/import/{token}?page=x").status_code == 200
    assert client.get(f"/c/{team_city.slug}/stakeholders/import/nope").status_code == 404


def test_cli_maps_foreign_values_and_dates_the_round(runner, make_city, tmp_path):
    city = make_city()
    people = FIXTURES / "kumu-elements-connections.xlsx"
    args = ["stakeholders", "import", city.slug, "--stakeholders", str(people)]
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and "sector 'Person'" in result.output and "rows 2, 3" in (
        result.output)
    maps = ["sector:Person=other", "sector:Company=private", "sector:Organization=civil_society",
            "kind:Employee/Founder=agreement", "kind:Personal=information",
            "frequency:Strong=weekly", "frequency:Weak=yearly"]
    result = runner.invoke(args=[*args, "--date", "2024-05-01",
                                 *[a for m in maps for a in ("--map", m)]])
    assert result.exit_code == 0, result.output
    assert _count(ImportMapping) == 7 and _count(Tie) == 4
    assert db.session.scalar(select(MappingRound.held_on)) == date(2024, 5, 1)
    assert runner.invoke(args=[*args, "--map", "sector:Person=astrology"]).exit_code == 2


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_the_portals_own_network_files_import_into_another_city(app, make_city, fmt):
    from portal.stakeholders.graphdata import network_data
    from portal.stakeholders.spreadsheet import export

    source, target = make_city(), make_city()
    people = ("name,sector,level\nYouth centre,youth,local\nSchool,education,local\n"
              "Police,police,local\nMinistry,national_government,national\n")
    ties = ("from,to,kind,frequency,reporter,round\nYouth centre,School,referral,weekly,"
            "Youth centre,Baseline\nSchool,Police,information,monthly,,Baseline\n"
            "Police,Ministry,agreement,yearly,Ministry,Baseline\n")
    workflow.run(source, workflow.read_records(people.encode(), ties.encode()), "Baseline",
                 actor=None)
    db.session.commit()
    baseline = db.session.scalar(select(MappingRound).where(MappingRound.city_id == source.id))
    data = export.FORMATS[fmt][1](export.graph(source, baseline))
    result, summary = workflow.run(target, workflow.read_records(data, None), "Baseline",
                                   actor=None)
    assert result.ready, (result.errors, result.unmapped)
    db.session.commit()

    def shape(city):
        nodes, links = network_data(city)
        names = {n["id"]: (n["name"], n["sector"], n["level"]) for n in nodes}
        return ({names[t["source"]] + names[t["target"]] + (t["kind"], t["frequency"],
                 names[t["reporter"]] if t["reporter"] else None) for t in links},
                set(names.values()))

    assert shape(target) == shape(source)


def _matrix_graph(name: str) -> nx.DiGraph:
    """NetworkX's reading of an adjacency matrix CSV: a named row and column per node, a non-zero
    cell an edge (the unnamed row and column of Gephi's test matrix name no node)."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.split("\n")[0] else ","))
    names = [" ".join(n.split()) for n in rows[0][1:]]
    G = nx.DiGraph()
    for row in rows[1:]:
        source = " ".join(row[0].split())
        if source:
            G.add_node(source)
        for target, cell in zip(names, row[1:], strict=False):
            if source and target and float(cell) != 0:
                G.add_edge(source, target)
    G.remove_edges_from(nx.selfloop_edges(G))
    return G


@pytest.mark.parametrize(("name", "nodes", "ties"), [("gephi-matrix.csv", 5, 3),
                                                     ("gephi-complex-matrix.csv", 26, 325)])
def test_gephi_test_matrices_read_as_networkx_reads_them(app, make_city, name, nodes, ties):
    """Gephi's own importer tests: spaces around weights, self-loops on the diagonal (no tie to
    oneself), a semicolon matrix with quoted names and an unnamed row and column."""
    G = _matrix_graph(name)
    records = workflow.read_records(None, (FIXTURES / name).read_bytes())
    assert records.errors == [] and records.layouts["ties"] == "matrix"
    assert len(records.ties) == G.number_of_edges()
    result, summary = workflow.run(make_city(), records, "Baseline", actor=None, answers=DEFAULTS)
    db.session.commit()
    # Every name of the matrix becomes a stakeholder, also C (a mark on the diagonal only) and
    # E (no mark) of Gephi's small matrix: not yet connected, but listed.
    assert summary["stakeholders_created"] == G.number_of_nodes() == nodes
    assert summary["ties_created"] == G.to_undirected().number_of_edges() == ties
    assert result.merged == G.number_of_edges() - ties


def test_gephi_edge_table_with_a_repeated_edge_is_refused_naming_the_row(app, make_city):
    # Gephi merges the repeated edge "a" 1→2 (its expected reading has 1→2, 3→4, 2→3, the
    # weights summed); the portal keeps no weight and refuses the file, naming the repeated row.
    records = workflow.read_records(None, (FIXTURES / "gephi-edges-repeated-ids.csv").read_bytes())
    assert records.errors == [] and records.ignored == {"ties": ["id", "weight"]}
    assert len(records.ties) == 4
    result, summary = workflow.run(make_city(), records, "Baseline", actor=None, answers=DEFAULTS)
    assert summary is None and [(e.row, e.code) for e in result.errors] == [(4, "duplicate")]
    assert _count(Stakeholder) == 0 and _count(Tie) == 0


def test_gephi_edge_table_exports_are_read_and_self_loops_refused_by_row(app, make_city):
    G = nx.read_edgelist(FIXTURES / "gephi-export-adjacency-edges.csv", delimiter=",",
                         create_using=nx.DiGraph, data=False, comments="Source")
    records = workflow.read_records(
        None, (FIXTURES / "gephi-export-adjacency-edges.csv").read_bytes())
    assert records.errors == [] and records.ignored == {"ties": ["Label", "Weight"]}
    result, summary = workflow.run(make_city(), records, "Baseline", actor=None, answers=DEFAULTS)
    db.session.commit()
    assert summary["stakeholders_created"] == G.number_of_nodes() == 8
    assert summary["ties_created"] == G.number_of_edges() == 7
    assert _count(Tie) == db.session.scalar(
        select(func.count()).select_from(Tie).where(Tie.reporter_id.is_not(None)))  # Directed
    # Gephi writes a node's tie to itself (C→C, D→D); the portal has no such tie: refused, by row.
    records = workflow.read_records(None, (FIXTURES / "gephi-export-matrix-edges.csv").read_bytes())
    assert [(e.row, e.code) for e in records.errors] == [(5, "self_tie"), (7, "self_tie")]


def test_a_real_kumu_import_pair_asks_for_its_types_then_imports(app, make_city):
    G = nx.Graph()
    with open(FIXTURES / "kumu-ukpn-connections.csv", newline="") as f:
        G.add_edges_from((row["From"], row["To"]) for row in csv.DictReader(f))
    records = _read("kumu-ukpn-entities.csv", "kumu-ukpn-connections.csv")
    assert records.errors == []
    assert len(records.stakeholders) == G.number_of_nodes() == 24
    city = make_city()
    result, summary = workflow.run(city, records, "Baseline", actor=None, answers=DEFAULTS)
    assert summary is None
    assert {v: sorted(values) for v, values in result.unmapped.items()} == {
        "sector": ["Critical Data Entity", "Data Class", "Domain"]}
    answers = {**DEFAULTS, ("sector", "domain"): "private", ("sector", "data class"): "other",
               ("sector", "critical data entity"): "other"}
    result, summary = workflow.run(city, records, "Baseline", actor=None, answers=answers)
    db.session.commit()
    assert summary["stakeholders_created"] == G.number_of_nodes()
    assert summary["ties_created"] == G.number_of_edges() == 22


def test_a_matrix_names_only_become_stakeholders_when_no_stakeholder_file_comes_with_it(app):
    matrix = (FIXTURES / "gephi-matrix.csv").read_bytes()
    alone = workflow.read_records(None, matrix)
    assert [r["name"] for r in alone.stakeholders] == ["A", "B", "C", "D", "E"]
    with_file = workflow.read_records(b"Name\nA\nB\nD\n", matrix)
    assert [r["name"] for r in with_file.stakeholders] == ["A", "B", "D"]
