"""Every code block of the documentation runs: Python blocks in order, in one namespace per page; the
`synalinks ...` lines of bash blocks as commands."""

import ast
import asyncio
import os
import pathlib
import re
import shlex
import signal
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "docs").glob("*.md"))
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def run_python(source, namespace, name):
    code = compile(source, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)  # noqa: S307 - the project's own documentation
    if asyncio.iscoroutine(result):
        asyncio.run(result)


def run_bash(source, cwd):
    for line in source.splitlines():
        if not line.strip():
            continue
        words = shlex.split(line)
        assert words[0] == "synalinks", f"only synalinks commands are run from the docs, got: {line}"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-m", "synalinks", *words[1:]],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"


def test_there_is_a_page_for_each_topic():
    names = {page.stem for page in PAGES}
    assert {
        "getting_started",
        "data_models",
        "modules",
        "programs",
        "training",
        "callbacks",
        "saving",
        "language_models",
        "cli",
    } <= names


@pytest.fixture
def signal_handlers_kept():
    """A page that starts Ray gets Ray's SIGTERM / SIGINT handlers: the ones before are put back after."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    yield
    for number, handler in handlers.items():
        signal.signal(number, handler)


# Pages whose code runs the embedded model (SmolLM2, MiniLM): they need the `local` extra.
EMBEDDED_PAGES = {"getting_started", "language_models", "training", "cli"}


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(page, marks=[pytest.mark.embedded] if page.stem in EMBEDDED_PAGES else [], id=page.stem)
        for page in PAGES
        if page.stem != "index"
    ],
)
def test_code_blocks_run(page, tmp_path, monkeypatch, signal_handlers_kept):
    monkeypatch.chdir(tmp_path)
    blocks = BLOCK.findall(page.read_text())
    assert blocks, f"{page.name} has no code block"
    namespace = {"__name__": f"docs_{page.stem}"}
    for index, (language, source) in enumerate(blocks):
        if language == "python":
            run_python(source, namespace, f"{page.name}[{index}]")
        elif language == "bash":
            run_bash(source, tmp_path)
        else:
            pytest.fail(f"{page.name}: a code block in {language!r} cannot be run by the tests")
