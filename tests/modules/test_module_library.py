import asyncio
import logging

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query
from tests.modules.replies import universal_reply


@synalinks.saving.register_synalinks_serializable(package="tests")
async def add(a: int, b: int = 0) -> int:
    """Adds two numbers.

    Args:
        a: The first number.
        b: The second number,
            zero by default.
    """
    return a + b


@synalinks.saving.register_synalinks_serializable(package="tests")
def broken_add(a: int, b: int) -> int:
    """Always fails."""
    raise RuntimeError("calculator on fire")


@pytest.fixture
def lm():
    return ScriptedLanguageModel(reply_function=universal_reply)


def build(make_outputs):
    """A functional program from `make_outputs(inputs)` (an async function)."""

    async def main():
        inputs = synalinks.Input(data_model=Query)
        return synalinks.Program(inputs=inputs, outputs=await make_outputs(inputs))

    return asyncio.run(main())


def run(program, query):
    return asyncio.run(program(Query(query=query)))


def as_json(output):
    if isinstance(output, list):
        return [as_json(item) for item in output]
    return None if output is None else output.get_json()


def assert_round_trip(program, tmp_path, queries=("q1", "q2", "q3")):
    path = tmp_path / "program.json"
    program.save(path)
    loaded = synalinks.programs.load_program(path)
    assert [v.get_json() for v in loaded.variables] == [v.get_json() for v in program.variables]
    for query in queries:
        assert as_json(run(loaded, query)) == as_json(run(program, query))
    return loaded


# ChainOfThought


def test_chain_of_thought_thinks_first(lm, tmp_path):
    program = build(lambda x: synalinks.ChainOfThought(data_model=Answer, language_model=lm)(x))
    output = run(program, "q4")
    assert list(output.get_json()) == ["thinking", "answer"]
    assert output.get_json() == {"thinking": "let me think", "answer": "1"}
    assert list(output.get_schema()["properties"]) == ["thinking", "answer"]
    assert_round_trip(program, tmp_path)


def test_chain_of_thought_without_thinking_in_the_reply_gives_none():
    lm = ScriptedLanguageModel(replies=[{"answer": "1"}], max_retries=1)
    program = build(lambda x: synalinks.ChainOfThought(data_model=Answer, language_model=lm)(x))
    assert run(program, "q1") is None
    assert len(lm.requests) == 2, "retried once with a repair message"


# SelfCritique


def test_self_critique_adds_critique_and_reward(lm, tmp_path):
    async def outputs(x):
        answer = await synalinks.Generator(data_model=Answer, language_model=lm)(x)
        return await synalinks.SelfCritique(language_model=lm)(answer)

    program = build(outputs)
    assert run(program, "q2").get_json() == {"answer": "2", "critique": "answer 2 looks fine", "reward": 0.5}
    assert_round_trip(program, tmp_path)
    plain = build(lambda x: synalinks.SelfCritique(language_model=lm, return_reward=False, return_inputs=False)(x))
    assert list(run(plain, "q2").get_json()) == ["critique"]


def test_self_critique_with_a_reward_out_of_range_gives_none():
    lm = ScriptedLanguageModel(replies=[{"critique": "ok", "reward": 7}])
    program = build(lambda x: synalinks.SelfCritique(language_model=lm)(x))
    assert run(program, "q1") is None


# Decision and MultiDecision


def test_decision_always_returns_one_of_the_labels(tmp_path, lm):
    program = build(lambda x: synalinks.Decision(question="Which?", labels=["even", "odd"], language_model=lm)(x))
    assert run(program, "q3").get("choice") == "odd"
    assert run(program, "q4").get("choice") == "even"
    assert program.modules[1].schema["properties"]["choice"]["enum"] == ["even", "odd"]
    assert_round_trip(program, tmp_path)


def test_decision_with_an_unknown_label_is_retried_then_none():
    lm = ScriptedLanguageModel(
        replies=[{"thinking": "x", "choice": "maybe"}, {"thinking": "x", "choice": "odd"}], max_retries=1
    )
    decision = synalinks.Decision(question="Which?", labels=["even", "odd"], language_model=lm)
    assert asyncio.run(decision(Query(query="q1"))).get("choice") == "odd"
    never = ScriptedLanguageModel(replies=[{"thinking": "x", "choice": "maybe"}], max_retries=2)
    decision = synalinks.Decision(question="Which?", labels=["even", "odd"], language_model=never)
    assert asyncio.run(decision(Query(query="q1"))) is None


def test_decision_arguments_are_checked(lm):
    with pytest.raises(ValueError, match="at least two"):
        synalinks.Decision(question="Which?", labels=["only"], language_model=lm)
    with pytest.raises(ValueError, match="distinct"):
        synalinks.Decision(question="Which?", labels=["a", "a"], language_model=lm)
    with pytest.raises(ValueError, match="question"):
        synalinks.Decision(labels=["a", "b"], language_model=lm)


