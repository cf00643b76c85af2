"""Writes the API reference pages of the documentation site: `docs/api/<package>.md`, one per package of
`synalinks`, each naming every public name of the package (its `__all__`) for mkdocstrings to render from
the docstrings, and `docs/api/index.md` for the names only `synalinks` itself exports.

    python scripts/write_api_reference.py          # write the pages
    python scripts/write_api_reference.py --check  # exit 1 when a page is out of date

The tests run the check, so a new public name cannot go undocumented.
"""

import importlib
import pathlib
import pkgutil
import sys
import types

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import synalinks  # noqa: E402

API_FOLDER = ROOT / "docs" / "api"


def public_names(module):
    names = getattr(module, "__all__", None)
    if names is None:
        names = [name for name in dir(module) if not name.startswith("_")]
    return sorted(
        name for name in names if not name.startswith("_") and not isinstance(getattr(module, name), types.ModuleType)
    )


def packages():
    """The packages and modules directly under `synalinks` that export names."""
    found = []
    for info in pkgutil.iter_modules(synalinks.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"synalinks.{info.name}")
        if public_names(module):
            found.append(info.name)
    return sorted(found)


def page(title, intro, qualified_names):
    lines = [f"# {title}", "", intro, ""]
    for name in qualified_names:
        lines += [f"::: {name}", ""]
    return "\n".join(lines)


def pages():
    """`{file name: text}` of every API page."""
    result = {}
    in_packages = set()
    for package in packages():
        module = importlib.import_module(f"synalinks.{package}")
        names = public_names(module)
        in_packages.update(id(getattr(module, name)) for name in names)
        result[f"{package}.md"] = page(
            f"synalinks.{package}",
            f"The public names of `synalinks.{package}`.",
            [f"synalinks.{package}.{name}" for name in names],
        )
    top = [name for name in public_names(synalinks) if id(getattr(synalinks, name)) not in in_packages]
    result["index.md"] = page(
        "API reference",
        "One page per package (see the navigation). The names below are exported by `synalinks` only.",
        [f"synalinks.{name}" for name in top],
    )
    return result


def main(argv):
    check = "--check" in argv
    stale = []
    API_FOLDER.mkdir(parents=True, exist_ok=True)
    expected = pages()
    for file_name, text in expected.items():
        path = API_FOLDER / file_name
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(file_name)
        else:
            path.write_text(text, encoding="utf-8")
    extra = sorted(path.name for path in API_FOLDER.glob("*.md") if path.name not in expected)
    if check and (stale or extra):
        print(f"API pages out of date: {stale + extra}; run python scripts/write_api_reference.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
