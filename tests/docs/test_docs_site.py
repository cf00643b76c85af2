"""The documentation site builds (MkDocs, warnings as errors) and its API reference names every public name."""

import pathlib
import subprocess
import sys

import synalinks

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_api_reference_pages_are_up_to_date():
    result = subprocess.run(
        [sys.executable, "scripts/write_api_reference.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_api_reference_covers_every_public_name():
    pages = "".join(path.read_text() for path in (ROOT / "docs" / "api").glob("*.md"))
    for package in ("callbacks", "optimizers", "rewards", "metrics", "programs", "knowledge_bases"):
        for name in getattr(synalinks, package).__all__:
            assert f"::: synalinks.{package}.{name}\n" in pages
    assert "::: synalinks.callbacks.ProgramCheckpoint\n" in pages


def test_site_builds_with_warnings_as_errors(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    reference = (tmp_path / "site" / "api" / "callbacks" / "index.html").read_text()
    assert "ProgramCheckpoint" in reference and "save_best_only" in reference, "rendered from the docstrings"
    assert (tmp_path / "site" / "callbacks" / "index.html").is_file()