def test_multi_decision(lm, tmp_path):
    labels = ["sports", "politics", "science"]
    program = build(lambda x: synalinks.MultiDecision(question="Topics?", labels=labels, language_model=lm)(x))
    assert run(program, "q1").get("choices") == ["sports", "politics"]
    assert_round_trip(program, tmp_path)
    bad = ScriptedLanguageModel(replies=[{"thinking": "x", "choices": ["cooking"]}])
    decision = synalinks.MultiDecision(question="Topics?", labels=labels, language_model=bad)
    assert asyncio.run(decision(Query(query="q1"))) is None


# Branch


def test_branch_runs_only_the_chosen_branch(tmp_path, lm):
    even_lm = ScriptedLanguageModel(reply_function=lambda m, s, i: {"answer": "from even"}, name="even_branch")
    odd_lm = ScriptedLanguageModel(
        reply_function=lambda m, s, i: {"thinking": "t", "answer": "from odd"}, name="odd_branch"
    )

    async def outputs(x):
        even, odd = await synalinks.Branch(
            question="Is the number even or odd?",
            labels=["even", "odd"],
            branches=[
                synalinks.Generator(data_model=Answer, language_model=even_lm),
                synalinks.ChainOfThought(data_model=Answer, language_model=odd_lm),
            ],
            language_model=lm,
            inject_decision=False,
            return_decision=False,
        )(x)
        return [even, odd]

    program = build(outputs)
    assert as_json(run(program, "q2")) == [{"answer": "from even"}, None]
    assert as_json(run(program, "q3")) == [None, {"thinking": "t", "answer": "from odd"}]
    assert len(even_lm.requests) == 1 and len(odd_lm.requests) == 1
    assert len(program.trainable_variables) == 3, "the decision and both branches are trainable"
    assert_round_trip(program, tmp_path)


def test_branch_outputs_merge_with_or(lm):
    async def outputs(x):
        first, second = await synalinks.Branch(
            question="Which?",
            labels=["a", "b"],
            branches=[
                synalinks.Generator(data_model=Answer, language_model=lm),
                synalinks.Generator(data_model=Answer, language_model=lm),
            ],
            language_model=lm,
            return_decision=False,
        )(x)
        return first | second

    program = build(outputs)
    assert list(program.outputs.get_schema()["properties"]) == ["answer"]
    assert run(program, "q5").get_json() == {"answer": "2"}


def test_branch_with_a_failed_decision_gives_only_none():
    broken = ScriptedLanguageModel(replies=[RuntimeError("down")])
    branch = synalinks.Branch(
        question="Which?",
        labels=["a", "b"],
        branches=[synalinks.Identity(), synalinks.Identity()],
        language_model=broken,
    )
    assert asyncio.run(branch(Query(query="q1"))) == (None, None)
    with pytest.raises(ValueError, match="one branch per label"):
        synalinks.Branch(question="Which?", labels=["a", "b"], branches=[synalinks.Identity()], language_model=broken)


def test_branch_can_inject_the_decision(lm):
    branch = synalinks.Branch(
        question="Which?",
        labels=["a", "b"],
        branches=[synalinks.Identity(), synalinks.Identity()],
        language_model=lm,
        inject_decision=True,
        return_decision=False,
    )
    outputs = asyncio.run(branch(Query(query="q1")))
    assert outputs[0] is None and outputs[1].get_json() == {"query": "q1", "thinking": "by parity", "choice": "b"}


# Tool, Action, FunctionCallingAgent


def test_tool_schema_from_signature_and_docstring():
    tool = synalinks.Tool(add)
    schema = tool.get_schema()
    assert tool.name == "add" and tool.description == "Adds two numbers."
    assert schema["properties"]["a"] == {"type": "integer", "description": "The first number."}
    assert schema["properties"]["b"]["description"] == "The second number, zero by default."
    assert schema["required"] == ["a"]
    assert asyncio.run(tool(a=2, b=3)) == 5

    def sync_tool(items: list[str], flag: bool | None = None):
        return {"count": len(items), "flag": flag}

    sync = synalinks.Tool(sync_tool)
    assert sync.get_schema()["properties"]["items"] == {"type": "array", "items": {"type": "string"}}
    assert sync.get_schema()["properties"]["flag"] == {"type": "boolean"}
    assert asyncio.run(sync(items=["x", "y"])) == {"count": 2, "flag": None}


def test_action_fills_arguments_then_calls_the_tool(lm, tmp_path):
    program = build(lambda x: synalinks.Action(add, language_model=lm)(x))
    assert run(program, "q4").get_json() == {"action": {"inputs": {"a": 4, "b": 1}, "outputs": {"result": 5}}}
    assert lm.requests[-1][0]["content"].startswith("Give the arguments to call add")
    assert_round_trip(program, tmp_path)


