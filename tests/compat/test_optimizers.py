"""Optimizers with Synalinks' arguments, and its base classes to subclass."""

import asyncio
import json

import pytest

import synalinks
from synalinks.saving import deserialize, serialize
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import answer_of, make_data, qa_program
from tests.optimizers.test_omega import TopicEmbeddings, magic_reply


def test_a_greedy_optimizer_subclass_sets_its_own_example_sets():
    class FewestShots(synalinks.optimizers.GreedyOptimizer):
        """Always the fewest examples."""

        async def propose(self, variable, calls):
            return {"examples": self.sample_best_predictions(variable, count=self.nb_min_examples)}

    optimizer = FewestShots(nb_min_examples=1, nb_max_examples=2, nb_candidates=0, seed=0)
    assert (optimizer.sampling, optimizer.sampling_temperature) == ("softmax", 0.3), "Synalinks' defaults"
    assert optimizer.description == "Always the fewest examples."
    program = qa_program(ScriptedLanguageModel(reply_function=lambda m, s, i: {"answer": answer_of(m)}))
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=optimizer)
    x, y = make_data(6)
    program.fit(x, y, batch_size=2, epochs=1, verbose=0)
    assert len(program.variables[0].get("examples")) == 1


def test_an_evolutionary_optimizer_subclass_mutates_and_merges():
    class Magic(synalinks.optimizers.EvolutionaryOptimizer):
        """Mutations add the magic rule; crossovers keep the better parent."""

        mutations = 0

        async def mutate_candidate(self, variable, fields, samples, schema):
            Magic.mutations += 1
            assert samples and {"inputs", "prediction", "ground_truth", "reward"} <= set(samples[0])
            return {"instructions": "Apply the magic rule."}

        async def merge_candidate(self, variable, first, second, schema):
            return first["fields"] if first["score"] >= second["score"] else second["fields"]

    program = qa_program(ScriptedLanguageModel(reply_function=magic_reply))
    optimizer = Magic(selection="random", merging_rate=0.5, seed=0, embedding_model=None, nb_candidates=2)
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=optimizer)
    x, y = make_data(8)
    history = program.fit(x, y, validation_data=make_data(4, 40), batch_size=4, epochs=2, verbose=0)
    assert Magic.mutations >= 1 and history.history["val_reward"][-1] == 1.0
    assert program.variables[0].get("instructions") == "Apply the magic rule."
    with pytest.raises(ValueError, match="selection"):
        Magic(selection="worst")


def test_omega_takes_synalinks_arguments_and_sends_them():
    proposer = ScriptedLanguageModel(replies=[{"thinking": "the rule", "instructions": "Apply the magic rule."}])
    omega = synalinks.optimizers.OMEGA(
        instructions="Answers are digits.",
        language_model=proposer,
        embedding_model=TopicEmbeddings(model="fake/topics"),
        k_nearest_fitter=2,
        reasoning_effort="low",
        nb_worst_predictions=2,
        nb_best_predictions=1,
        seed=0,
    )
    assert (omega.mutation_temperature, omega.merging_rate, omega.selection, omega.algorithm) == (
        0.3,
        0.05,
        "softmax",
        "dns",
    )
    program = qa_program(ScriptedLanguageModel(reply_function=magic_reply))
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=omega)
    x, y = make_data(4)
    program.fit(x, y, batch_size=4, epochs=1, verbose=0)
    system, user = proposer.requests[0][0]["content"], json.loads(proposer.requests[0][1]["content"])
    assert "About the task: Answers are digits." in system and '"thinking"' in system
    assert proposer.request_kwargs[0] == {"temperature": 0.3, "reasoning_effort": "low"}
    assert len(user["samples"]) == 3, "two worst and one best"
    assert program.variables[0].get("instructions") == "Apply the magic rule.", "the thinking is not a field"
    rebuilt = deserialize(serialize(omega))
    assert (rebuilt.k_nearest_fitter, rebuilt.instructions, rebuilt.distance_function) == (
        2,
        "Answers are digits.",
        None,
    )


def test_dominated_novelty_search_keeps_a_worse_but_different_candidate():
    def population():
        return [
            {"value": {"instructions": "magic a"}, "score": 0.9, "uses": 1},
            {"value": {"instructions": "magic b"}, "score": 0.8, "uses": 1},
            {"value": {"instructions": "plain"}, "score": 0.1, "uses": 1},
        ]

    arguments = dict(
        language_model=ScriptedLanguageModel(replies=[{}]),
        embedding_model=TopicEmbeddings(model="fake/topics"),
        population_size=2,
        similarity_threshold=1.0,
    )
    dns = population()
    asyncio.run(synalinks.optimizers.OMEGA(**arguments).select(None, dns))
    assert [c["value"]["instructions"] for c in dns] == ["magic a", "plain"], "novel beats similar-and-better"
    ga = population()
    asyncio.run(synalinks.optimizers.OMEGA(algorithm="ga", **arguments).select(None, ga))
    assert [c["value"]["instructions"] for c in ga] == ["magic a", "magic b"]


def test_omega_remembers_hard_examples_across_batches():
    omega = synalinks.optimizers.OMEGA(
        language_model=ScriptedLanguageModel(replies=[{}]), nb_hard_examples=1, hard_example_min_observations=2
    )
    variable = synalinks.Variable(initializer={"instructions": ""}, name="state")

    def calls(*pairs):
        return [({"query": q}, {"answer": "x"}, reward, {"answer": "y"}) for q, reward in pairs]

    omega.samples_for_reflection(variable, calls(("hard", 0.0), ("easy", 1.0)))
    omega.samples_for_reflection(variable, calls(("hard", 0.0), ("easy", 1.0)))
    samples = omega.samples_for_reflection(variable, calls(("new", 0.5)))
    assert samples[-1]["inputs"] == {"query": "hard"} and samples[-1]["nb_observations"] == 2
