"""`synalinks.Generator` with the arguments of Synalinks' reference."""

import asyncio
import json

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query


class Recording(ScriptedLanguageModel):
    """A scripted model that keeps each call's messages and generation arguments."""

    def __init__(self):
        super().__init__(replies=[{"answer": "4"}])
        self.calls = []

    async def __call__(self, messages, schema=None, **generation_kwargs):
        self.calls.append((messages, generation_kwargs))
        return await super().__call__(messages, schema, **generation_kwargs)


def _call(generator, query="2+2?"):
    return asyncio.run(generator(synalinks.JsonDataModel(data_model=Query(query=query))))


def test_the_first_line_of_synalinks_code_runs_and_sends_only_what_was_set():
    lm = Recording()
    generator = synalinks.Generator(data_model=Answer, language_model=lm, temperature=0.2, max_tokens=64)
    assert _call(generator).get_json() == {"answer": "4"}
    assert lm.calls[0][1] == {"temperature": 0.2, "max_tokens": 64}
    plain = synalinks.Generator(data_model=Answer, language_model=lm)
    _call(plain)
    assert lm.calls[1][1] == {}, "unset sampling arguments are not sent"
    tuned = synalinks.Generator(data_model=Answer, language_model=lm, top_p=0.5, top_k=3, reasoning_effort="low")
    _call(tuned)
    assert lm.calls[2][1] == {"top_p": 0.5, "top_k": 3, "reasoning_effort": "low"}
    with pytest.raises(ValueError, match="reasoning_effort"):
        synalinks.Generator(data_model=Answer, language_model=lm, reasoning_effort="extreme")


def test_schemas_in_the_prompt_follow_use_inputs_schema_and_use_outputs_schema():
    lm = Recording()
    both = synalinks.Generator(data_model=Answer, language_model=lm, use_inputs_schema=True, use_outputs_schema=True)
    _call(both)
    system = lm.calls[-1][0][0]["content"]
    assert json.dumps(Query.get_schema()) in system and json.dumps(Answer.get_schema()) in system
    neither = synalinks.Generator(data_model=Answer, language_model=lm, use_outputs_schema=False)
    _call(neither)
    system = lm.calls[-1][0][0]["content"]
    assert "properties" not in system and system == "Reply with a JSON object."


def test_a_prompt_template_is_rendered_in_a_sandbox_and_saved_with_the_program():
    lm = Recording()
    template = (
        "Task: {{ instructions }}{% for example in examples %}\nQ {{ example[0] }} A {{ example[1] }}{% endfor %}"
    )
    generator = synalinks.Generator(
        data_model=Answer,
        language_model=lm,
        instructions="Add.",
        examples=[({"query": "1+1?"}, {"answer": "2"})],
        prompt_template=template,
    )
    _call(generator)
    messages = lm.calls[-1][0]
    assert messages[0]["content"] == 'Task: Add.\nQ {"query": "1+1?"} A {"answer": "2"}'
    assert [message["role"] for message in messages] == ["system", "user"], "examples rendered, not sent as turns"
    rebuilt = synalinks.saving.deserialize(
        synalinks.saving.serialize(generator), custom_objects={"Recording": Recording}
    )
    assert rebuilt.prompt_template == template
    with pytest.raises(Exception, match="unsafe|attribute"):
        bad = synalinks.Generator(
            data_model=Answer, language_model=lm, prompt_template="{{ instructions.__class__.__mro__ }}"
        )
        _call(bad)
    with pytest.raises(ValueError, match="Jinja2"):
        synalinks.Generator(data_model=Answer, language_model=lm, prompt_template="{% for %}")


def test_the_default_prompt_template_renders_what_the_built_in_prompt_sends():
    from synalinks.modules.core.prompt_template import render

    lm = Recording()
    generator = synalinks.Generator(data_model=Answer, language_model=lm, instructions="Be brief.")
    _call(generator)
    built_in = lm.calls[-1][0][0]["content"]
    assert render(synalinks.default_prompt_template(), "Be brief.", None, None, []) == built_in
    assert "properties" not in built_in, "use_outputs_schema=False by default, as in Synalinks"
    with_schema = synalinks.Generator(
        data_model=Answer, language_model=lm, instructions="Be brief.", use_outputs_schema=True
    )
    _call(with_schema)
    built_in = lm.calls[-1][0][0]["content"]
    assert render(synalinks.default_prompt_template(), "Be brief.", None, Answer.get_schema(), []) == built_in


def test_seed_instructions_and_the_new_arguments_round_trip():
    lm = Recording()
    generator = synalinks.Generator(
        data_model=Answer,
        language_model=lm,
        seed_instructions=["Answer in one word.", "Answer with a number."],
        temperature=0.3,
        use_inputs_schema=True,
    )
    rebuilt = synalinks.saving.deserialize(
        synalinks.saving.serialize(generator), custom_objects={"Recording": Recording}
    )
    assert rebuilt.seed_instructions == ["Answer in one word.", "Answer with a number."]
    assert rebuilt.sampling == {"temperature": 0.3} and rebuilt.use_inputs_schema is True
