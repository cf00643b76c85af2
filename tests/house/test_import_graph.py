"""The package layout stays layered: no import loop between packages, and each imports alone."""

import ast
import os
import subprocess
import sys

import pytest

import synalinks

ROOT = os.path.dirname(synalinks.__file__)
PACKAGES = sorted(name for name in os.listdir(ROOT) if os.path.isfile(os.path.join(ROOT, name, "__init__.py")))


def _module_level_imports(path):
    """The `synalinks.*` modules a file imports when it is imported (not inside functions)."""
    tree = ast.parse(open(path, encoding="utf-8").read(), filename=path)
    found = []
    for node in tree.body:  # module-level statements only: imports inside functions are deliberate and lazy
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("synalinks"):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names if alias.name.startswith("synalinks"))
    return found


def package_graph():
    """`{package: {packages it imports at module level}}` for the packages of synalinks."""
    graph = {package: set() for package in PACKAGES}
    for package in PACKAGES:
        for folder, _, files in os.walk(os.path.join(ROOT, package)):
            for name in files:
                if not name.endswith(".py") or (folder == os.path.join(ROOT, package) and name == "__init__.py"):
                    continue  # a package's __init__ only re-exports its own modules
                for module in _module_level_imports(os.path.join(folder, name)):
                    parts = module.split(".")
                    if len(parts) > 1 and parts[1] in graph and parts[1] != package:
                        graph[package].add(parts[1])
    return graph


def find_cycle(graph):
    """A list of packages forming a loop, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for successor in sorted(graph[node]):
            if state.get(successor) == "open":
                return path[path.index(successor) :] + [successor]
            if successor not in state:
                cycle = visit(successor, path + [successor])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                return cycle
    return None


def test_find_cycle_finds_a_loop_and_accepts_layers():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_import_loop_between_packages():
    graph = package_graph()
    assert {"callbacks", "trainers", "programs", "modules"} <= set(graph)
    assert find_cycle(graph) is None, f"package import loop: {' -> '.join(find_cycle(graph))}"


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_imports_alone_in_a_fresh_interpreter(package):
    done = subprocess.run(
        [sys.executable, "-c", f"import synalinks.{package}"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
