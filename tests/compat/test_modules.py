"""Decision, MultiDecision, Branch, SelfCritique, custom modules and built-in data models, as Synalinks documents them."""

import asyncio

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query


def _query(text="2+2?"):
    return synalinks.JsonDataModel(data_model=Query(query=text))


def _routing_lm(choice):
    """Answers a decision with `choice` (a label or a list of labels) and every other call with an answer."""

    def reply(messages, schema, index):
        if "choice" in schema["properties"]:
            return {"thinking": "routing", "choice": choice}
        if "choices" in schema["properties"]:
            return {"thinking": "routing", "choices": choice}
        return {"answer": "4"}

    return ScriptedLanguageModel(reply_function=reply)


def _branch(lm, **kwargs):
    return synalinks.Branch(
        question="Easy or hard?",
        labels=["easy", "hard"],
        branches=[
            synalinks.Generator(data_model=Answer, language_model=lm),
            synalinks.Generator(data_model=Answer, language_model=lm),
        ],
        language_model=lm,
        **kwargs,
    )


def test_branch_defaults_inject_and_return_the_decision_in_fixed_slots():
    lm = _routing_lm("hard")
    easy, hard = asyncio.run(_branch(lm)(_query()))
    assert easy is None
    assert hard.get_json() == {"thinking": "routing", "choice": "hard", "answer": "4"}
    branch_prompt = lm.requests[-1][-1]["content"]
    assert '"choice": "hard"' in branch_prompt, "inject_decision=True gives the branch the decision"

    lm = _routing_lm("easy")
    easy, hard = asyncio.run(_branch(lm, inject_decision=False, return_decision=False)(_query()))
    assert easy.get_json() == {"answer": "4"} and hard is None
    assert "choice" not in lm.requests[-1][-1]["content"]


def test_branch_symbolic_outputs_have_the_schema_of_the_values():
    async def build():
        inputs = synalinks.Input(data_model=Query)
        easy, hard = await _branch(_routing_lm("easy"))(inputs)
        return synalinks.Program(inputs=inputs, outputs=easy | hard)

    program = asyncio.run(build())
    assert list(program.outputs.get_schema()["properties"]) == ["thinking", "choice", "answer"]
    value = asyncio.run(program(Query(query="1+3?")))
    assert list(value.get_json()) == ["thinking", "choice", "answer"]


def test_branch_with_multi_decision_runs_every_chosen_branch_and_round_trips(tmp_path):
    lm = _routing_lm(["easy", "hard"])
    branch = _branch(lm, decision_type=synalinks.MultiDecision, return_decision=False, temperature=0.3)
    assert isinstance(branch.decision, synalinks.MultiDecision)
    assert branch.decision.sampling == {"temperature": 0.3}, "the decision's generator arguments reach it"
    easy, hard = asyncio.run(branch(_query()))
    assert easy.get_json() == hard.get_json() == {"answer": "4"}

    async def build():
        inputs = synalinks.Input(data_model=Query)
        outputs = await branch(inputs)
        return synalinks.Program(inputs=inputs, outputs=list(outputs))

    program = asyncio.run(build())
    program.save(tmp_path / "p.program.json")
    loaded = synalinks.programs.load_program(tmp_path / "p.program.json")
    reloaded = loaded.get_module(name=branch.name)
    assert reloaded.decision_type is synalinks.MultiDecision and reloaded.return_decision is False
    assert reloaded.decision.sampling == {"temperature": 0.3}
    with pytest.raises(TypeError, match="decision_type"):
        _branch(lm, decision_type=synalinks.Generator)


def test_multi_decision_inline_and_referenced_enums_both_hold_the_labels():
    inline = synalinks.MultiDecision(question="Topics?", labels=["a", "b"], language_model=_routing_lm(["a"]))
    assert inline.inline is True and inline.schema["properties"]["choices"]["items"]["enum"] == ["a", "b"]
    lm = _routing_lm(["b", "c"])
    referenced = synalinks.MultiDecision(question="Topics?", labels=["a", "b"], language_model=lm, inline=False)
    assert referenced.schema["properties"]["choices"]["items"] == {"$ref": "#/$defs/Label"}
    assert referenced.schema["$defs"]["Label"]["enum"] == ["a", "b"]
    assert asyncio.run(referenced(_query())) is None, "a label outside the enum is refused"
    assert referenced.get_config()["inline"] is False


