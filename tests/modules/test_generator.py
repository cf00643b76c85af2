import asyncio
import json
import logging

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query


def test_prompt_holds_instructions_schema_examples_then_input():
    lm = ScriptedLanguageModel(replies=[{"answer": "4"}])
    generator = synalinks.Generator(
        data_model=Answer,
        language_model=lm,
        instructions="Answer with digits.",
        examples=[(Query(query="1+1"), Answer(answer="2"))],
        use_outputs_schema=True,
    )
    result = asyncio.run(generator(Query(query="2+2")))
    assert result.get_json() == {"answer": "4"}
    system, example_in, example_out, user = lm.requests[0]
    assert system["role"] == "system"
    assert system["content"].startswith("Answer with digits.")
    assert json.dumps(Answer.get_schema()) in system["content"]
    assert json.loads(example_in["content"]) == {"query": "1+1"}
    assert example_out["role"] == "assistant" and json.loads(example_out["content"]) == {"answer": "2"}
    assert json.loads(user["content"]) == {"query": "2+2"}


def test_prompt_follows_changes_of_the_trainable_state():
    lm = ScriptedLanguageModel(replies=[{"answer": "4"}])
    generator = synalinks.Generator(data_model=Answer, language_model=lm)
    asyncio.run(generator(Query(query="a")))
    assert len(lm.requests[0]) == 2
    generator.state.update(
        {"instructions": "Be brief.", "examples": [{"inputs": {"query": "x"}, "outputs": {"answer": "y"}}]}
    )
    asyncio.run(generator(Query(query="a")))
    assert lm.requests[1][0]["content"].startswith("Be brief.")
    assert len(lm.requests[1]) == 4


def test_state_is_one_trainable_variable():
    generator = synalinks.Generator(data_model=Answer, language_model=ScriptedLanguageModel(replies=[{}]))
    assert generator.trainable_variables == [generator.state]
    assert generator.state.path == f"{generator.name}/state"
    assert set(generator.state.get_json()) == {"instructions", "examples", "predictions"}
    generator.trainable = False
    assert generator.trainable_variables == [] and generator.non_trainable_variables == [generator.state]


def test_failed_language_model_gives_none_and_a_warning(caplog):
    lm = ScriptedLanguageModel(replies=[RuntimeError("provider down")])
    generator = synalinks.Generator(data_model=Answer, language_model=lm)
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        assert asyncio.run(generator(Query(query="a"))) is None
    assert "provider down" in caplog.text


def test_none_input_gives_none_without_a_call():
    lm = ScriptedLanguageModel(replies=[{"answer": "x"}])
    generator = synalinks.Generator(data_model=Answer, language_model=lm)
    assert asyncio.run(generator(None)) is None
    assert lm.requests == []


def test_return_inputs_concatenates_inputs_and_output():
    lm = ScriptedLanguageModel(replies=[{"answer": "x"}])
    generator = synalinks.Generator(data_model=Answer, language_model=lm, return_inputs=True)
    assert asyncio.run(generator(Query(query="q"))).get_json() == {"query": "q", "answer": "x"}
    symbolic = generator._symbolic_call(synalinks.SymbolicDataModel(data_model=Query))
    assert list(symbolic.get_schema()["properties"]) == ["query", "answer"]


def test_constructor_errors_are_clear():
    with pytest.raises(ValueError, match="language_model"):
        synalinks.Generator(data_model=Answer, language_model="openai/gpt-4o-mini")
    with pytest.raises(ValueError, match="data_model"):
        synalinks.ChainOfThought(language_model=ScriptedLanguageModel(replies=[{}]))
    with pytest.raises(ValueError, match="inputs, outputs"):
        synalinks.Generator(data_model=Answer, language_model=ScriptedLanguageModel(replies=[{}]), examples=["bad"])


def test_default_language_model_is_used_when_none_is_given():
    assert synalinks.Generator(data_model=Answer).language_model.model == "local/smollm2"
    scripted = ScriptedLanguageModel(replies=[{"answer": "x"}])
    synalinks.set_default_language_model(scripted)
    try:
        assert synalinks.Generator(data_model=Answer).language_model is scripted
        synalinks.set_default_language_model("openai/gpt-4o-mini")
        assert synalinks.get_default_language_model().model == "openai/gpt-4o-mini"
    finally:
        synalinks.set_default_language_model(None)
    assert synalinks.get_default_language_model().model == "local/smollm2"


def test_without_a_schema_the_generator_chats_and_with_tools_it_runs_them():
    import json

    def add(a: int, b: int):
        """Adds.

        Args:
            a: A number.
            b: Another.
        """
        return a + b

    def reply(messages, schema, index):
        if messages[-1]["role"] == "tool":
            return {"content": f"The sum is {messages[-1]['content']}."}
        if index == 0:
            return {"content": "Hello!"}
        calls = [
            {"id": "c1", "type": "function", "function": {"name": "add", "arguments": json.dumps({"a": 2, "b": 3})}}
        ]
        return {"tool_calls": calls}

    lm = ScriptedLanguageModel(reply_function=reply)
    chat = synalinks.Generator(language_model=lm, instructions="Be brief.")
    conversation = synalinks.ChatMessages(messages=[synalinks.ChatMessage(role="user", content="Hi")])
    answer = asyncio.run(chat(conversation))
    assert answer.get_json()["content"] == "Hello!" and answer.get_json()["role"] == "assistant"
    assert lm.requests[0][-1] == {"role": "user", "content": "Hi"}, "the conversation is sent as its messages"
    assert lm.requests[0][0]["role"] == "system" and "Be brief." in lm.requests[0][0]["content"]
    with_tools = synalinks.Generator(language_model=lm, tools=[add])
    summed = asyncio.run(with_tools(Query(query="2 + 3?"))).get_json()
    assert summed["content"] == "The sum is 5.", "the tool ran inside the one module call"
    assert lm.request_tools[-1][0]["function"]["name"] == "add"