def test_action_with_a_raising_tool_gives_the_error_as_outputs_and_warns(caplog):
    lm = ScriptedLanguageModel(replies=[{"a": 1, "b": 2}])
    action = synalinks.Action(broken_add, language_model=lm)
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        outputs = asyncio.run(action(Query(query="q1"))).get("action")["outputs"]
    assert outputs == {"error": "RuntimeError: calculator on fire"}
    assert "calculator on fire" in caplog.text


def test_action_with_arguments_that_break_the_schema_gives_none():
    lm = ScriptedLanguageModel(replies=[{"a": "one"}])
    assert asyncio.run(synalinks.Action(add, language_model=lm)(Query(query="q1"))) is None


def test_function_calling_agent_calls_tools_then_answers(lm, tmp_path):
    program = build(lambda x: synalinks.FunctionCallingAgent(data_model=Answer, tools=[add], language_model=lm)(x))
    output = run(program, "q6")
    assert output.get("answer") == "7"
    assert [message["role"] for message in output.get("messages")] == ["assistant", "tool"]
    assert output.get("messages")[1]["content"] == "7"
    assert_round_trip(program, tmp_path)
    with pytest.raises(ValueError, match="max_iterations"):
        synalinks.FunctionCallingAgent(data_model=Answer, tools=[add], language_model=lm, max_iterations=0)
    with pytest.raises(ValueError, match="at least one tool"):
        synalinks.FunctionCallingAgent(data_model=Answer, language_model=lm)


# Identity, Lambda, merges, masks


@synalinks.saving.register_synalinks_serializable(package="tests")
def shout(value):
    return {"answer": value["answer"].upper()}


def test_identity_lambda_and_masks(lm, tmp_path):
    async def outputs(x):
        answer = await synalinks.ChainOfThought(data_model=Answer, language_model=lm)(x)
        kept = await synalinks.InMask(mask=["answer"])(answer)
        dropped = await synalinks.OutMask(mask=["answer"])(answer)
        same = await synalinks.Identity()(kept)
        loud = await synalinks.Lambda(shout, data_model=Answer)(same)
        return [kept, dropped, loud]

    program = build(outputs)
    kept, dropped, loud = run(program, "q1")
    assert kept.get_json() == {"answer": "1"} and list(kept.get_schema()["properties"]) == ["answer"]
    assert dropped.get_json() == {"thinking": "let me think"}
    assert loud.get_json() == {"answer": "1"}
    assert_round_trip(program, tmp_path)


def test_lambda_errors_are_clear():
    bad = synalinks.Lambda(lambda value: ["not", "a", "dict"], data_model=Answer)
    with pytest.raises(TypeError, match="must return a dict or None"):
        asyncio.run(bad(Answer(answer="x")))
    with pytest.raises(ValueError, match="schema"):
        synalinks.Lambda(lambda value: value)
    with pytest.raises(ValueError, match="list of field names"):
        synalinks.InMask(mask="answer")


def test_merge_operators_on_values():
    a = synalinks.JsonDataModel(data_model=Answer(answer="a"))
    q = synalinks.JsonDataModel(data_model=Query(query="q"))
    assert (a | None).get_json() == {"answer": "a"}
    assert (None | a).get_json() == {"answer": "a"}
    assert (a | q).get_json() == {"answer": "a", "query": "q"}
    assert (a ^ None).get_json() == {"answer": "a"} and (a ^ q) is None and (None ^ a).get_json() == {"answer": "a"}
    assert ~a is None
    assert "answer" in a and "query" not in a
    assert "answer" in Answer(answer="x") and "query" not in Answer(answer="x")
    assert (Answer(answer="a") | Query(query="q")).get_json() == {"answer": "a", "query": "q"}


def test_merge_operators_while_tracing(lm, tmp_path):
    async def outputs(x):
        first = await synalinks.Generator(data_model=Answer, language_model=lm)(x)
        second = await synalinks.Generator(data_model=Query, language_model=lm)(x)
        assert "answer" in first and "query" not in first
        either = first | second
        only = first ^ second
        gated = first & ~second
        return [either, only, gated]

    program = build(outputs)
    either, only, gated = program.outputs
    assert either.get_schema()["required"] == [] and set(either.get_schema()["properties"]) == {"answer", "query"}
    values = run(program, "q2")
    assert values[0].get_json() == {"answer": "2"}, "the second generator's reply has no query field"
    assert_round_trip(program, tmp_path)


def test_not_gates_on_a_missing_value():
    not_module = synalinks.Not()
    assert asyncio.run(not_module(None)).get_json() == {}
    assert asyncio.run(not_module(Answer(answer="x"))) is None
