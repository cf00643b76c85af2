"""`lazy_exports`: a package's names imported on first use, so that importing the package stays fast."""

import ast
import importlib


def lazy_exports(package_name, init_file):
    """`(__getattr__, __dir__, import_all)` for a package whose exports are the imports of its
    `if TYPE_CHECKING:` block.

    The block is what type checkers and editors read; at run time each name
    is imported from its module the first time it is used (then kept as an
    attribute of the package), and `import_all()` imports them all.

    Args:
        package_name: The package's `__name__`.
        init_file: The package's `__file__` (its `__init__.py`).

    Example:

    ```python
    # In a package's __init__.py:
    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from synalinks.modules.core.generator import Generator
    else:
        __getattr__, __dir__, import_all = lazy_exports(__name__, __file__)
    ```
    """
    origins = _origins(package_name, init_file)

    def get_attribute(name):
        if name not in origins:
            raise AttributeError(f"module {package_name!r} has no attribute {name!r}")
        module_name, attribute = origins[name]
        module = importlib.import_module(module_name)
        value = module if attribute is None else getattr(module, attribute)
        setattr(importlib.import_module(package_name), name, value)
        return value

    def names():
        return sorted(set(origins) | set(vars(importlib.import_module(package_name))))

    def import_all():
        package = importlib.import_module(package_name)
        for name in origins:
            getattr(package, name)

    return get_attribute, names, import_all


def _origins(package_name, init_file):
    """`{name: (module, attribute or None for a module)}` from the `if TYPE_CHECKING:` block's imports."""
    with open(init_file, encoding="utf-8") as file:
        tree = ast.parse(file.read())
    blocks = [
        node for node in tree.body if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    ]
    origins = {}
    for node in blocks[0].body if blocks else []:
        if not isinstance(node, ast.ImportFrom):
            continue
        for alias in node.names:
            name = alias.asname or alias.name
            if node.module == package_name:  # `from package import subpackage`
                origins[name] = (f"{package_name}.{alias.name}", None)
            else:
                origins[name] = (node.module, alias.name)
    return origins
