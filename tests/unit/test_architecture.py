"""The house's shape, checked: no import circle inside portal/, and the pure wings stay pure."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[2] / "portal"
# The wings that run without Flask or a database (like portal.analysis): what they may import.
PURE = ("portal.analysis", "portal.surveys.xlsform", "portal.surveys.expressions")
PURE_MAY_USE = ("portal.strict", "portal.workbooks", "portal.spreadsheets")
NOT_PURE = ("flask", "flask_babel", "flask_login", "flask_wtf", "werkzeug", "sqlalchemy",
            "wtforms")


def module_name(path: Path, root: Path = PORTAL) -> str:
    """Return the dotted name of a module file under the portal package."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = PORTAL) -> dict[str, Path]:
    """Return every module of the package by its dotted name."""
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def _module_level(nodes: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Yield the imports at a module's level, TYPE_CHECKING blocks included.

    Imports inside functions run later (they are how create_app reaches the blueprints that
    import the package back): they make no circle. Type-only imports do count: a circle in
    the types is a circle in the design (answering <-> definition was one).
    """
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                yield from _module_level(getattr(node, field, []) or [])


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """Return the portal modules a module imports at its level."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _module_level(ast.parse(path.read_text(), str(path)).body):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        for target in targets:
            while target and target not in known:  # `import portal.x.y` of a package's name
                target = target.rpartition(".")[0]
            if target:
                found.add(target)
    return found


def import_graph(root: Path = PORTAL) -> dict[str, set[str]]:
    """Return module -> modules it imports, without a package's imports of its own modules.

    A package's ``__init__`` may import its own modules (re-exports, blueprint registration)
    while they import something from it: that is how a package is assembled, not a circle.
    """
    found = modules(root)
    known = set(found)
    return {name: {target for target in imported(name, path, known)
                   if not target.startswith(f"{name}.") and target != name}
            for name, path in found.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_inside_portal():
    assert circles(import_graph()) == []


def test_the_circle_check_finds_a_circle(tmp_path):
    package = tmp_path / "portal"
    (package / "wing").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "wing" / "__init__.py").write_text("from portal.wing import a\n")
    (package / "wing" / "a.py").write_text("from portal.wing.b import thing\n")
    (package / "wing" / "b.py").write_text("from . import c\n")
    (package / "wing" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import portal.wing.a\n")
    (package / "wing" / "d.py").write_text("def later():\n    from portal.wing import a\n")
    (package / "wing" / "e.py").write_text("from portal.wing import d\n")
    assert circles(import_graph(package)) == [["portal.wing.a", "portal.wing.b",
                                               "portal.wing.c"]]


@pytest.mark.parametrize("wing", PURE)
def test_pure_wing_imports_neither_flask_nor_the_database(wing):
    names = modules()
    for name, path in names.items():
        if name != wing and not name.startswith(f"{wing}."):
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):  # every import, in functions too
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                top = target.split(".")[0]
                assert top not in NOT_PURE, f"{name} imports {target}"
                if top == "portal":
                    assert any(target == allowed or target.startswith(f"{allowed}.")
                               for allowed in (*PURE, *PURE_MAY_USE)), f"{name} imports {target}"
