import asyncio
import json
import random

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query, answer_of, make_data, qa_program


def compiled(program, **kwargs):
    program.compile(
        reward=kwargs.get("reward", synalinks.rewards.ExactMatch()),
        optimizer=kwargs.get("optimizer", synalinks.optimizers.RandomFewShot(seed=0)),
        metrics=kwargs.get("metrics", [synalinks.metrics.Accuracy()]),
    )
    return program


def test_fit_from_sync_code_returns_history_with_train_and_val_keys(lm):
    program = compiled(qa_program(lm))
    x, y = make_data(8)
    history = program.fit(x, y, validation_data=make_data(4, 8), epochs=3, batch_size=4, verbose=0)
    assert history is program.history
    assert history.epoch == [0, 1, 2]
    assert set(history.history) == {
        "reward",
        "failures",
        "accuracy",
        "val_reward",
        "val_failures",
        "val_accuracy",
        "optimizer_calls",
    }
    assert history.history["val_reward"] == [1.0, 1.0, 1.0]
    # The race at each epoch end: 4 training samples, 2 candidates or more, run on all of them.
    assert all(calls >= 8 for calls in history.history["optimizer_calls"])


def test_fit_evaluate_predict_are_awaitable_inside_a_coroutine(lm):
    program = compiled(qa_program(lm))
    x, y = make_data(4)

    async def main():
        history = await program.fit(x, y, epochs=1, batch_size=2, verbose=0)
        metrics = await program.evaluate(x, y, verbose=0)
        predictions = await program.predict(x, verbose=0)
        return history, metrics, predictions

    history, metrics, predictions = asyncio.run(main())
    assert history.history["reward"] == [1.0]
    assert metrics == {"reward": 1.0, "failures": 0.0, "accuracy": 1.0}
    assert predictions[1].get_json() == {"answer": "1"}


def test_evaluate_scores_and_can_return_a_list():
    lm = ScriptedLanguageModel(reply_function=lambda m, s, i: {"answer": "0"})
    program = compiled(qa_program(lm))
    x, y = make_data(6)
    metrics = program.evaluate(x, y, batch_size=4, verbose=0)
    assert metrics["reward"] == pytest.approx(2 / 6)
    assert program.evaluate(x, y, verbose=0, return_dict=False) == [pytest.approx(2 / 6), 0.0, pytest.approx(2 / 6)]


def test_rewards_are_credited_to_the_sample_that_made_the_prediction():
    """Random latencies and failures: each sample's few-shot candidate must carry its own reward."""
    rng = random.Random(3)

    def reply(messages, schema, index):
        if rng.random() < 0.2:
            return RuntimeError("transient failure")
        number = int(json.loads(messages[-1]["content"])["query"][1:])
        # Right for queries whose number is even, wrong otherwise: reward depends on the sample.
        return {"answer": answer_of(messages) if number % 2 == 0 else "wrong"}

    lm = ScriptedLanguageModel(reply_function=reply, latency=(0.0, 0.02), seed=5)
    program = compiled(qa_program(lm), optimizer=synalinks.optimizers.RandomFewShot(max_predictions=64, seed=0))
    x, y = make_data(24)
    program.fit(x, y, batch_size=8, epochs=1, verbose=0)
    # The program's own predictions (ground-truth demonstrations are marked `labeled`).
    predictions = [
        prediction for prediction in program.variables[0].get("predictions") if not prediction.get("labeled")
    ]
    assert predictions, "some samples succeeded"
    for prediction in predictions:
        number = int(prediction["inputs"]["query"][1:])
        expected_reward = 1.0 if number % 2 == 0 else 0.0
        assert prediction["reward"] == expected_reward, prediction
        if number % 2 == 0:
            assert prediction["outputs"] == {"answer": str(number % 3)}


def test_failed_samples_score_zero_without_stopping_the_batch():
    lm = ScriptedLanguageModel(
        reply_function=lambda m, s, i: RuntimeError("down") if i % 2 else {"answer": answer_of(m)}
    )
    program = compiled(qa_program(lm))
    x, y = make_data(8)
    metrics = program.evaluate(x, y, batch_size=8, verbose=0)
    assert metrics["reward"] == 0.5
    predictions = program.predict(x, batch_size=8, verbose=0)
    assert sum(prediction is None for prediction in predictions) == 4


