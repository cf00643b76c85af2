"""Program and Sequential methods of Synalinks' reference: add/pop, get_module, to_json /
program_from_json, state trees, *_on_batch, steps arguments, build for subclassed programs."""

import asyncio

import pytest

import synalinks
from tests.conftest import Answer, Query, make_data, qa_program


def test_an_empty_sequential_grows_with_add_and_shrinks_with_pop(lm):
    program = synalinks.Sequential(name="grown")
    program.add(synalinks.Input(data_model=Query))
    with pytest.raises(ValueError, match="no module yet"):
        program.predict(make_data(1)[0], verbose=0)
    first = synalinks.Generator(data_model=Answer, language_model=lm, name="first")
    second = synalinks.Generator(data_model=Answer, language_model=lm, name="second")
    program.add(first)
    program.add(second)
    assert [module.name for module in program.modules][-2:] == ["first", "second"]
    assert program.pop() is second
    assert program.modules[-1] is first
    assert program.predict(make_data(2)[0], verbose=0)[1].get_json() == {"answer": "1"}
    with pytest.raises(TypeError):
        program.add("not a module")


def test_get_module_by_name_or_index(lm):
    program = qa_program(lm)
    generator = program.modules[-1]
    assert program.get_module(name=generator.name) is generator
    assert program.get_module(index=-1) is generator
    with pytest.raises(ValueError, match="No module is named"):
        program.get_module(name="nothing")
    with pytest.raises(ValueError, match="either"):
        program.get_module()


def test_to_json_and_program_from_json_rebuild_the_architecture(lm):
    program = qa_program(lm)
    text = program.to_json(indent=2)
    rebuilt = synalinks.programs.program_from_json(text)
    assert rebuilt.to_json(indent=2) == text
    assert [type(module).__name__ for module in rebuilt.modules] == [type(m).__name__ for m in program.modules]
    with pytest.raises(ValueError, match="to_json"):
        synalinks.programs.program_from_json("{not json")


def test_state_trees_move_variables_between_programs(lm):
    source, target = qa_program(lm, name="a"), qa_program(lm, name="b")
    source.modules[-1].state.update({"instructions": "Be brief."})
    tree = source.get_state_tree()
    assert list(tree) == ["trainable_variables", "non_trainable_variables"]
    renamed = {
        group: {path.replace(source.modules[-1].name, target.modules[-1].name): v for path, v in values.items()}
        for group, values in tree.items()
    }
    target.set_state_tree(renamed)
    assert target.modules[-1].state.get("instructions") == "Be brief."
    with pytest.raises(ValueError, match="does not fit"):
        target.set_state_tree({"trainable_variables": {"x/y": {}}})


def test_train_test_and_predict_on_batch(learning_lm):
    program = qa_program(learning_lm)
    program.compile(
        optimizer=synalinks.optimizers.RandomFewShot(seed=0, nb_candidates=0), reward=synalinks.rewards.ExactMatch()
    )
    x, y = make_data(8)
    before = program.test_on_batch(x, y, return_dict=True)
    program.train_on_batch(x, y)
    after = program.test_on_batch(x, y, return_dict=True)
    assert before["reward"] < after["reward"] == 1.0, "the step put examples in the prompt"
    assert isinstance(program.test_on_batch(x, y), list)
    assert [output.get_json()["answer"] for output in program.predict_on_batch(x[:3])] == ["0", "1", "2"]


def test_steps_limit_evaluate_predict_and_validation(lm):
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch())
    x, y = make_data(10)
    calls = lm.call_count
    program.evaluate(x, y, batch_size=2, steps=2, verbose=0)
    assert lm.call_count - calls == 4
    assert len(program.predict(x, batch_size=3, steps=1, verbose=0)) == 3
    calls = lm.call_count
    program.fit(x[:2], y[:2], validation_data=(x, y), validation_batch_size=2, validation_steps=1, verbose=0)
    assert lm.call_count - calls == 2 + 2


def test_a_subclassed_program_is_built_on_a_data_model(lm):
    class TwoSteps(synalinks.Program):
        def __init__(self, language_model=None, **kwargs):
            super().__init__(**kwargs)
            self.answer = synalinks.Generator(data_model=Answer, language_model=language_model)

        async def call(self, inputs, training=False):
            return await self.answer(inputs, training=training)

    program = TwoSteps(language_model=lm)
    output = asyncio.run(program.build(Query))
    assert output.get_schema()["properties"].keys() == {"answer"}
    with pytest.raises(ValueError, match="fields"):
        program.compile(reward=synalinks.rewards.ExactMatch())
        program.evaluate(make_data(2)[1], make_data(2)[1], verbose=0)
