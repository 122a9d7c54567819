"""The house's stairs (docs/ARCHITECTURE.md): no import circles between modules, and no import
hidden inside a function to dodge one. The layers themselves are `make lint`'s (lint-imports)."""

import ast
from pathlib import Path

import grimp

APP = Path(__file__).resolve().parents[2] / "app"


def test_no_module_imports_another_that_imports_it_back():
    graph = grimp.build_graph("app", exclude_type_checking_imports=True)
    circles = [
        (module, other)
        for module in graph.modules
        for other in graph.find_modules_directly_imported_by(module)
        if module != other and graph.chain_exists(importer=other, imported=module)
    ]
    assert circles == []


def _imports_app(node: ast.AST) -> bool:
    """An `import app…` or `from app… import …` statement."""
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").startswith("app")
    return isinstance(node, ast.Import) and any(a.name.startswith("app") for a in node.names)


def _local_imports(tree: ast.Module) -> list[int]:
    """Lines of imports of the app inside a function."""
    return [
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if _imports_app(node)
    ]


def test_no_function_imports_a_domain_to_dodge_a_cycle():
    """Only the app factory (app/__init__.py, the composition root) imports inside functions."""
    found = [
        f"{path.relative_to(APP.parent)}:{line}"
        for path in sorted(APP.rglob("*.py"))
        if path != APP / "__init__.py"
        for line in _local_imports(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


def test_every_domain_error_says_why_through_one_base_class():
    """A domain's refusal derives from `core.errors.DomainError` (a `.message` for the person)."""
    plain = {"Exception", "ValueError", "RuntimeError"}
    found = [
        f"{path.relative_to(APP.parent)}:{node.name}"
        for path in sorted(APP.rglob("*.py"))
        if path != APP / "core" / "errors.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id in plain for b in node.bases)
        and not any(isinstance(b, ast.Name) and b.id == "DomainError" for b in node.bases)
    ]
    assert found == []
