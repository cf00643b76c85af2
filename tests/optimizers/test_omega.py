import asyncio
import json

import pytest

import synalinks
from synalinks.modules import Trace
from synalinks.saving import deserialize, serialize
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, answer_of, make_data, qa_program


@synalinks.saving.register_synalinks_serializable(package="tests")
class TopicEmbeddings(synalinks.EmbeddingModel):
    """Texts that mention 'magic' point one way, the others another."""

    async def __call__(self, texts):
        return [[1.0, 0.0] if "magic" in text else [0.0, 1.0] for text in texts]


def magic_reply(messages, schema, index):
    """The program's model: right only when its instructions mention the magic rule."""
    if "magic" in messages[0]["content"]:
        return {"answer": answer_of(messages)}
    return {"answer": "wrong"}


def test_omega_mutation_rewrites_instructions_from_the_batch_and_training_improves():
    program_lm = ScriptedLanguageModel(reply_function=magic_reply)
    optimizer_lm = ScriptedLanguageModel(replies=[{"instructions": "Apply the magic rule."}])
    program = qa_program(program_lm)
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.OMEGA(
            language_model=optimizer_lm,
            embedding_model=TopicEmbeddings(model="fake/topics"),
            mutation_temperature=0.7,
            seed=0,
        ),
    )
    x, y = make_data(8)
    x_val, y_val = make_data(4, 40)
    assert program.evaluate(x_val, y_val, verbose=0)["reward"] == 0.0
    history = program.fit(x, y, validation_data=(x_val, y_val), batch_size=4, epochs=2, verbose=0)
    assert history.history["val_reward"][-1] == 1.0
    assert program.variables[0].get("instructions") == "Apply the magic rule."
    # The mutation request shows the batch: inputs, predictions, ground truths and rewards.
    payload = json.loads(optimizer_lm.requests[0][-1]["content"])
    assert payload["current"] == {"instructions": ""}
    sample = payload["samples"][0]
    assert set(sample) == {"inputs", "prediction", "ground_truth", "reward"}
    assert sample["prediction"] == {"answer": "wrong"} and sample["reward"] == 0.0
    assert optimizer_lm.request_kwargs[0] == {"temperature": 0.7}


def test_omega_crossover_of_two_good_candidates():
    optimizer_lm = ScriptedLanguageModel(replies=[{"instructions": "merged"}])
    omega = synalinks.optimizers.OMEGA(
        language_model=optimizer_lm,
        embedding_model=TopicEmbeddings(model="fake/topics"),
        merging_rate=1.0,
        crossover_temperature=0.3,
        similarity_threshold=1.0,
        seed=0,
    )
    generator = synalinks.Generator(data_model=Answer, language_model=ScriptedLanguageModel(replies=[{}]))
    omega.populations["variable_0"] = [
        {"value": {"instructions": "first", "examples": []}, "score": 0.9, "uses": 4},
        {"value": {"instructions": "second", "examples": []}, "score": 0.8, "uses": 4},
    ]
    trace = Trace()
    trace.record(generator.state, {"query": "q1"}, {"answer": "1"})
    asyncio.run(omega.optimize([generator.state], [trace], [0.0], [Answer(answer="2")]))
    payload = json.loads(optimizer_lm.requests[0][-1]["content"])
    assert {payload["candidate_1"]["fields"]["instructions"], payload["candidate_2"]["fields"]["instructions"]} == {
        "first",
        "second",
    }
    assert optimizer_lm.request_kwargs[0] == {"temperature": 0.3}
    assert generator.state.get("instructions") == "merged"


def test_selection_drops_worse_candidates_too_similar_to_better_ones():
    omega = synalinks.optimizers.OMEGA(
        language_model=ScriptedLanguageModel(replies=[{}]),
        embedding_model=TopicEmbeddings(model="fake/topics"),
        population_size=5,
        similarity_threshold=0.9,
    )
    population = [
        {"value": {"instructions": "magic a"}, "score": 0.5, "uses": 1},
        {"value": {"instructions": "magic b"}, "score": 0.9, "uses": 1},
        {"value": {"instructions": "plain"}, "score": 0.1, "uses": 1},
    ]
    asyncio.run(omega.select(None, population))
    assert [candidate["value"]["instructions"] for candidate in population] == ["magic b", "plain"]


def test_a_failed_proposal_keeps_training_going():
    program = qa_program(ScriptedLanguageModel(reply_function=magic_reply))
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.OMEGA(
            language_model=ScriptedLanguageModel(replies=["not json"]), embedding_model=TopicEmbeddings(model="f/t")
        ),
    )
    x, y = make_data(4)
    history = program.fit(x, y, batch_size=2, epochs=1, verbose=0)
    assert history.history["reward"] == [0.0]
    assert program.variables[0].get("instructions") == ""


