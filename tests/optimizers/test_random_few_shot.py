import asyncio
import random

import pytest

import synalinks
from synalinks.modules import Trace
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query


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
    optimizer = synalinks.optimizers.RandomFewShot(max_predictions=4, nb_min_examples=1, nb_max_examples=3, seed=0)
    pairs = [({"query": f"q{i}"}, {"answer": str(i)}) for i in range(10)]
    asyncio.run(optimizer.optimize([module.state], traces_for(module.state, pairs), [i / 10 for i in range(10)]))
    assert [p["inputs"]["query"] for p in module.state.get("predictions")] == ["q9", "q8", "q7", "q6"]
    with pytest.raises(ValueError, match="nb_min_examples"):
        synalinks.optimizers.RandomFewShot(nb_min_examples=3, nb_max_examples=1)


def test_labeled_demonstrations_teach_a_label_never_predicted_right():
    module = generator()
    optimizer = synalinks.optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=4, seed=0)
    pairs = [({"query": f"q{i}"}, {"answer": "wrong"}) for i in range(6)]
    targets = [Answer(answer="yes" if i % 2 else "no") for i in range(6)]
    asyncio.run(optimizer.optimize([module.state], traces_for(module.state, pairs), [0.0] * 6, targets))
    examples = module.state.get("examples")
    assert len(examples) == 4, "the ground truth is a demonstration even though every prediction was wrong"
    for example in examples:
        number = int(example["inputs"]["query"][1:])
        assert example["outputs"] == {"answer": "yes" if number % 2 else "no"}
    labeled = [p for p in module.state.get("predictions") if p.get("labeled")]
    assert len(labeled) == 6 and all(p["reward"] == 1.0 for p in labeled)
    own = [p for p in module.state.get("predictions") if not p.get("labeled")]
    assert [p["outputs"] for p in own] == [{"answer": "wrong"}] * 6, "the program's own predictions are kept apart"


def test_targets_of_another_data_model_are_not_demonstrations():
    module = generator()
    optimizer = synalinks.optimizers.RandomFewShot(seed=0)

    class Other(synalinks.DataModel):
        label: str

    pairs = [({"query": f"q{i}"}, {"answer": "a"}) for i in range(4)]
    targets = [Other(label="x") for _ in range(4)]
    asyncio.run(optimizer.optimize([module.state], traces_for(module.state, pairs), [0.0] * 4, targets))
    assert not [p for p in module.state.get("predictions") if p.get("labeled")]
    assert module.state.get("examples") == []


def test_examples_are_balanced_across_labels():
    module = generator()
    counts = {"yes": 0, "no": 0}
    for seed in range(20):
        optimizer = synalinks.optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=4, seed=seed)
        # Ten rewarded "yes" predictions, only two "no": a draw by reward alone would be mostly "yes".
        pairs = [({"query": f"q{i}"}, {"answer": "yes" if i < 10 else "no"}) for i in range(12)]
        module.state.update({"predictions": [], "examples": []})
        asyncio.run(optimizer.optimize([module.state], traces_for(module.state, pairs), [1.0] * 12))
        drawn = [example["outputs"]["answer"] for example in module.state.get("examples")]
        assert sorted(drawn) == ["no", "no", "yes", "yes"], drawn
        for answer in drawn:
            counts[answer] += 1
    assert counts == {"yes": 40, "no": 40}


def test_an_untried_proposal_is_validated_rather_than_dropped_at_epoch_end():
    module = generator()
    optimizer = synalinks.optimizers.RandomFewShot(nb_min_examples=2, nb_max_examples=2, seed=0)
    pairs = [({"query": f"q{i}"}, {"answer": str(i % 2)}) for i in range(4)]
    asyncio.run(
        optimizer.optimize(
            [module.state], traces_for(module.state, pairs), [0.0] * 4, [Answer(answer=str(i % 2)) for i in range(4)]
        )
    )
    proposal = module.state.get("examples")
    assert len(proposal) == 2
    asyncio.run(optimizer.on_epoch_end([module.state]))
    assert module.state.get("examples") == proposal, "one batch per epoch: the proposal must get its chance"
    # Once tried (and worse than the empty set), the best is loaded back.
    asyncio.run(
        optimizer.optimize(
            [module.state], traces_for(module.state, pairs), [-1.0] * 4, [Answer(answer=str(i % 2)) for i in range(4)]
        )
    )
    module.state.update({"examples": proposal})
    asyncio.run(optimizer.on_epoch_end([module.state]))
    assert module.state.get("examples") == []


def test_sampling_temperature_is_an_alias():
    assert synalinks.optimizers.RandomFewShot(sampling_temperature=0.3).temperature == 0.3


