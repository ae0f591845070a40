"""The house rules that a reviewer would otherwise have to remember (CONVENTIONS.md):

- one module, the composition root, lists every domain;
- statuses change only through the workflow primitive;
- imports sit at the top of modules (at most a few function-local ones, each saying why);
- no two modules import each other, even through others.

The layer contract itself (no stage imports a later one) is `lint-imports`, run by `make lint`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from riskgate.composition import DOMAINS

SOURCE = Path(__file__).resolve().parents[1] / "src" / "riskgate"
# Packages that are not domains: the kernel, the page kit, the migrations, the translations.
NOT_DOMAINS = {"core", "web", "migrations", "locale"}
MAX_LOCAL_IMPORTS = 10
# Where a status is assigned outside core.workflow.move, and why that is right.
STATUS_WRITERS = {
    # The workflow primitive itself (it sets the object's status field by name).
    "core/workflow.py",
    # The outbox worker records delivery outcomes of many events in one UPDATE (pending →
    # delivered / dead): mechanical states of a queue, not a business workflow.
    "outbox/worker.py",
}


def modules() -> Iterator[tuple[str, ast.Module, list[str]]]:
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if relative.startswith("migrations/"):
            continue
        text = path.read_text(encoding="utf-8")
        yield relative, ast.parse(text), text.splitlines()


def module_name(relative: str) -> str:
    parts = ["riskgate", *relative.removesuffix(".py").split("/")]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_blocks(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            ids.update(id(sub) for sub in ast.walk(node))
    return ids


def test_the_composition_root_lists_every_domain() -> None:
    packages = {p.name for p in SOURCE.iterdir()
                if (p / "__init__.py").is_file() and p.name not in NOT_DOMAINS}
    declared = {p.name for p in SOURCE.iterdir()
                if (p / "domain.py").is_file() and p.name not in NOT_DOMAINS}
    assert packages == declared, "every domain package declares itself in domain.py"
    listed = {d.name for d in DOMAINS} - {"core"}
    assert listed == declared, "riskgate.composition.DOMAINS lists every domain, once"


def test_statuses_change_only_through_the_workflow_primitive() -> None:
    found = []
    for relative, tree, _lines in modules():
        if relative in STATUS_WRITERS:
            continue
        for node in ast.walk(tree):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                # `x.status = …` and `x.status, x.other = …`; not `request.state.db = …`.
                leaves = target.elts if isinstance(target, ast.Tuple) else [target]
                for leaf in leaves:
                    if isinstance(leaf, ast.Attribute) and leaf.attr in ("status", "state"):
                        found.append(f"{relative}:{node.lineno}: {ast.unparse(node)[:80]}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "setattr" and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant)
                    and node.args[1].value in ("status", "state")):
                found.append(f"{relative}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert found == [], "move statuses with core.workflow.move:\n" + "\n".join(found)


def test_imports_sit_at_the_top_of_modules() -> None:
    local, unexplained = [], []
    for relative, tree, lines in modules():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
                    a.name for a in node.names]
                if not any(n == "riskgate" or n.startswith("riskgate.") for n in names):
                    continue
                where = f"{relative}:{node.lineno}"
                local.append(where)
                here = lines[node.lineno - 1]
                above = lines[node.lineno - 2] if node.lineno > 1 else ""
                if "#" not in here and not above.strip().startswith("#"):
                    unexplained.append(where)
    assert len(local) <= MAX_LOCAL_IMPORTS, f"function-local riskgate imports: {local}"
    assert unexplained == [], f"say why these imports are function-local: {unexplained}"


def _import_graph() -> dict[str, set[str]]:
    known = {module_name(relative) for relative, _tree, _lines in modules()}
    graph: dict[str, set[str]] = {name: set() for name in known}
    for relative, tree, _lines in modules():
        source = module_name(relative)
        skip = _type_checking_blocks(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            for target in targets:
                while target and target not in known:
                    target = target.rpartition(".")[0]
                # A package's __init__ is not an edge worth a cycle: they hold docstrings.
                if target and target != source and not SOURCE.joinpath(
                        *target.split(".")[1:], "__init__.py").is_file():
                    graph[source].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_two_modules_import_each_other() -> None:
    assert _cycles(_import_graph()) == []
