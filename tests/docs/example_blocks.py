"""Finding the `Example:` blocks of the docstrings under `synalinks/` and the README's code block, and the
names an example may use without defining them (what the surrounding docstring talks about)."""

import ast
import pathlib
import re
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[2]
FENCED_EXAMPLE = re.compile(r"Example:\s*\n\s*```python\n(.*?)\n\s*```", re.S)
FENCED_PYTHON = re.compile(r"```python\n(.*?)\n```", re.S)


def docstring_examples():
    """`(id, module name, code)` for each ```python block that follows an `Example:` in a docstring."""
    found = []
    for path in sorted((ROOT / "synalinks").rglob("*.py")):
        relative = path.relative_to(ROOT)
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            docstring = ast.get_docstring(node, clean=True)
            for index, match in enumerate(FENCED_EXAMPLE.finditer(docstring or "")):
                name = getattr(node, "name", "module")
                found.append((f"{relative}::{name}#{index}", module, textwrap.dedent(match.group(1))))
    return found


def readme_blocks():
    """The README's ```python blocks."""
    return FENCED_PYTHON.findall((ROOT / "README.md").read_text(encoding="utf-8"))
