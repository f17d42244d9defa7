"""The folders show the layers: imports point downward only, no import cycle, folders a reader can take in.

Every import under ``functions/`` is read from the source (at the top of a module, inside functions, under
``TYPE_CHECKING``), resolved to the module it names, and checked against ``LAYERS``. A cycle is any loop of
imports between modules, a package ``__init__`` that imports a submodule which imports the package included.
Importing ``a.b.c`` also runs ``a/__init__`` and ``a/b/__init__``; that is not counted as an import of them,
or every re-exporting ``__init__`` would be a loop.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "functions"

# Lowest first: each layer's groups, each group the modules and packages in it. A module may import modules of its
# own group and of lower layers; groups of one layer are peers and never import each other.
LAYERS: list[dict[str, tuple[str, ...]]] = [
    {
        "base": (
            "functions",  # the package itself
            "functions.settings",
            "functions.errors",
            "functions.schema",
            "functions.schema_docs",
            "functions.periods",
            "functions.ids",
            "functions.logs",
            "functions.rendering",
        )
    },
    {"store": ("functions.store",)},
    {
        "evidence": ("functions.evidence",),
        "readmodel": ("functions.readmodel",),
    },  # report photos; the pages' read model
    {"runtime": ("functions.runtime",)},
    {"rules": ("functions.rules",)},
    {"staff": ("functions.staff",), "citizens": ("functions.citizens",)},
    {"scoring": ("functions.scoring",)},
    {"mail": ("functions.mail",)},
    {"web": ("functions.web",), "demo": ("functions.demo",)},
    {"tools": ("functions.tools", "functions.__main__")},
]
MAX_TOP_LEVEL_FILES = 12
MAX_FILES_PER_FOLDER = 20


def modules(package: Path) -> dict[str, Path]:
    """Every module under ``package``, by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: Iterable[str]) -> Iterator[tuple[str, int]]:
    """(module imported, line) for every import statement of the module, wherever it stands."""
    known = set(known)
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                target = f"{source}.{alias.name}"
                if target in known:
                    yield target, node.lineno  # a submodule
                elif source in known:
                    yield source, node.lineno  # a name defined in the module


def group_of(module: str) -> tuple[int, str]:
    """(layer, group) of a module: the group with the longest member that is the module or a package holding it
    (``functions`` itself holds only what no other group names)."""
    best: tuple[int, str, str] | None = None
    for rank, groups in enumerate(LAYERS):
        for group, members in groups.items():
            for member in members:
                holds = module == member or (member != "functions" and module.startswith(member + "."))
                if holds and (best is None or len(member) > len(best[2])):
                    best = (rank, group, member)
    if best is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS in {Path(__file__).name}")
    return best[0], best[1]


def graph(package: Path) -> dict[str, list[tuple[str, int]]]:
    found = modules(package)
    return {name: sorted(set(imports_of(name, path, found)) - {(name, 0)}) for name, path in found.items()}


def upward_imports(edges: dict[str, list[tuple[str, int]]]) -> list[str]:
    wrong = []
    for source, targets in edges.items():
        rank, group = group_of(source)
        for target, line in targets:
            target_rank, target_group = group_of(target)
            if target_group != group and target_rank >= rank:
                wrong.append(f"{source} (line {line}) imports {target}: {group} may not import {target_group}")
    return wrong


def cycles(edges: dict[str, list[tuple[str, int]]]) -> list[list[str]]:
    """Strongly connected components of more than one module, or a module importing itself (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target, _ in edges.get(node, []):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1 or any(t == node for t, _ in edges.get(node, [])):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_from_a_higher_layer_or_a_peer() -> None:
    assert upward_imports(graph(PACKAGE)) == []


def test_no_import_cycle_anywhere_in_functions() -> None:
    assert cycles(graph(PACKAGE)) == []


def test_every_module_belongs_to_a_layer() -> None:
    for name in modules(PACKAGE):
        group_of(name)


def test_folders_stay_small_enough_to_read() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_FILES, top
    for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__")]:
        files = list(folder.glob("*.py"))
        assert len(files) <= MAX_FILES_PER_FOLDER, f"{folder.relative_to(ROOT)}: {len(files)} Python files"


# -- the checks themselves fail where they should ------------------------------------------------------------------


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "functions" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "functions"


@pytest.mark.parametrize(
    "files, expected",
    [
        # a loop through an import inside a function
        (
            {"store/a.py": "from functions.store import b\n", "store/b.py": "def f():\n    import functions.store.a\n"},
            [["functions.store.a", "functions.store.b"]],
        ),
        # a package __init__ importing a submodule that imports the package
        (
            {"store/__init__.py": "from functions.store.x import X\n", "store/x.py": "from functions.store import Y\n"},
            [["functions.store", "functions.store.x"]],
        ),
        # relative imports resolve too
        (
            {"mail/a.py": "from . import b\n", "mail/b.py": "from .a import f\n"},
            [["functions.mail.a", "functions.mail.b"]],
        ),
        # a re-exporting __init__ whose submodules import their siblings is no loop
        (
            {
                "store/__init__.py": "from functions.store.x import X\n",
                "store/x.py": "from functions.store.p import P\n",
            },
            [],
        ),
    ],
)
def test_cycles_are_found(tmp_path: Path, files: dict[str, str], expected: list[list[str]]) -> None:
    files.setdefault("__init__.py", "")
    assert cycles(graph(write(tmp_path, files))) == expected


def test_upward_and_sideways_imports_are_found(tmp_path: Path) -> None:
    package = write(
        tmp_path,
        {
            "__init__.py": "",
            "errors.py": "",
            "store/__init__.py": "",
            "store/sqlite.py": "from functions.errors import E\nfrom functions.scoring import job\n",
            "scoring/__init__.py": "",
            "scoring/job.py": "from functions.store import sqlite\n",
            "staff/__init__.py": "",
            "staff/reports.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from functions.citizens import ikm\n"
            ),
            "citizens/__init__.py": "",
            "citizens/ikm.py": "from functions.rules import workdays\n",
            "rules/__init__.py": "",
            "rules/workdays.py": "def f():\n    from functions.web import app\n",
            "web/__init__.py": "",
            "web/app.py": "from functions.staff import reports\n",
        },
    )
    assert upward_imports(graph(package)) == [
        "functions.rules.workdays (line 2) imports functions.web.app: rules may not import web",
        "functions.staff.reports (line 3) imports functions.citizens.ikm: staff may not import citizens",
        "functions.store.sqlite (line 2) imports functions.scoring.job: store may not import scoring",
    ]
