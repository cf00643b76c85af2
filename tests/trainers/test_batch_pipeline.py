"""Evaluation and prediction run samples across batch boundaries; batches stay the unit of results."""

import asyncio
import contextlib
import json
import random

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from synalinks.trainers.batch_pipeline import pipelined_batches
from tests.conftest import answer_of, make_data, qa_program


def _run(coroutine):
    return asyncio.run(coroutine)


def test_a_slow_sample_holds_back_its_batch_but_not_the_next_samples():
    latencies = {0: 0.30}  # sample 0 is slow; every other one is quick
    events = []
    in_flight = [0, 0]  # now, peak

    async def run_sample(x):
        events.append(("start", x))
        in_flight[0] += 1
        in_flight[1] = max(in_flight[1], in_flight[0])
        await asyncio.sleep(latencies.get(x, 0.01))
        in_flight[0] -= 1
        events.append(("end", x))
        return x * 10

    batches = [([0, 1, 2], None), ([3, 4, 5], None), ([6, 7], None)]

    async def main():
        results = []
        async with contextlib.aclosing(pipelined_batches(batches, run_sample, window=3)) as stream:
            async for step, x_batch, _, outputs in stream:
                results.append((step, x_batch, outputs))
                events.append(("batch", step))
        return results

    results = _run(main())
    assert results == [(0, [0, 1, 2], [0, 10, 20]), (1, [3, 4, 5], [30, 40, 50]), (2, [6, 7], [60, 70])]
    assert in_flight[1] == 3, "never more than the window at once"
    # Samples of batches 1 and 2 start (and end) while sample 0 still runs: no barrier between batches.
    assert events.index(("start", 6)) < events.index(("end", 0))
    # ... but batch 0 is handed back first, and only once all its samples are done.
    assert events.index(("batch", 0)) > events.index(("end", 0))
    assert [event for event in events if event[0] == "batch"] == [("batch", 0), ("batch", 1), ("batch", 2)]


def test_a_failed_sample_raises_once_its_batch_is_done_and_leaves_nothing_running():
    started, finished = [], []

    async def run_sample(x):
        started.append(x)
        if x == 1:
            await asyncio.sleep(0.01)
            raise RuntimeError("sample 1 failed")
        await asyncio.sleep(0.05 if x == 0 else 0.5)
        finished.append(x)
        return x

    async def main():
        async with contextlib.aclosing(pipelined_batches([([0, 1], None), ([2, 3], None)], run_sample, 4)) as stream:
            async for _ in stream:
                pass

    with pytest.raises(RuntimeError, match="sample 1 failed"):
        _run(main())
    assert 0 in finished, "the error is raised once the failed sample's batch is done"
    assert started == [0, 1, 2, 3] and 2 not in finished and 3 not in finished, "later samples were cancelled"


def _replies_right_for_some(messages, schema, call_index):
    """Right for queries whose number is not a multiple of 4: the rewards per sample are known."""
    number = int(json.loads(messages[-1]["content"])["query"][1:])
    return {"answer": answer_of(messages) if number % 4 else "wrong"}


class _BatchLogs(synalinks.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.test, self.predict = [], []

    def on_test_batch_end(self, batch, logs=None):
        self.test.append((batch, dict(logs)))

    def on_predict_batch_end(self, batch, logs=None):
        self.predict.append((batch, [output.get_json()["answer"] for output in logs["outputs"]]))


def test_evaluate_and_predict_give_per_batch_logs_and_order_as_with_a_barrier():
    lm = ScriptedLanguageModel(reply_function=_replies_right_for_some, latency=(0.0, 0.05), seed=3)
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.Accuracy()])
    x, y = make_data(22)
    logs = _BatchLogs()
    result = program.evaluate(x, y, batch_size=4, verbose=0, callbacks=[logs])
    rewards = [0.0 if i % 4 == 0 else 1.0 for i in range(22)]
    expected = []
    for step, start in enumerate(range(0, 22, 4)):
        seen = rewards[: start + 4]
        mean = sum(seen) / len(seen)
        expected.append((step, {"reward": mean, "failures": 0.0, "accuracy": mean}))
    assert [(step, {k: pytest.approx(v) for k, v in values.items()}) for step, values in expected] == logs.test
    assert result["reward"] == pytest.approx(sum(rewards) / 22)

    predictions = program.predict(x, batch_size=4, verbose=0, callbacks=[logs])
    answers = [output.get_json()["answer"] for output in predictions]
    assert answers == [str(i % 3) if i % 4 else "wrong" for i in range(22)], "outputs in input order"
    assert [step for step, _ in logs.predict] == list(range(6))
    assert sum((batch for _, batch in logs.predict), []) == answers


def test_evaluate_keeps_at_most_a_batch_of_samples_in_flight():
    lm = ScriptedLanguageModel(reply_function=lambda m, s, i: {"answer": answer_of(m)}, latency=(0.0, 0.02), seed=1)
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch())
    in_flight = [0, 0]
    real_call = type(program).__call__

    async def counting_call(self, *args, **kwargs):
        in_flight[0] += 1
        in_flight[1] = max(in_flight[1], in_flight[0])
        try:
            await asyncio.sleep(random.random() * 0.01)
            return await real_call(self, *args, **kwargs)
        finally:
            in_flight[0] -= 1

    x, y = make_data(40)
    type(program).__call__ = counting_call
    try:
        program.evaluate(x, y, batch_size=8, verbose=0)
    finally:
        type(program).__call__ = real_call
    assert in_flight[1] == 8
