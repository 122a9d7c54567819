"""reportlab stays behind app.core.pdf and app.core.pdfdoc (issue #22): the domains draw their
documents through those two, so a change of PDF library touches nothing else."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
ALLOWED = {"app/core/pdf.py", "app/core/pdfdoc.py"}


def _is_reportlab(name: str) -> bool:
    """Whether a module name is reportlab or one of its submodules."""
    return name == "reportlab" or name.startswith("reportlab.")


def _imported(node: ast.AST) -> list[str]:
    """The modules an import statement names (none for a relative import or other node)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and not node.level:
        return [node.module or ""]
    return []


def _reportlab_imports(tree: ast.Module) -> list[int]:
    """Lines of `import reportlab…` and `from reportlab… import …`, anywhere in the module."""
    return [node.lineno for node in ast.walk(tree) if any(map(_is_reportlab, _imported(node)))]


def test_only_core_pdf_and_pdfdoc_import_reportlab():
    found = [
        f"{module}:{line}"
        for path in sorted(APP.rglob("*.py"))
        if (module := path.relative_to(APP.parent).as_posix()) not in ALLOWED
        for line in _reportlab_imports(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


def test_the_check_sees_both_forms_of_import():
    source = "import reportlab.lib\nfrom reportlab.platypus import Table\nimport reportlabx\n"
    assert _reportlab_imports(ast.parse(source)) == [1, 2]
