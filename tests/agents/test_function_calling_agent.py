"""FunctionCallingAgent with native tool calls from a scripted model: concurrency, errors as tool results,
the iteration bound, the interactive mode, and saving."""

import asyncio
import json
import time

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel


class Query(synalinks.DataModel):
    query: str


class Answer(synalinks.DataModel):
    answer: str


def call(name, arguments, index=0):
    return {
        "id": f"call_{name}_{index}",
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments)},
    }


async def slow_double(x: int):
    """Doubles a number, slowly.

    Args:
        x: The number.
    """
    await asyncio.sleep(0.3)
    return {"double": 2 * x}


def explode(reason: str):
    """Always fails.

    Args:
        reason: Why.
    """
    raise RuntimeError(f"boom: {reason}")


async def hang():
    """Never answers."""
    await asyncio.sleep(30)


def tool_messages(output):
    return [m for m in output["messages"] if m["role"] == "tool"]


def test_several_tool_calls_in_one_turn_run_concurrently_then_the_model_answers():
    lm = ScriptedLanguageModel(
        replies=[
            {
                "tool_calls": [
                    call("slow_double", {"x": 1}, 0),
                    call("slow_double", {"x": 2}, 1),
                    call("slow_double", {"x": 3}, 2),
                ]
            },
            {"content": "done"},
            {"answer": "2, 4, 6"},
        ]
    )
    agent = synalinks.FunctionCallingAgent(data_model=Answer, tools=[slow_double], language_model=lm)
    start = time.perf_counter()
    output = asyncio.run(agent(Query(query="double 1, 2, 3"))).get_json()
    assert time.perf_counter() - start < 0.8, "three 0.3 s calls ran at once"
    assert [json.loads(m["content"]) for m in tool_messages(output)] == [{"double": 2}, {"double": 4}, {"double": 6}]
    assert [m["tool_call_id"] for m in tool_messages(output)] == [
        "call_slow_double_0",
        "call_slow_double_1",
        "call_slow_double_2",
    ]
    assert output["answer"] == "2, 4, 6"
    sent_tools = lm.request_tools[0]
    assert sent_tools[0]["function"]["name"] == "slow_double"
    assert sent_tools[0]["function"]["parameters"]["properties"]["x"] == {
        "type": "integer",
        "description": "The number.",
    }
    second_request = lm.requests[1]
    assert second_request[-1]["role"] == "tool" and second_request[-4]["tool_calls"], (
        "the results went back to the model"
    )


def test_errors_timeouts_and_bad_arguments_come_back_as_tool_results():
    lm = ScriptedLanguageModel(
        replies=[
            {
                "tool_calls": [
                    call("explode", {"reason": "x"}, 0),
                    call("hang", {}, 1),
                    call("slow_double", {"x": "two"}, 2),
                    call("missing", {}, 3),
                    {"id": "c5", "type": "function", "function": {"name": "slow_double", "arguments": "{not json"}},
                ]
            },
            {"content": "I could not."},
        ]
    )
    tools = [synalinks.Tool(explode), synalinks.Tool(hang, timeout=0.2), slow_double]
    agent = synalinks.FunctionCallingAgent(tools=tools, language_model=lm)
    output = asyncio.run(agent(Query(query="try"))).get_json()
    results = [json.loads(m["content"]) for m in tool_messages(output)]
    assert results[0] == {"error": "RuntimeError: boom: x"}
    assert "did not answer within 0.2 s" in results[1]["error"]
    assert "invalid arguments" in results[2]["error"] and "'two' is not of type 'integer'" in results[2]["error"]
    assert "there is no tool 'missing'" in results[3]["error"]
    assert "not JSON" in results[4]["error"]
    assert output["messages"][-1] == {"role": "assistant", "content": "I could not."}, "a chat answer without a schema"


def test_max_iterations_bounds_a_model_that_never_stops():
    def reply(messages, schema, index):
        if schema is not None:
            return {"answer": "gave up"}
        return {"tool_calls": [call("slow_double", {"x": index}, index)]}

    lm = ScriptedLanguageModel(reply_function=reply)
    agent = synalinks.FunctionCallingAgent(data_model=Answer, tools=[slow_double], language_model=lm, max_iterations=3)
    output = asyncio.run(agent(Query(query="loop"))).get_json()
    assert len(tool_messages(output)) == 3 and output["answer"] == "gave up"
    assert len(lm.requests) == 4, "three tool turns, then the final answer"


