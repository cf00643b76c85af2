import asyncio

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query, correct_reply, functional_qa, qa_program


def test_functional_program_runs(lm):
    program = functional_qa(lm)
    assert isinstance(program, synalinks.Program)
    assert asyncio.run(program(Query(query="q5"))).get_json() == {"answer": "2"}


def test_independent_branches_run_concurrently():
    lm = ScriptedLanguageModel(reply_function=correct_reply, latency=0.05)

    async def build_and_run():
        inputs = synalinks.Input(data_model=Query)
        first = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
        second = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
        third = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
        program = synalinks.Program(inputs=inputs, outputs=first & second & third)
        return await program(Query(query="q4"))

    result = asyncio.run(build_and_run())
    assert result.get_json() == {"answer": "1", "answer_1": "1", "answer_2": "1"}
    assert lm.max_in_flight == 3


def test_multiple_inputs_and_outputs(lm):
    async def build():
        first = synalinks.Input(data_model=Query)
        second = synalinks.Input(data_model=Query)
        out_first = await synalinks.Generator(data_model=Answer, language_model=lm)(first)
        out_second = await synalinks.Generator(data_model=Answer, language_model=lm)(second)
        return synalinks.Program(inputs=[first, second], outputs=[out_first, out_second])

    program = asyncio.run(build())
    outputs = asyncio.run(program([Query(query="q1"), Query(query="q2")]))
    assert [output.get_json() for output in outputs] == [{"answer": "1"}, {"answer": "2"}]
    with pytest.raises(ValueError, match="takes 2 input"):
        asyncio.run(program(Query(query="q1")))


def test_output_that_needs_an_input_not_given_is_rejected(lm):
    async def build():
        given = synalinks.Input(data_model=Query)
        other = synalinks.Input(data_model=Query)
        merged = given & other
        return synalinks.Program(inputs=given, outputs=merged)

    with pytest.raises(ValueError, match="not in the program's inputs"):
        asyncio.run(build())


def test_non_symbolic_outputs_are_rejected():
    with pytest.raises(ValueError, match="synalinks.Input"):
        synalinks.Program(inputs=synalinks.Input(data_model=Query), outputs=Answer(answer="x"))


def test_duplicate_module_names_are_rejected(lm):
    async def build():
        inputs = synalinks.Input(data_model=Query)
        first = await synalinks.Generator(data_model=Answer, language_model=lm, name="same")(inputs)
        second = await synalinks.Generator(data_model=Answer, language_model=lm, name="same")(inputs)
        return synalinks.Program(inputs=inputs, outputs=first & second)

    with pytest.raises(ValueError, match="named 'same'"):
        asyncio.run(build())


def test_sequential(lm):
    program = qa_program(lm)
    assert asyncio.run(program(Query(query="q3"))).get_json() == {"answer": "0"}
    with pytest.raises(ValueError, match="first item of Sequential"):
        synalinks.Sequential([synalinks.Generator(data_model=Answer, language_model=lm)])


@synalinks.saving.register_synalinks_serializable(package="tests")
class TwoStep(synalinks.Program):
    def __init__(self, language_model=None, **kwargs):
        super().__init__(**kwargs)
        self.language_model = language_model
        self.first = synalinks.Generator(data_model=Answer, language_model=language_model)
        self.second = synalinks.Generator(data_model=Answer, language_model=language_model)

    async def call(self, inputs, training=False):
        first = await self.first(inputs, training=training)
        return await self.second(inputs, training=training) if first is not None else None

    def get_config(self):
        return {**super().get_config(), "language_model": synalinks.saving.serialize(self.language_model)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["language_model"] = synalinks.saving.deserialize(config["language_model"])
        return cls(**config)


def test_subclassed_program_runs_trains_and_round_trips(lm, tmp_path):
    program = TwoStep(language_model=lm, name="two_step")
    assert len(program.trainable_variables) == 2
    assert asyncio.run(program(Query(query="q2"))).get_json() == {"answer": "2"}
    program.first.state.update({"instructions": "first!"})
    program.save(tmp_path / "two.json")
    loaded = synalinks.programs.load_program(tmp_path / "two.json")
    assert isinstance(loaded, TwoStep)
    assert loaded.first.state.get("instructions") == "first!"
    assert asyncio.run(loaded(Query(query="q2"))).get_json() == {"answer": "2"}


def test_subclass_init_must_not_forward_unknown_arguments():
    class Bad(synalinks.Program):
        def __init__(self, language_model=None):
            super().__init__(language_model=language_model)

    with pytest.raises(TypeError, match="unexpected arguments"):
        Bad(language_model=None)


def test_summary_lists_modules_schemas_and_trainability(lm):
    program = qa_program(lm)
    lines = []
    program.summary(print_fn=lines.append)
    text = lines[0]
    assert 'Program: "qa"' in text
    assert "(Generator)" in text and "Answer(answer)" in text and "(InputModule)" in text
    generator_row = next(line for line in text.splitlines() if "(Generator)" in line)
    assert generator_row.split()[-1] == "yes"
    assert "Trainable variables: 1" in text
