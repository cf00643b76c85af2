import asyncio

import pytest

import synalinks
from tests.conftest import Answer, Query


class Upper(synalinks.Module):
    async def call(self, inputs, training=False):
        return synalinks.JsonDataModel(
            schema=inputs.get_schema(), json={key: value.upper() for key, value in inputs.get_json().items()}
        )

    def compute_output_spec(self, inputs):
        return synalinks.SymbolicDataModel(schema=inputs.get_schema())


def test_custom_module_runs_on_data_and_traces_on_symbols():
    module = Upper()
    assert asyncio.run(module(Query(query="hi"))).get_json() == {"query": "HI"}
    symbolic = asyncio.run(module(synalinks.Input(data_model=Query)))
    assert isinstance(symbolic, synalinks.SymbolicDataModel)
    assert symbolic._history[0] is module


def test_default_names_are_unique_and_config_round_trips():
    first, second = Upper(), Upper()
    assert first.name != second.name and first.name.startswith("upper")
    rebuilt = Upper.from_config(first.get_config())
    assert rebuilt.name == first.name


def test_module_without_output_spec_says_how_to_fix():
    class NoSpec(synalinks.Module):
        async def call(self, inputs, training=False):
            return inputs

    with pytest.raises(NotImplementedError, match="compute_output_spec"):
        asyncio.run(NoSpec()(synalinks.Input(data_model=Query)))


def test_and_and_concat_modules():
    left = synalinks.JsonDataModel(data_model=Answer(answer="a"))
    right = synalinks.JsonDataModel(data_model=Query(query="q"))
    assert asyncio.run(synalinks.And()([left, right])).get_json() == {"answer": "a", "query": "q"}
    assert asyncio.run(synalinks.And()([left, None])) is None
    with pytest.raises(ValueError, match="None"):
        asyncio.run(synalinks.Concat()([left, None]))


def test_variables_of_tracked_submodules():
    class Pair(synalinks.Module):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.own = self.add_variable(initializer={"x": 1}, name="own")
            self.children = [Upper(), Upper()]
            self.children[0].add_variable(initializer={"y": 2}, name="inner")

    pair = Pair()
    assert [variable.name for variable in pair.variables] == ["own", "inner"]
    assert pair.variables[1].path.endswith("/inner")


def test_a_misspelt_keyword_argument_says_which_one_was_meant():
    with pytest.raises(TypeError, match="unexpected keyword argument 'instuctions'") as caught:
        synalinks.Generator(data_model=Answer, instuctions="Be brief.")
    assert any("Did you mean `instructions`?" in note for note in caught.value.__notes__)

    class Shout(synalinks.Module):
        def __init__(self, loudness=1, **kwargs):
            super().__init__(**kwargs)
            self.loudness = loudness

    with pytest.raises(TypeError) as caught:
        Shout(loudnes=3)
    assert any("Did you mean `loudness`?" in note for note in caught.value.__notes__)
    with pytest.raises(TypeError) as caught:
        Shout(zzz=3)
    assert not getattr(caught.value, "__notes__", None), "no guess when nothing is close"
    assert Shout(loudness=2, name="shout").loudness == 2
