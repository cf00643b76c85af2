"""clear_session, enable_logging, Input(optional=...), and the saving names of Synalinks' reference."""

import logging

import pytest

import synalinks
from tests.conftest import Answer, Query


def test_clear_session_restarts_automatic_names(lm):
    synalinks.clear_session()
    first = synalinks.Generator(data_model=Answer, language_model=lm)
    synalinks.clear_session()
    again = synalinks.Generator(data_model=Answer, language_model=lm)
    assert first.name == again.name == "generator"


def test_enable_logging_writes_synalinks_lines_once(tmp_path):
    path = tmp_path / "log.txt"
    synalinks.enable_logging(log_level="info", to_file=str(path))
    synalinks.enable_logging(log_level="info", to_file=str(path))  # replaces, never doubles
    logging.getLogger("synalinks").info("hello from the test")
    for handler in logging.getLogger("synalinks").handlers:
        handler.flush()
    assert path.read_text().count("hello from the test") == 1
    with pytest.raises(ValueError, match="log_level"):
        synalinks.enable_logging(log_level="loud")
    logger = logging.getLogger("synalinks")
    for handler in list(logger.handlers):  # leave the logger as the other tests expect it
        if getattr(handler, "_synalinks_enable_logging", False):
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(logging.NOTSET)


def test_an_optional_input_may_be_none(lm):
    import asyncio

    async def build():
        query = synalinks.Input(data_model=Query)
        hint = synalinks.Input(data_model=Answer, optional=True)
        answer = await synalinks.Generator(data_model=Answer, language_model=lm)(query)
        return synalinks.Program(inputs=[query, hint], outputs=[answer, await synalinks.Identity()(hint)])

    program = asyncio.run(build())
    answer, hint = asyncio.run(program([Query(query="q4"), None]))
    assert answer.get_json() == {"answer": "1"} and hint is None
    required = synalinks.Program(inputs=program.inputs[0], outputs=program.outputs[0])
    with pytest.raises(ValueError, match="optional=True"):
        asyncio.run(required([None]))
    rebuilt = synalinks.saving.deserialize(synalinks.saving.serialize(program))
    assert [leaf._history.module.optional for leaf in rebuilt._input_leaves] == [False, True]


def test_the_saving_names_of_the_reference():
    saving = synalinks.saving
    assert saving.serialize_synalinks_object is saving.serialize
    assert saving.deserialize_synalinks_object is saving.deserialize

    class Shout(synalinks.rewards.ExactMatch):
        pass

    config = {"class_name": "Shout", "registered_name": "Custom>Shout", "config": {"name": "shout"}}
    with pytest.raises(saving.DeserializationError):
        saving.deserialize(config)
    with saving.CustomObjectScope({"Shout": Shout}):
        assert type(saving.deserialize(config)) is Shout
    saving.get_custom_objects()["Shout"] = Shout
    try:
        assert type(saving.deserialize(config)) is Shout
    finally:
        del saving.get_custom_objects()["Shout"]
    assert saving.get_registered_object("synalinks>Generator") is synalinks.Generator
    assert saving.get_registered_name(synalinks.Generator) == "synalinks>Generator"


def test_operators_on_data_model_classes_make_new_data_models():
    class Reasoning(synalinks.DataModel):
        thinking: str = synalinks.Field(description="Step by step")

    merged = Query + Answer
    assert issubclass(merged, synalinks.DataModel)
    assert merged.get_schema()["required"] == ["query", "answer"]
    assert merged(query="q", answer="a").get_json() == {"query": "q", "answer": "a"}
    assert (Answer & Answer).get_schema()["required"] == ["answer", "answer_1"], "nothing overwritten"
    either = Reasoning | Answer
    assert either(answer="4").get_json() == {"thinking": None, "answer": "4"}
    assert (Reasoning ^ Answer).get_schema()["properties"]["thinking"]["description"] == "Step by step"
    assert (~Query).get_schema()["properties"] == {}
    value = Query(query="q") + Answer(answer="a")
    assert value.get_json() == merged(query="q", answer="a").get_json(), "classes and values agree"


def test_rewards_get_serialize_deserialize():
    rewards = synalinks.rewards
    assert type(rewards.get("exact_match")) is rewards.ExactMatch
    assert type(rewards.get("ExactMatch")) is rewards.ExactMatch
    judge = rewards.ExactMatch(in_mask=["answer"])
    assert rewards.get(judge) is judge
    rebuilt = rewards.deserialize(rewards.serialize(judge))
    assert type(rebuilt) is rewards.ExactMatch and rewards.serialize(rebuilt) == rewards.serialize(judge)
    assert type(rewards.get(rewards.serialize(judge))) is rewards.ExactMatch
    assert type(rewards.get(lambda y_true, y_pred: 1.0)) is rewards.RewardFunctionWrapper
    with pytest.raises(ValueError, match="No reward is named 'exactness'"):
        rewards.get("exactness")


def test_config_names_of_the_reference(monkeypatch, tmp_path):
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    try:
        synalinks.config.set_default_language_model(lm)
        assert synalinks.config.default_language_model() is lm and synalinks.default_language_model() is lm
        assert synalinks.Generator(data_model=Answer).language_model is lm
    finally:
        synalinks.config.set_default_language_model(None)
    synalinks.set_seed(7)
    assert synalinks.get_seed() == 7 and synalinks.config.get_seed() == 7
    monkeypatch.setenv("SYNALINKS_HOME", str(tmp_path))
    assert synalinks.config.synalinks_home() == str(tmp_path)