def test_training_improves_a_model_that_learns_from_examples(learning_lm):
    program = compiled(qa_program(learning_lm))
    x, y = make_data(12)
    x_val, y_val = make_data(6, 100)
    assert program.evaluate(x_val, y_val, verbose=0)["reward"] == 0.0
    # The first batch is wrong too; give the optimizer correct predictions to pick from.
    program.variables[0].update({"examples": [{"inputs": {"query": "q1"}, "outputs": {"answer": "1"}}]})
    history = program.fit(x, y, validation_data=(x_val, y_val), epochs=2, batch_size=4, verbose=0)
    assert history.history["val_reward"][-1] == 1.0
    assert program.variables[0].get("examples")


def test_stop_training_from_a_callback(lm):
    class StopAfterFirstEpoch(synalinks.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.program.stop_training = True

    program = compiled(qa_program(lm))
    x, y = make_data(4)
    history = program.fit(x, y, epochs=5, verbose=0, callbacks=[StopAfterFirstEpoch()])
    assert history.epoch == [0]


def test_callback_hooks_are_called_in_order(lm):
    events = []

    class Recorder(synalinks.callbacks.Callback):
        def on_train_begin(self, logs=None):
            events.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            events.append(f"epoch_begin {epoch}")

        def on_train_batch_end(self, batch, logs=None):
            events.append(f"batch_end {batch} {sorted(logs)}")

        def on_test_begin(self, logs=None):
            events.append("test_begin")

        def on_epoch_end(self, epoch, logs=None):
            events.append(f"epoch_end {epoch} {sorted(logs)}")

        def on_train_end(self, logs=None):
            events.append("train_end")

    program = compiled(qa_program(lm))
    x, y = make_data(4)
    program.fit(x, y, validation_data=make_data(2), batch_size=2, epochs=1, verbose=0, callbacks=[Recorder()])
    assert events == [
        "train_begin",
        "epoch_begin 0",
        "batch_end 0 ['accuracy', 'failures', 'reward']",
        "batch_end 1 ['accuracy', 'failures', 'reward']",
        "test_begin",
        "epoch_end 0 ['accuracy', 'failures', 'optimizer_calls', 'reward', 'val_accuracy', 'val_failures', 'val_reward']",
        "train_end",
    ]


def test_progress_is_printed_with_verbose_and_silent_without(lm, capsys):
    program = compiled(qa_program(lm))
    x, y = make_data(4)
    program.fit(x, y, epochs=2, batch_size=2, verbose=1)
    output = capsys.readouterr().out
    assert "Epoch 1/2" in output and "Epoch 2/2" in output and "2/2 [" in output and "reward: 1.0000" in output
    program.fit(x, y, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""


def test_clear_errors_for_bad_calls(lm):
    program = qa_program(lm)
    x, y = make_data(4)
    with pytest.raises(RuntimeError, match="Compile the program"):
        program.fit(x, y, verbose=0)
    compiled(program)
    with pytest.raises(ValueError, match="same length"):
        program.fit(x, y[:3], verbose=0)
    with pytest.raises(ValueError, match="empty"):
        program.fit([], [], verbose=0)
    with pytest.raises(ValueError, match="batch_size"):
        program.fit(x, y, batch_size=0, verbose=0)
    with pytest.raises(ValueError, match="validation_data"):
        program.fit(x, y, validation_data=x, verbose=0)
    with pytest.raises(TypeError, match="Optimizer"):
        program.compile(reward=synalinks.rewards.ExactMatch(), optimizer="random")
    with pytest.raises(ValueError, match="needs targets"):
        program.fit(x, verbose=0)


def test_inputs_as_lists_of_data_models(lm):
    program = compiled(qa_program(lm))
    x = [Query(query="q1"), Query(query="q2")]
    y = [Answer(answer="1"), Answer(answer="2")]
    assert program.evaluate(x, y, verbose=0)["reward"] == 1.0