@pytest.mark.parametrize(
    "score_type, reply, expected",
    [(synalinks.Rating, 4, 0.75), ("Rating10", 1, 0.0), (synalinks.Score, 0.7, 0.7), (None, 0.85, 0.85)],
)
def test_self_critique_grades_on_its_scale_and_outputs_a_normalized_reward(score_type, reply, expected):
    lm = ScriptedLanguageModel(replies=[{"critique": "fine", "reward": reply}])
    critique = synalinks.SelfCritique(language_model=lm, score_type=score_type)
    levels = critique.schema["properties"]["reward"]["enum"]
    assert (
        reply in levels
        and len(levels) == {synalinks.Rating: 5, "Rating10": 10, synalinks.Score: 11, None: 21}[score_type]
    )
    assert f"{levels[0]} being very bad" in critique.state.get("instructions")
    value = asyncio.run(critique(_query()))
    assert value.get_json() == {"query": "2+2?", "critique": "fine", "reward": expected}
    assert value.get_schema()["properties"]["reward"]["maximum"] == 1.0
    rebuilt = synalinks.SelfCritique.from_config(critique.get_config())
    assert rebuilt.score_type is critique.score_type


def test_self_critique_refuses_a_grade_off_the_scale():
    lm = ScriptedLanguageModel(replies=[{"critique": "fine", "reward": 7}])
    assert (
        asyncio.run(synalinks.SelfCritique(language_model=lm, score_type="Rating", return_inputs=False)(_query()))
        is None
    )
    with pytest.raises(ValueError, match="score type"):
        synalinks.SelfCritique(language_model=lm, score_type="Stars")


class Doubler(synalinks.Module):
    """A custom module written the Synalinks way: async compute_output_spec calling a submodule."""

    def __init__(self, language_model=None, **kwargs):
        super().__init__(**kwargs)
        self.generator = synalinks.Generator(data_model=Answer, language_model=language_model)

    async def call(self, inputs, training=False):
        answer = await self.generator(inputs, training=training)
        return synalinks.JsonDataModel(schema=answer.get_schema(), json={"answer": answer.get("answer") * 2})

    async def compute_output_spec(self, inputs, training=False):
        return await self.generator(inputs)


def test_a_module_with_async_compute_output_spec_builds_a_functional_program():
    async def build():
        inputs = synalinks.Input(data_model=Query)
        outputs = await Doubler(language_model=ScriptedLanguageModel(replies=[{"answer": "ab"}]))(inputs)
        return synalinks.Program(inputs=inputs, outputs=outputs)

    program = asyncio.run(build())
    assert program.outputs.get_schema() == Answer.get_schema()
    assert asyncio.run(program(Query(query="x"))).get_json() == {"answer": "abab"}


class Persona(synalinks.Trainable):
    persona: str = synalinks.Field(default="a helpful assistant", description="Who the assistant is")


class Plain(synalinks.DataModel):
    count: int = synalinks.Field(default=0, description="A counter")


def test_add_variable_makes_trainable_only_variables_of_trainable_data_models():
    class Holder(synalinks.Module):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.persona = self.add_variable(data_model=Persona, name="persona", description="The persona")
            self.counter = self.add_variable(data_model=Plain, name="counter")

    holder = Holder()
    assert holder.persona.get("persona") == "a helpful assistant"
    assert list(holder.persona.keys())[:3] == ["examples", "current_predictions", "predictions"]
    assert holder.persona.description == "The persona"
    assert holder.trainable_variables == [holder.persona]
    assert holder.non_trainable_variables == [holder.counter] and holder.counter.get_json() == {"count": 0}


def test_built_in_data_models_and_is_helpers():
    prediction = synalinks.Prediction(inputs={"query": "q"}, outputs={"answer": "a"}, reward=1.0)
    assert synalinks.is_prediction(prediction) and not synalinks.is_prediction(Answer)
    assert synalinks.is_trainable(synalinks.Instructions) and synalinks.is_instructions(synalinks.Instructions)
    assert not synalinks.is_instructions(synalinks.Trainable)
    assert Persona(persona="x")["persona"] == "x" and Persona().get("missing", 1) == 1
    with pytest.raises(KeyError, match="no field 'missing'"):
        Persona()["missing"]
    assert synalinks.is_embeddings(synalinks.Embeddings(embeddings=[[0.1, 0.2]]))
    assert synalinks.is_embedding(synalinks.data_models.Embedding) and synalinks.is_embedded(
        synalinks.data_models.Embedding
    )
    assert synalinks.is_stamped(synalinks.Stamp) and not synalinks.is_stamped(Answer)
    merged = synalinks.GenericInputs(inputs={"a": 1}) + synalinks.GenericOutputs(outputs={"b": 2})
    assert merged.get_json() == {"inputs": {"a": 1}, "outputs": {"b": 2}}
    assert synalinks.GenericResult(result=[1, "x"]).get_json() == {"result": [1, "x"]}
    assert float(synalinks.Score.GOOD) == 0.9 and int(synalinks.Rating.RATING_5) == 5
    assert [level.value for level in synalinks.FineScore][:3] == [0.0, 0.05, 0.1]