def test_the_interactive_agent_continues_a_conversation_over_several_calls():
    lm = ScriptedLanguageModel(
        replies=[
            {"tool_calls": [call("slow_double", {"x": 21})]},
            {"content": "It is 42."},
            {"content": "You're welcome."},
        ]
    )
    agent = synalinks.FunctionCallingAgent(tools=[slow_double], language_model=lm, autonomous=False)
    conversation = synalinks.ChatMessages(messages=[synalinks.ChatMessage(role="user", content="Double 21?")])
    first = asyncio.run(agent(conversation)).get_json()
    assert first["messages"][-1]["tool_calls"][0]["function"]["name"] == "slow_double", "the call waits for the caller"
    assert len(lm.requests) == 1
    second = asyncio.run(
        agent(synalinks.JsonDataModel(schema=synalinks.ChatMessages.get_schema(), json=first))
    ).get_json()
    assert [m["role"] for m in second["messages"]] == ["user", "assistant", "tool", "assistant"]
    assert json.loads(second["messages"][2]["content"]) == {"double": 42}
    second["messages"].append({"role": "user", "content": "Thanks!"})
    third = asyncio.run(
        agent(synalinks.JsonDataModel(schema=synalinks.ChatMessages.get_schema(), json=second))
    ).get_json()
    assert third["messages"][-1]["content"] == "You're welcome." and len(third["messages"]) == 6
    with pytest.raises(ValueError, match="conversation"):
        asyncio.run(agent(Query(query="no conversation")))


def test_save_and_load_give_identical_outputs(tmp_path):
    synalinks.saving.register_synalinks_serializable(package="tests_agents")(slow_double)

    def reply(messages, schema, index):
        if schema is not None:
            return {"answer": str(len(messages))}
        if messages[-1]["role"] == "tool":
            return {"content": "ok"}
        return {"tool_calls": [call("slow_double", {"x": 5})]}

    lm = ScriptedLanguageModel(reply_function=reply, name="agent_lm")

    async def build():
        inputs = synalinks.Input(data_model=Query)
        outputs = await synalinks.FunctionCallingAgent(
            data_model=Answer, tools=[slow_double], language_model=lm, instructions="Use the tool.", name="agent"
        )(inputs)
        return synalinks.Program(inputs=inputs, outputs=outputs)

    program = asyncio.run(build())
    expected = asyncio.run(program(Query(query="q"))).get_json()
    path = tmp_path / "agent.program.json"
    program.save(path)
    loaded = synalinks.programs.load_program(path, language_model=lm)
    assert asyncio.run(loaded(Query(query="q"))).get_json() == expected
    step = loaded.get_module(name="agent").tool_calls_generator
    assert step.state.get_json()["instructions"] == "Use the tool." and step.trainable


def test_the_agent_trains_with_fit_and_checkpoints(tmp_path):
    def reply(messages, schema, index):
        if schema is not None:
            results = [m["content"] for m in json.loads(messages[-1]["content"])["messages"] if m["role"] == "tool"]
            return {"answer": json.loads(results[-1])["double"].__str__() if results else "?"}
        if messages[-1]["role"] == "tool":
            return {"content": "done"}
        number = int(json.loads(messages[-1]["content"])["query"])
        return {"tool_calls": [call("slow_double", {"x": number})]}

    async def fast_double(x: int):
        """Doubles a number.

        Args:
            x: The number.
        """
        return {"double": 2 * x}

    lm = ScriptedLanguageModel(reply_function=reply)

    async def build():
        inputs = synalinks.Input(data_model=Query)
        outputs = await synalinks.FunctionCallingAgent(
            data_model=Answer, tools=[synalinks.Tool(fast_double, name="slow_double")], language_model=lm, name="agent"
        )(inputs)
        return synalinks.Program(inputs=inputs, outputs=outputs)

    program = asyncio.run(build())
    program.compile(
        reward=synalinks.rewards.ExactMatch(in_mask=["answer"]),
        optimizer=synalinks.optimizers.RandomFewShot(
            nb_min_examples=1, nb_max_examples=1, sampling="best", nb_candidates=0, seed=0
        ),
    )
    x = [Query(query=str(i)) for i in range(4)]
    y = [Answer(answer=str(2 * i)) for i in range(4)]
    checkpoint = tmp_path / "agent.variables.json"
    history = program.fit(
        x=x,
        y=y,
        epochs=1,
        batch_size=4,
        verbose=0,
        callbacks=[
            synalinks.callbacks.ProgramCheckpoint(filepath=str(checkpoint), monitor="reward", save_variables_only=True)
        ],
    )
    assert history.history["reward"] == [1.0]
    step = program.get_module(name="agent").tool_calls_generator
    examples = step.state.get_json()["examples"]
    assert len(examples) == 1, "the step learned an example from its traces"
    inputs, outputs = examples[0]["inputs"], examples[0]["outputs"]
    if outputs.get("tool_calls"):  # the first step: nothing yet, then a call
        assert inputs["messages"] == [] and outputs["tool_calls"][0]["function"]["name"] == "slow_double"
    else:  # the second: the call and its result, then the answer
        assert [m["role"] for m in inputs["messages"]] == ["assistant", "tool"] and outputs["content"] == "done"
    assert checkpoint.exists()
