"""Read GraphML and GEXF files into the same two tables as a spreadsheet (nodes, edges).

Parsed with defusedxml: no DTD, no entity, no external reference, no network access. Namespaces
are ignored, so GEXF 1.1, 1.2draft, 1.2 and 1.3 (http://gexf.net/1.3, which NetworkX does not
read) and GraphML with or without yEd's extras read alike. Node and edge attributes become
columns by their titles (`attr.name` in GraphML, `title` in GEXF), matched like spreadsheet
headers; a yEd node's visible label is its name when it has no label attribute. An edge's
direction is its own `directed`/`type`, else the graph's default. Nodes are matched by id.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from portal.stakeholders.spreadsheet import headers
from portal.stakeholders.spreadsheet.headers import fold
from portal.stakeholders.spreadsheet.reading import MAX_COLUMNS, MAX_ROWS, FileProblem, Table


def looks_like_xml(data: bytes) -> bool:
    """Return whether an upload starts like an XML document (after a BOM and blanks)."""
    head = data[:512].lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<")


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _descendants(element: Element, name: str) -> list[Element]:
    return [e for e in element.iter() if _local(e.tag) == name]


class _Builder:
    """Collect rows of one table, mapping attribute titles to canonical columns."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.aliases = headers.aliases(kind)
        self.table = Table()

    def add(self, values: dict[str, str], structure: frozenset[str] = frozenset()) -> None:
        """Add one node or edge; `structure` names the XML's own fields among `values`."""
        row: dict[str, str] = {}
        for title, value in values.items():
            if title not in structure and title not in self.table.attributes:
                self.table.attributes.append(title)
            column = self.aliases.get(fold(title))
            if column is None:
                if title not in self.table.ignored:
                    self.table.ignored.append(title)
                continue
            self.table.columns.add(column)
            row.setdefault(column, " ".join(str(value).split()) if column != "notes" else value)
        if len(self.table.rows) >= MAX_ROWS:
            raise FileProblem("too_many_rows", len(self.table.rows) + 1)
        if len(values) > MAX_COLUMNS:
            raise FileProblem("too_wide", len(self.table.rows) + 1)
        self.table.rows.append((len(self.table.rows) + 1, row))


def _direction(flag: str | None) -> str:
    if flag is None:
        return ""
    return {"true": "directed", "false": "undirected", "1": "directed",
            "0": "undirected"}.get(flag.strip().casefold(), flag)


def _graphml(root: Element) -> dict[str, Table]:
    keys: dict[str, str] = {}
    label_keys: set[str] = set()
    for declared in _children(root, "key"):
        name = declared.get("attr.name")
        if name:
            keys[declared.get("id", "")] = name
        elif declared.get("yfiles.type") in ("nodegraphics", "edgegraphics"):
            label_keys.add(declared.get("id", ""))
    graphs = _children(root, "graph")
    if not graphs:
        raise FileProblem("not_network")
    default = graphs[0].get("edgedefault", "undirected")
    nodes, edges = _Builder("stakeholders"), _Builder("ties")
    for node in _descendants(graphs[0], "node"):
        values = {"id": node.get("id", "")}
        label = ""
        for data in _children(node, "data"):
            key = data.get("key", "")
            if key in keys:
                values[keys[key]] = (data.text or "").strip()
            elif key in label_keys:
                texts = [t.text or "" for t in _descendants(data, "NodeLabel")]
                label = next((t.strip() for t in texts if t.strip()), "")
        injected = {"id"}
        if label and not any(nodes.aliases.get(fold(t)) == "name" for t in values):
            values["label"] = label
            injected.add("label")
        nodes.add(values, frozenset(injected))
    for edge in _descendants(graphs[0], "edge"):
        values = {"source": edge.get("source", ""), "target": edge.get("target", "")}
        for data in _children(edge, "data"):
            if data.get("key", "") in keys:
                values[keys[data.get("key", "")]] = (data.text or "").strip()
        # An attribute (e.g. the portal's own "directed") says more than the XML default.
        values["edge type"] = _direction(edge.get("directed")) or default
        edges.add(values, frozenset({"source", "target", "edge type"}))
    return {"stakeholders": nodes.table, "ties": edges.table}


def _gexf_titles(graph: Element, klass: str) -> dict[str, str]:
    titles: dict[str, str] = {}
    for block in _children(graph, "attributes"):
        if block.get("class") == klass:
            for attribute in _children(block, "attribute"):
                ident = attribute.get("id", "")
                titles[ident] = attribute.get("title") or ident
    return titles


def _attvalues(element: Element, titles: dict[str, str]) -> dict[str, str]:
    values = {}
    for block in _children(element, "attvalues"):
        for value in _children(block, "attvalue"):
            key = value.get("for") or value.get("id") or ""
            values[titles.get(key, key)] = value.get("value", "")
    return values


def _gexf(root: Element) -> tuple[dict[str, Table], date | None]:
    graphs = _children(root, "graph")
    if not graphs:
        raise FileProblem("not_network")
    graph = graphs[0]
    default = graph.get("defaultedgetype", "undirected")
    node_titles, edge_titles = _gexf_titles(graph, "node"), _gexf_titles(graph, "edge")
    nodes, edges = _Builder("stakeholders"), _Builder("ties")
    for block in _children(graph, "nodes"):
        for node in _descendants(block, "node"):
            nodes.add({"id": node.get("id", ""), "label": node.get("label", ""),
                       **_attvalues(node, node_titles)}, frozenset({"id", "label"}))
    for block in _children(graph, "edges"):
        for edge in _children(block, "edge"):
            attributes = _attvalues(edge, edge_titles)
            values = {"source": edge.get("source", ""), "target": edge.get("target", ""),
                      **attributes}
            if edge.get("kind"):  # GEXF 1.3 names parallel edges' kind here
                values.setdefault("kind", edge.get("kind", ""))
            if edge.get("label"):
                values.setdefault("label", edge.get("label", ""))
            values["edge type"] = edge.get("type") or default
            # The XML's own fields are not attributes (an attribute may share a name).
            edges.add(values, frozenset({"source", "target", "edge type", "kind", "label"}
                                        - set(attributes)))
    found: date | None = None
    for meta in _children(root, "meta"):
        try:
            found = date.fromisoformat((meta.get("lastmodifieddate") or "")[:10])
        except ValueError:
            found = None
    return {"stakeholders": nodes.table, "ties": edges.table}, found


def read_network(data: bytes) -> dict[str, Any]:
    """Return the node and edge tables of a GraphML or GEXF file (FileProblem if neither)."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, SyntaxError, ValueError) as exc:
        raise FileProblem("not_network") from exc
    kind = _local(root.tag)
    day = None
    if kind == "graphml":
        tables = _graphml(root)
    elif kind == "gexf":
        tables, day = _gexf(root)
    else:
        raise FileProblem("not_network")
    for table in tables.values():
        table.layout, table.file_date = kind, day
    return tables