def test_racing_picks_the_truly_better_candidate_under_noisy_rewards():
    good = [{"inputs": {"query": "g"}, "outputs": {"answer": "1"}}]
    bad = [{"inputs": {"query": "b"}, "outputs": {"answer": "2"}}]
    wins = 0
    for seed in range(100):
        module = generator()
        optimizer = synalinks.optimizers.RandomFewShot(seed=seed, eval_size=32)
        noise = random.Random(seed)

        async def runner(samples, state=module.state, noise=noise):
            rate = 0.75 if state.get("examples") == good else 0.45
            return [1.0 if noise.random() < rate else 0.0 for _ in samples]

        optimizer.set_trial_runner(runner, [(Query(query=f"q{i}"), Answer(answer="1")) for i in range(64)])
        optimizer._index([module.state])
        # A lucky batch made the bad set the population's best; the good one is in use.
        optimizer.populations["variable_0"] = [
            {"value": {"instructions": "", "examples": bad}, "score": 1.0, "uses": 2}
        ]
        module.state.update({"examples": good})
        asyncio.run(optimizer.on_epoch_end([module.state]))
        wins += module.state.get("examples") == good
        trial = optimizer.trials[-1]
        assert trial["samples"] == 32 and trial["calls"] == 64 and len(trial["candidates"]) == 2
    assert wins >= 95, wins


def test_trials_are_recorded_bounded_and_round_trip(tmp_path):
    from tests.conftest import correct_reply, make_data, qa_program

    program = qa_program(ScriptedLanguageModel(reply_function=correct_reply))
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0))
    x, y = make_data(12)
    program.fit(x, y, batch_size=4, epochs=2, verbose=0)
    trials = program.optimizer.trials
    assert len(trials) == 2 and all(trial["calls"] > 0 for trial in trials)
    assert all(0 <= trial["chosen"] < len(trial["candidates"]) for trial in trials)
    program.save(tmp_path / "p.json")
    loaded = synalinks.programs.load_program(tmp_path / "p.json")
    assert loaded.optimizer.trials == trials
    optimizer = synalinks.optimizers.RandomFewShot()
    optimizer.set_state({**program.optimizer.get_state(), "trials": [{"n": i} for i in range(80)]})
    assert len(optimizer.trials) == 50
    with pytest.raises(ValueError, match="trials"):
        optimizer.set_state({**program.optimizer.get_state(), "trials": "many"})


@synalinks.saving.register_synalinks_serializable(package="tests")
class WordEmbeddings(synalinks.EmbeddingModel):
    """Inputs about cats point one way, about dogs another, the rest a third."""

    async def __call__(self, texts):
        return [[1.0, 0.0, 0.0] if "cat" in t else [0.0, 1.0, 0.0] if "dog" in t else [0.0, 0.0, 1.0] for t in texts]


def test_with_an_embedding_model_examples_of_one_label_are_diverse():
    pairs = [({"query": f"cat {i}"}, {"answer": "1"}) for i in range(6)] + [({"query": "dog"}, {"answer": "1"})]
    pairs += [({"query": "bird"}, {"answer": "1"})]
    for seed in range(20):
        module = generator()
        optimizer = synalinks.optimizers.RandomFewShot(
            nb_min_examples=3, nb_max_examples=3, embedding_model=WordEmbeddings(model="fake/words"), seed=seed
        )
        asyncio.run(optimizer.optimize([module.state], traces_for(module.state, pairs), [1.0] * len(pairs)))
        queries = sorted(example["inputs"]["query"] for example in module.state.get("examples"))
        assert sum(query.startswith("cat") for query in queries) == 1 and "dog" in queries and "bird" in queries
    # Without one, the six cats crowd out the others most of the time.
    crowded = 0
    for seed in range(20):
        module = generator()
        optimizer = synalinks.optimizers.RandomFewShot(nb_min_examples=3, nb_max_examples=3, seed=seed)
        asyncio.run(optimizer.optimize([module.state], traces_for(module.state, pairs), [1.0] * len(pairs)))
        crowded += sum(e["inputs"]["query"].startswith("cat") for e in module.state.get("examples")) > 1
    assert crowded > 10
    config = synalinks.saving.serialize(
        synalinks.optimizers.RandomFewShot(embedding_model=WordEmbeddings(model="fake/words"))
    )
    assert synalinks.saving.deserialize(config).embedding_model.model == "fake/words"


def test_a_race_searches_the_number_of_shots_from_zero_to_sixteen():
    module = generator()
    optimizer = synalinks.optimizers.RandomFewShot(nb_min_examples=0, nb_max_examples=16, nb_candidates=5, seed=0)
    pairs = [({"query": f"q{i}"}, {"answer": str(i % 4)}) for i in range(40)]
    asyncio.run(optimizer.optimize([module.state], traces_for(module.state, pairs), [1.0] * 40))

    async def runner(samples):
        return [1.0 if len(module.state.get("examples")) == 12 else 0.0 for _ in samples]

    optimizer.set_trial_runner(runner, [(Query(query=f"q{i}"), Answer(answer=str(i % 4))) for i in range(40)])
    asyncio.run(optimizer.on_epoch_end([module.state]))
    trial = optimizer.trials[-1]
    # The new sets spread from 0 to 16 (a zero-shot one may be the incumbent's, raced once).
    assert {0, 4, 8, 12, 16} <= {candidate["examples"] for candidate in trial["candidates"]}
    assert len(module.state.get("examples")) == 12, "the size that scored best won"
    assert len(trial["sample_indices"]) == 16 == len(set(trial["sample_indices"]))
    judged = {f"q{index}" for index in trial["sample_indices"]}
    assert not judged & {example["inputs"]["query"] for example in module.state.get("examples")}
