import asyncio
import json

import numpy as np
import pytest

import synalinks
from synalinks.saving import DeserializationError, FileFormatError
from tests.conftest import Answer, Query, functional_qa, make_data, qa_program


def trained(program):
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(seed=1),
        metrics=[synalinks.metrics.Accuracy(in_mask=["answer"])],
    )
    x, y = make_data(8)
    program.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    return program


@pytest.mark.parametrize("build", [functional_qa, qa_program])
def test_save_and_load_program_round_trip(lm, tmp_path, build):
    program = trained(build(lm))
    path = tmp_path / "program.json"
    program.save(path)
    loaded = synalinks.programs.load_program(path)
    assert type(loaded) is type(program)
    assert loaded.name == program.name
    assert [v.get_json() for v in loaded.variables] == [v.get_json() for v in program.variables]
    assert loaded.variables[0].get("predictions"), "training filled the predictions pool"
    assert loaded.get_compile_config() == program.get_compile_config()
    assert loaded.optimizer.get_state() == program.optimizer.get_state()
    x, _ = make_data(6, offset=10)
    assert [p.get_json() for p in loaded.predict(x, verbose=0)] == [p.get_json() for p in program.predict(x, verbose=0)]
    # The same prompts are sent: the loaded program is the same program.
    assert synalinks.Program.load(path).modules[1].format_messages(
        synalinks.JsonDataModel(data_model=Query(query="q1"))
    ) == program.modules[1].format_messages(synalinks.JsonDataModel(data_model=Query(query="q1")))


def test_file_is_json_with_format_and_version(lm, tmp_path):
    program = qa_program(lm)
    program.save(tmp_path / "p.json")
    document = json.loads((tmp_path / "p.json").read_text())
    assert document["format"] == "synalinks.program" and document["format_version"] == 1
    program.save_variables(tmp_path / "p.variables.json")
    document = json.loads((tmp_path / "p.variables.json").read_text())
    assert document["format"] == "synalinks.variables" and "program" not in document


def test_uncompiled_program_round_trips_uncompiled(lm, tmp_path):
    qa_program(lm).save(tmp_path / "p.json")
    assert not synalinks.programs.load_program(tmp_path / "p.json").compiled


def test_save_and_load_variables(lm, tmp_path):
    program = trained(qa_program(lm))
    program.save_variables(tmp_path / "v.variables.json")
    fresh = qa_program(lm)
    assert fresh.variables[0].get("examples") == []
    fresh.load_variables(tmp_path / "v.variables.json")
    assert fresh.variables[0].get_json() == program.variables[0].get_json()


def test_load_variables_from_a_whole_program_file(lm, tmp_path):
    program = trained(qa_program(lm))
    program.save(tmp_path / "p.json")
    fresh = qa_program(lm)
    fresh.load_variables(tmp_path / "p.json")
    assert fresh.variables[0].get_json() == program.variables[0].get_json()


def test_load_variables_into_another_architecture_fails_and_changes_nothing(lm, tmp_path):
    program = trained(qa_program(lm))
    program.save_variables(tmp_path / "v.variables.json")

    async def build_two():
        inputs = synalinks.Input(data_model=Query)
        first = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
        second = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
        return synalinks.Program(inputs=inputs, outputs=first & second)

    other = asyncio.run(build_two())
    before = [v.snapshot() for v in other.variables]
    with pytest.raises(ValueError, match="does not fit this program.*1 module.*has 2") as error:
        other.load_variables(tmp_path / "v.variables.json")
    assert "v.variables.json" in str(error.value)
    assert [v.get_json() for v in other.variables] == before


def test_load_variables_with_a_value_that_breaks_the_schema(lm, tmp_path):
    program = qa_program(lm)
    path = tmp_path / "v.variables.json"
    program.save_variables(path)
    document = json.loads(path.read_text())
    document["variables"][0]["variables"]["state"]["examples"] = "not a list"
    path.write_text(json.dumps(document))
    with pytest.raises(FileFormatError, match="does not match its schema"):
        program.load_variables(path)


@pytest.mark.parametrize("damage", ["truncate", "version", "kind", "no_program"])
def test_damaged_program_files_fail_clearly(lm, tmp_path, damage):
    path = tmp_path / "p.json"
    qa_program(lm).save(path)
    text = path.read_text()
    document = json.loads(text)
    if damage == "truncate":
        path.write_text(text[: len(text) // 2])
        match = "not valid JSON"
    elif damage == "version":
        document["format_version"] = 7
        path.write_text(json.dumps(document))
        match = "format version 7"
    elif damage == "kind":
        document["format"] = "synalinks.variables"
        path.write_text(json.dumps(document))
        match = "is a variables file"
    else:
        del document["program"]
        path.write_text(json.dumps(document))
        match = "no 'program' section"
    with pytest.raises(FileFormatError, match=match) as error:
        synalinks.programs.load_program(path)
    assert str(path) in str(error.value)


def test_loading_never_builds_unregistered_classes(lm, tmp_path):
    path = tmp_path / "p.json"
    qa_program(lm).save(path)
    document = json.loads(path.read_text())
    document["program"]["config"]["modules"][0]["registered_name"] = "subprocess>Popen"
    path.write_text(json.dumps(document))
    with pytest.raises(DeserializationError, match="Unknown object 'subprocess>Popen'"):
        synalinks.programs.load_program(path)


def test_save_needs_a_json_path(lm, tmp_path):
    with pytest.raises(ValueError, match="must end in '.json'"):
        qa_program(lm).save(tmp_path / "p.txt")


def test_unregistered_reward_function_explains_how_to_load(lm, tmp_path):
    def my_reward(y_true, y_pred):
        return 1.0

    program = qa_program(lm)
    program.compile(reward=my_reward, optimizer=synalinks.optimizers.RandomFewShot())
    program.save(tmp_path / "p.json")
    with pytest.raises(DeserializationError, match="compile=False"):
        synalinks.programs.load_program(tmp_path / "p.json")
    assert not synalinks.programs.load_program(tmp_path / "p.json", compile=False).compiled
    loaded = synalinks.programs.load_program(tmp_path / "p.json", custom_objects={"my_reward": my_reward})
    assert loaded.reward.fn is my_reward


def test_predict_returns_object_array(lm):
    x, _ = make_data(3)
    predictions = qa_program(lm).predict(x, verbose=0)
    assert isinstance(predictions, np.ndarray) and predictions.dtype == object and len(predictions) == 3
