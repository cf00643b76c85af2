import asyncio

import pytest

import synalinks
from synalinks.modules import Trace
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer


def generator():
    return synalinks.Generator(data_model=Answer, language_model=ScriptedLanguageModel(replies=[{}]))


def traces_for(variable, pairs):
    traces = []
    for inputs, outputs in pairs:
        trace = Trace()
        trace.record(variable, inputs, outputs)
        traces.append(trace)
    return traces


def test_examples_are_drawn_from_the_best_rewarded_predictions():
    module = generator()
    optimizer = synalinks.optimizers.RandomFewShot(nb_min_examples=2, nb_max_examples=2, seed=0)
    pairs = [({"query": f"q{i}"}, {"answer": str(i)}) for i in range(6)]
    rewards = [1.0, 0.0, 1.0, 0.5, 1.0, 0.0]
    asyncio.run(optimizer.optimize([module.state], traces_for(module.state, pairs), rewards))
    examples = module.state.get("examples")
    assert len(examples) == 2
    assert {example["inputs"]["query"] for example in examples} <= {"q0", "q2", "q4"}
    assert [p["reward"] for p in module.state.get("predictions")] == [1.0, 1.0, 1.0, 0.5, 0.0, 0.0]
    assert optimizer.iterations == 1


def test_no_rewarded_prediction_keeps_the_examples():
    module = generator()
    module.state.update({"examples": [{"inputs": {"query": "x"}, "outputs": {"answer": "y"}}]})
    optimizer = synalinks.optimizers.RandomFewShot(seed=0)
    pairs = [({"query": "q1"}, {"answer": "1"}), ({"query": "q2"}, None)]
    asyncio.run(optimizer.optimize([module.state], traces_for(module.state, pairs), [0.0, 0.0]))
    assert module.state.get("examples") == [{"inputs": {"query": "x"}, "outputs": {"answer": "y"}}]
    assert len(module.state.get("predictions")) == 1, "failed calls are not candidates"


def test_same_seed_same_choices_and_state_round_trip():
    def run(optimizer):
        module = generator()
        pairs = [({"query": f"q{i}"}, {"answer": str(i)}) for i in range(10)]
        asyncio.run(optimizer.optimize([module.state], traces_for(module.state, pairs), [1.0] * 10))
        return module.state.get("examples")

    first = synalinks.optimizers.RandomFewShot(seed=4)
    assert run(first) == run(synalinks.optimizers.RandomFewShot(seed=4))
    restored = synalinks.optimizers.RandomFewShot(seed=99)
    restored.set_state(first.get_state())
    assert run(restored) == run(first)


def test_pool_is_bounded_and_arguments_checked():
    module = generator()
    optimizer = synalinks.optimizers.RandomFewShot(max_predictions=4, seed=0)
    pairs = [({"query": f"q{i}"}, {"answer": str(i)}) for i in range(10)]
    asyncio.run(optimizer.optimize([module.state], traces_for(module.state, pairs), [i / 10 for i in range(10)]))
    assert [p["inputs"]["query"] for p in module.state.get("predictions")] == ["q9", "q8", "q7", "q6"]
    with pytest.raises(ValueError, match="nb_min_examples"):
        synalinks.optimizers.RandomFewShot(nb_min_examples=3, nb_max_examples=1)
