"""Files written by Synalinks 0.10.14 (fixtures/synalinks_0_10_14, see make_fixtures.py there) load here."""

import asyncio
import json
import pathlib

import pytest

import synalinks
from synalinks.saving import DeserializationError, FileFormatError
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "synalinks_0_10_14"
OLLAMA = ["http://localhost:11434"]


def _load(name, **kwargs):
    return synalinks.programs.load_program(FIXTURES / f"{name}.program.json", **kwargs)


def test_a_compiled_program_loads_with_its_state_compile_config_and_a_note_of_what_was_left_out():
    program = _load("qa", allowed_api_bases=OLLAMA)
    generator = program.get_module(name="answerer")
    assert isinstance(generator, synalinks.Generator) and generator.sampling == {"temperature": 0.2}
    assert generator.language_model.model == "ollama_chat/mistral"
    assert generator.state.get("instructions") == "Answer in one word."
    assert program.outputs.get_schema()["properties"]["answer"]["description"] == "The correct answer"
    optimizer = program.optimizer
    assert isinstance(optimizer, synalinks.optimizers.RandomFewShot)
    assert (optimizer.nb_min_examples, optimizer.nb_max_examples, optimizer.sampling) == (1, 3, "softmax")
    assert program.get_compile_config()["reward"]["config"]["in_mask"] == ["answer"]
    assert program.checkpoint_info == {
        "upgraded_from": "synalinks 0.10.014",
        "ignored_arguments": ["$.compile_config.optimizer.reward_uncertainty"],
    }


def test_safe_mode_still_guards_the_servers_of_a_synalinks_file():
    with pytest.raises(DeserializationError, match="localhost:11434"):
        _load("qa")


def test_a_trained_program_runs_with_its_examples_and_saves_in_our_format(tmp_path):
    lm = ScriptedLanguageModel(replies=[{"answer": "6"}])
    program = _load("trained", language_model=lm)
    state = program.get_module(name="answerer").state.get_json()
    assert state["examples"] == [{"inputs": {"query": "2+2?"}, "outputs": {"answer": "4"}}]
    assert state["predictions"] == [{"inputs": {"query": "3+3?"}, "outputs": {"answer": "6"}, "reward": 1.0}]
    assert asyncio.run(program(Query(query="3+3?"))).get_json() == {"answer": "6"}
    messages = lm.requests[0]
    assert "Answer with a number." in messages[0]["content"], "their prompt template renders our state"
    assert '{"query": "2+2?"}' in messages[0]["content"], "their template puts the examples in the system message"
    program.save(tmp_path / "ours.program.json")
    saved = json.loads((tmp_path / "ours.program.json").read_text())
    assert saved["format"] == "synalinks.program"
    again = synalinks.programs.load_program(tmp_path / "ours.program.json", language_model=lm)
    assert again.get_module(name="answerer").state.get_json() == state


def test_chain_of_thought_and_branch_programs_keep_their_graph_and_every_state():
    cot = _load("cot", allowed_api_bases=OLLAMA)
    assert list(cot.outputs.get_schema()["properties"]) == ["thinking", "answer"]
    assert cot.get_module(name="thinker").sampling == {"reasoning_effort": "low"}

    branch_program = _load("branch", allowed_api_bases=OLLAMA)
    router = branch_program.get_module(name="router")
    assert isinstance(router, synalinks.Branch) and router.inject_decision and router.return_decision
    assert [type(b).__name__ for b in router.branches] == ["Generator", "ChainOfThought"]
    assert router.decision.state.get("instructions").startswith("You will be given a question")
    lm = ScriptedLanguageModel(
        reply_function=lambda messages, schema, index: (
            {"thinking": "t", "choice": "easy"} if "choice" in schema["properties"] else {"answer": "4"}
        )
    )
    routed = synalinks.programs.load_program(FIXTURES / "branch.program.json", language_model=lm)
    assert asyncio.run(routed(Query(query="2+2?"))).get_json() == {"thinking": "t", "choice": "easy", "answer": "4"}


def test_load_variables_reads_a_synalinks_variables_file_into_a_program_built_here():
    async def build():
        inputs = synalinks.Input(data_model=Query)
        outputs = await synalinks.Generator(
            data_model=Answer, language_model=ScriptedLanguageModel(replies=[]), name="answerer"
        )(inputs)
        return synalinks.Program(inputs=inputs, outputs=outputs)

    program = asyncio.run(build())
    program.load_variables(FIXTURES / "trained.variables.json")
    assert program.get_module(name="answerer").state.get("instructions") == "Answer with a number."
    assert len(program.get_module(name="answerer").state.get("examples")) == 1

    other = asyncio.run(build())
    other.get_module(name="answerer").name = "renamed"
    with pytest.raises(FileFormatError, match="'answerer', which matches no module"):
        other.load_variables(FIXTURES / "trained.variables.json")


def test_a_module_we_do_not_have_is_named_in_the_error(tmp_path):
    document = json.loads((FIXTURES / "qa.program.json").read_text())
    document["config"]["modules"][1]["class_name"] = "CypherAgent"
    (tmp_path / "agent.program.json").write_text(json.dumps(document))
    with pytest.raises(FileFormatError, match="CypherAgent"):
        synalinks.programs.load_program(tmp_path / "agent.program.json", allowed_api_bases=OLLAMA)