def test_omega_config_and_state_round_trip(tmp_path):
    optimizer_lm = ScriptedLanguageModel(replies=[{"instructions": "Apply the magic rule."}], name="omega_lm")
    program = qa_program(ScriptedLanguageModel(reply_function=magic_reply, name="omega_program_lm"))
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.OMEGA(
            language_model=optimizer_lm,
            embedding_model=TopicEmbeddings(model="f/t"),
            population_size=4,
            merging_rate=0.5,
            selection="softmax",
        ),
    )
    x, y = make_data(4)
    program.fit(x, y, batch_size=2, epochs=1, verbose=0)
    config = serialize(program.optimizer)
    rebuilt = deserialize(json.loads(json.dumps(config)))
    assert rebuilt.population_size == 4 and rebuilt.selection == "softmax" and rebuilt.language_model is optimizer_lm
    state = program.optimizer.get_state()
    assert state["populations"]["variable_0"]
    with pytest.raises(ValueError, match="selection"):
        synalinks.optimizers.OMEGA(selection="worst")


def test_reflection_finds_a_better_instruction_and_the_race_keeps_it():
    """The proposer (a provider-shaped scripted model) writes one good instruction among bad ones."""

    def proposer(messages, schema, index):
        return {"instructions": "Apply the magic rule." if index == 3 else f"Answer briefly, version {index}."}

    proposer_lm = ScriptedLanguageModel(reply_function=proposer)
    program = qa_program(ScriptedLanguageModel(reply_function=magic_reply))
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.OMEGA(
            language_model=proposer_lm, embedding_model=TopicEmbeddings(model="fake/topics"), seed=0
        ),
    )
    x, y = make_data(16)
    x_val, y_val = make_data(6, 40)
    history = program.fit(x, y, validation_data=(x_val, y_val), batch_size=8, epochs=3, verbose=0, seed=0)
    assert len(proposer_lm.requests) > 6  # bad proposals kept coming after the good one
    assert program.variables[0].get("instructions") == "Apply the magic rule."
    assert history.history["val_reward"] == [1.0, 1.0, 1.0]
    # Every race after the good instruction appeared chose a candidate holding it.
    for trial in program.optimizer.trials:
        assert trial["candidates"][trial["chosen"]]["instructions"] == "Apply the magic rule."
    # Reflection reads the failures first, with what was expected.
    payload = json.loads(proposer_lm.requests[0][-1]["content"])
    assert payload["samples"][0]["reward"] == 0.0 and "ground_truth" in payload["samples"][0]


def test_reflection_parents_come_from_the_per_sample_pareto_front():
    proposer_lm = ScriptedLanguageModel(replies=[{"instructions": "child"}])
    omega = synalinks.optimizers.OMEGA(
        language_model=proposer_lm, embedding_model=TopicEmbeddings(model="fake/topics"), nb_candidates=4, seed=1
    )
    generator = synalinks.Generator(data_model=Answer, language_model=ScriptedLanguageModel(replies=[{}]))
    omega._index([generator.state])
    # "best" wins on most samples, "niche" on one the others miss; "beaten" on none.
    omega.populations["variable_0"] = [
        {"value": {"instructions": "best", "examples": []}, "score": 0.8, "uses": 8, "front": 7},
        {"value": {"instructions": "niche", "examples": []}, "score": 0.3, "uses": 8, "front": 1},
        {"value": {"instructions": "beaten", "examples": []}, "score": 0.7, "uses": 8, "front": 0},
    ]
    parents = []
    for _ in range(50):
        proposer_lm.requests.clear()
        asyncio.run(omega.propose_candidates(generator.state, [], {"instructions": "base", "examples": []}))
        parents += [json.loads(request[-1]["content"])["current"]["instructions"] for request in proposer_lm.requests]
    assert set(parents) == {"best", "niche"}
    assert parents.count("best") > 4 * parents.count("niche") > 0


def test_pareto_wins_count_the_samples_each_candidate_is_best_on():
    from synalinks.optimizers.candidate_race import pareto_wins as _pareto_wins

    assert _pareto_wins([[1, 0, 1], [0, 1, 1], [0, 0, 0]]) == [2, 2, 0]
    assert _pareto_wins([[], []]) == [0, 0]


@pytest.mark.embedded
def test_the_embedded_model_can_propose_without_crashing():
    """A small real model as proposer: its instructions may be poor, but training runs and the race judges them."""
    proposer = synalinks.LanguageModel(model="local/smollm2")
    program = qa_program(ScriptedLanguageModel(reply_function=magic_reply))
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.OMEGA(
            language_model=proposer,
            embedding_model=TopicEmbeddings(model="fake/topics"),
            nb_candidates=1,
            seed=0,
        ),
    )
    x, y = make_data(6)
    history = program.fit(x, y, batch_size=6, epochs=1, verbose=0, seed=0)
    assert proposer.usage.calls >= 2 and proposer.usage.failures == 0
    assert len(program.optimizer.trials) == 1
    assert isinstance(program.variables[0].get("instructions"), str)
    assert history.history["optimizer_calls"][0] >= 2
