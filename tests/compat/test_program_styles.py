"""The "mixing" style of Synalinks programs, and code written for hosted models run offline."""

import asyncio
import json
import subprocess
import sys

import pytest

import synalinks
from synalinks.testing import FakeProvider, ScriptedLanguageModel, example_value
from tests.conftest import Answer, Query


class Thoughtful(synalinks.Program):
    """A reusable component whose graph is made in `build`, once the input is known."""

    def __init__(self, language_model=None, **kwargs):
        super().__init__(**kwargs)
        self.language_model = language_model

    async def build(self, inputs):
        thought = await synalinks.ChainOfThought(data_model=Answer, language_model=self.language_model)(inputs)
        super().__init__(inputs=inputs, outputs=thought, name=self.name)


def _lm():
    return ScriptedLanguageModel(reply_function=lambda m, s, i: {"thinking": "t", "answer": "4"})


def test_a_mixing_style_program_builds_on_symbolic_inputs_and_nests_in_a_functional_program():
    async def build():
        inputs = synalinks.Input(data_model=Query)
        outputs = await Thoughtful(language_model=_lm(), name="component")(inputs)
        return synalinks.Program(inputs=inputs, outputs=outputs, name="outer")

    program = asyncio.run(build())
    assert list(program.outputs.get_schema()["properties"]) == ["thinking", "answer"]
    assert asyncio.run(program(Query(query="2+2?"))).get_json() == {"thinking": "t", "answer": "4"}
    component = program.get_module(name="component")
    assert [type(m).__name__ for m in component.modules] == ["InputModule", "ChainOfThought"]
    assert len(program.trainable_variables) == 1, "the component's variables belong to the program"


def test_a_mixing_style_program_called_on_data_builds_itself_from_its_schema():
    component = Thoughtful(language_model=_lm(), name="alone")
    assert asyncio.run(component(Query(query="2+2?"))).get_json() == {"thinking": "t", "answer": "4"}
    assert asyncio.run(component(Query(query="3+3?"))).get_json()["answer"] == "4", "built once"

    class Empty(synalinks.Program):
        pass

    with pytest.raises(NotImplementedError, match="async def call"):
        asyncio.run(Empty()(Query(query="q")))


def test_fake_provider_answers_each_schema_with_a_valid_value():
    schema = {
        "type": "object",
        "properties": {
            "label": {"enum": ["b", "a"]},
            "score": {"type": "number", "minimum": 0.5},
            "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}},
            "note": {"anyOf": [{"type": "null"}, {"type": "string"}]},
        },
        "$defs": {"Tag": {"type": "object", "properties": {"n": {"type": "integer"}}}},
    }
    assert example_value(schema) == {"label": "b", "score": 0.5, "tags": [{"n": 0}], "note": "text"}
    provider = FakeProvider()
    with provider.patch():
        language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini")
        assert asyncio.run(language_model([{"role": "user", "content": "hi"}], schema=Answer.get_schema())) == {
            "answer": "text"
        }
        tool_model = synalinks.LanguageModel(model="anthropic/claude-3-5-haiku", structured_output="tool")
        assert asyncio.run(tool_model([{"role": "user", "content": "hi"}], schema=Answer.get_schema())) == {
            "answer": "text"
        }
    assert len(provider.requests) == 2 and "tools" in provider.requests[1]


def test_run_offline_runs_a_script_written_for_a_hosted_model(tmp_path):
    script = tmp_path / "hosted.py"
    script.write_text(
        "import asyncio, json, synalinks\n"
        "class Q(synalinks.DataModel):\n    q: str\n"
        "class A(synalinks.DataModel):\n    a: int\n"
        "async def main():\n"
        "    x = synalinks.Input(data_model=Q)\n"
        "    y = await synalinks.Generator(data_model=A, language_model=synalinks.LanguageModel(model='openai/gpt-4.1'))(x)\n"
        "    print(json.dumps((await synalinks.Program(inputs=x, outputs=y)(Q(q='?'))).get_json()))\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run(
        [sys.executable, "scripts/run_offline.py", str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"a": 0}
    assert "1 LM call(s) answered offline" in done.stderr
