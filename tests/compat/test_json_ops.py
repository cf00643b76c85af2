"""`synalinks.ops` (awaitable, values and symbolic) and the JsonDataModel methods (the sync forms)."""

import asyncio

import pytest

import synalinks
from synalinks import ops
from tests.conftest import Answer, Query


def _run(coroutine):
    return asyncio.run(coroutine)


def test_logical_operations_on_values_handle_none():
    query, answer = Query(query="q"), Answer(answer="a")
    assert _run(ops.concat(query, answer)).get_json() == {"query": "q", "answer": "a"}
    with pytest.raises(ValueError, match="None"):
        _run(ops.concat(query, None))
    assert _run(ops.logical_and(query, None)) is None
    assert _run(ops.logical_or(None, answer)).get_json() == {"answer": "a"}
    assert _run(ops.logical_or(query, answer)).get_json() == {"query": "q", "answer": "a"}
    assert _run(ops.logical_xor(query, answer)) is None
    assert _run(ops.logical_xor(None, answer)).get_json() == {"answer": "a"}
    assert _run(ops.logical_not(query)) is None


def test_masks_renames_and_factorize_on_values():
    value = synalinks.JsonDataModel(data_model=Query(query="q")) + Answer(answer="a") + Answer(answer="b")
    assert value.get_json() == {"query": "q", "answer": "a", "answer_1": "b"}
    assert _run(ops.in_mask(value, mask=["query"])).get_json() == {"query": "q"}
    assert value.out_mask(["query"]).get_json() == {"answer": "a", "answer_1": "b"}
    assert value.prefix("draft").get_json() == {"draft_query": "q", "draft_answer": "a", "draft_answer_1": "b"}
    assert _run(ops.suffix(value, suffix="v2")).get_schema()["required"] == ["query_v2", "answer_v2", "answer_1_v2"]
    factorized = _run(ops.factorize(value))
    assert factorized.get_json() == {"query": "q", "answers": ["a", "b"]}
    assert factorized.get_schema()["properties"]["answers"]["type"] == "array"


def test_json_data_model_methods():
    value = synalinks.JsonDataModel(data_model=Answer(answer="a"))
    assert list(value.items()) == [("answer", "a")] and list(value.values()) == ["a"]
    copy = value.clone(name="copy")
    copy.update({"answer": "b"})
    assert (value.get("answer"), copy.get("answer"), copy.name) == ("a", "b", "copy")
    with pytest.raises(ValueError, match="schema"):
        copy.update({"answer": 3})
    symbolic = value.to_symbolic_data_model()
    assert isinstance(symbolic, synalinks.SymbolicDataModel) and symbolic.get_schema() == value.get_schema()


def test_ops_on_symbolic_data_models_become_steps_of_the_program(lm):
    async def build():
        inputs = synalinks.Input(data_model=Query)
        first = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
        second = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
        both = await ops.concat(first, second)
        named = await ops.prefix(await ops.factorize(both), prefix="final")
        return synalinks.Program(inputs=inputs, outputs=named)

    program = asyncio.run(build())
    assert program.outputs.get_schema()["required"] == ["final_answers"]
    result = asyncio.run(program(Query(query="q5")))
    assert result.get_json() == {"final_answers": ["2", "2"]}
    rebuilt = synalinks.programs.program_from_json(program.to_json())
    assert [type(module).__name__ for module in rebuilt.modules][-2:] == ["JsonOperation", "JsonOperation"]
