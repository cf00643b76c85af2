"""Templates from files or users cost bounded time and memory: nothing is computed when a program file is
loaded, and a rendering is stopped past its bounds (arithmetic, ranges, output, time)."""

import json
import subprocess
import sys
import textwrap
import time

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from synalinks.utils.template_sandbox import TemplateLimitError, bounded_environment, render_bounded
from tests.conftest import Answer, Query

BOMBS = [
    "{{ 9**(9**9) }}",
    "{{ 'a' * 1000000000 }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ 'x'|center(999999999) }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% set s = namespace(t='a') %}{% for i in range(60) %}{% set s.t = s.t ~ s.t %}{% endfor %}{{ s.t }}",
    "{% macro d(s, n) %}{{ d(s ~ s, n - 1) if n else s }}{% endmacro %}{{ d('a', 40) }}",
]


@pytest.mark.parametrize("bomb", BOMBS)
def test_each_template_bomb_is_stopped_within_a_second(bomb):
    start = time.monotonic()
    template = bounded_environment().from_string(bomb)  # compiling computes nothing
    with pytest.raises(TemplateLimitError):
        render_bounded(template)
    assert time.monotonic() - start < 1.5


def test_ordinary_templates_render_as_before():
    template = bounded_environment().from_string(
        "{{ 2**10 }} {{ 'ab' * 3 }} {{ '%05d' % 7 }}|{% for i in range(3) %}{{ i }}{% endfor %}|{{ '{}-{}'.format(1, 2) }}"
    )
    assert render_bounded(template) == "1024 ababab 00007|012|1-2"
    assert "lipsum" not in bounded_environment().globals


LOAD_AND_CALL = textwrap.dedent(
    """
    import asyncio, sys, time
    import synalinks
    from synalinks.testing import ScriptedLanguageModel
    from tests.conftest import Query
    start = time.monotonic()
    lm = ScriptedLanguageModel(replies=[{"answer": "x"}])
    try:
        program = synalinks.programs.load_program(sys.argv[1], language_model=lm)
        print("loaded", round(time.monotonic() - start, 2), flush=True)
        print("output", asyncio.run(program(Query(query="q"))), round(time.monotonic() - start, 2))
    except Exception as error:
        print("refused", type(error).__name__, round(time.monotonic() - start, 2))
    """
)


@pytest.mark.parametrize("bomb", [BOMBS[0], BOMBS[5]])
def test_a_template_bomb_in_a_program_file_loads_or_fails_within_a_second(tmp_path, bomb):
    lm = ScriptedLanguageModel(replies=[{"answer": "x"}])
    program = synalinks.Sequential(
        [
            synalinks.Input(data_model=Query),
            synalinks.Generator(data_model=Answer, language_model=lm, prompt_template="{{ instructions }}"),
        ]
    )
    path = tmp_path / "p.json"
    program.save(path)
    text = path.read_text().replace(json.dumps("{{ instructions }}"), json.dumps(bomb))
    assert json.dumps(bomb) in text
    path.write_text(text)
    done = subprocess.run([sys.executable, "-c", LOAD_AND_CALL, str(path)], capture_output=True, text=True, timeout=60)
    lines = done.stdout.split("\n")
    assert lines[0].startswith(("loaded", "refused")), done.stdout + done.stderr
    assert float(lines[0].split()[-1]) < 1.0, "loading computed nothing of the template"
    if lines[0].startswith("loaded"):
        assert lines[1].startswith(("output None", "refused TemplateLimitError")), done.stdout + done.stderr
        assert float(lines[1].split()[-1]) < 2.5, "the first call is stopped, not hung"
