"""Operational metrics: LM calls, tokens, cost, latency percentiles, failures and cache hits, per language
model and for the whole program, reported by fit and evaluate, and right after a BackupAndRestore resume."""

import json
import random

import pytest

import synalinks
from synalinks.language_models.latency_histogram import LatencyHistogram
from synalinks.metrics import LMUsageMetric
from synalinks.testing import ScriptedLanguageModel
from tests.callbacks.test_backup_and_restore import request_reply
from tests.conftest import Answer, Query, make_data, qa_program

COUNTED = ("calls", "prompt_tokens", "completion_tokens", "cost", "failures", "cache_hits")


class CrashBetweenBatches(synalinks.callbacks.Callback):
    """Stops the process as batch `at_batch` begins: the backup of the batch before it is written."""

    def __init__(self, at_batch):
        super().__init__()
        self.at_batch = at_batch
        self.seen = 0

    def on_train_batch_begin(self, batch, logs=None):
        self.seen += 1
        if self.seen == self.at_batch:
            raise KeyboardInterrupt("simulated crash")


def build(name):
    lm = ScriptedLanguageModel(reply_function=request_reply, latency=(0.0, 0.003), name=name, cost_per_token=0.001)
    program = qa_program(lm)
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(nb_min_examples=1, nb_max_examples=3, seed=0),
        metrics=[synalinks.metrics.Accuracy(), *LMUsageMetric.all(fields=COUNTED)],
    )
    return program, lm


def train(program, callbacks):
    x, y = make_data(16)
    return program.fit(
        x, y, validation_data=make_data(4, 100), epochs=3, batch_size=4, seed=7, verbose=0, callbacks=callbacks
    )


@pytest.mark.parametrize("crash_at", [2, 7, 12])
def test_after_a_resume_the_operational_metrics_equal_an_uninterrupted_runs(tmp_path, crash_at):
    reference, reference_lm = build("reference")
    expected = train(reference, [synalinks.callbacks.BackupAndRestore(tmp_path / "reference", save_freq=1)]).history
    assert expected["lm_calls"][0] > 0 and expected["lm_cost"][0] > 0 and expected["val_lm_calls"][0] == 4

    program, _ = build("resumed")
    with pytest.raises(KeyboardInterrupt):
        train(
            program,
            [synalinks.callbacks.BackupAndRestore(tmp_path / "backup", save_freq=1), CrashBetweenBatches(crash_at)],
        )
    program_again, lm_again = build("resumed")  # a new process builds the same program
    history = train(program_again, [synalinks.callbacks.BackupAndRestore(tmp_path / "backup", save_freq=1)])
    for field in COUNTED:
        for prefix in ("lm_", "val_lm_"):
            assert history.history[prefix + field] == pytest.approx(expected[prefix + field]), prefix + field
    assert lm_again.usage.calls < reference_lm.usage.calls, "the new process did only the rest"


class Draft(synalinks.DataModel):
    draft: str


def test_per_model_and_whole_program_metrics_and_latency_percentiles():
    small = ScriptedLanguageModel(name="small", replies=[{"draft": "d"}], latency=(0.01, 0.02), cost_per_token=1e-3)
    big = ScriptedLanguageModel(name="big", replies=[{"answer": "0"}], latency=(0.05, 0.06), cost_per_token=1e-2)
    program = synalinks.Sequential(
        [
            synalinks.Input(data_model=Query),
            synalinks.Generator(data_model=Draft, language_model=small),
            synalinks.Generator(data_model=Answer, language_model=big),
        ]
    )
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        metrics=[
            *LMUsageMetric.all(),
            LMUsageMetric("calls", language_model=small),
            LMUsageMetric("cost", language_model="scripted/big"),
            LMUsageMetric("latency_p95", language_model=small),
            LMUsageMetric("latency_p50", language_model="scripted/big"),
        ],
    )
    logs = program.evaluate(*make_data(20), batch_size=10, verbose=0)
    assert logs["lm_calls"] == 40 and logs["scripted_small_calls"] == 20
    assert logs["scripted_big_cost"] == pytest.approx(big.usage.cost) and big.usage.cost > 0
    assert logs["lm_cost"] == pytest.approx(small.usage.cost + big.usage.cost)
    assert logs["lm_prompt_tokens"] == small.usage.prompt_tokens + big.usage.prompt_tokens
    assert 0.01 * 0.95 <= logs["scripted_small_latency_p95"] <= 0.02 * 1.2, "the small model's own latencies"
    assert 0.05 * 0.95 <= logs["scripted_big_latency_p50"] <= 0.06 * 1.2
    assert logs["lm_latency_p50"] <= logs["lm_latency_p95"]
    assert logs["lm_failures"] == 0 and logs["lm_cache_hits"] == 0
    again = program.evaluate(*make_data(20), batch_size=10, verbose=0)
    assert again["lm_calls"] == 40, "each evaluation counts its own calls"


def test_failures_and_cache_hits_are_counted(tmp_path):
    def half_fail(messages, schema, index):
        query = json.loads(messages[-1]["content"])["query"]
        return ConnectionRefusedError("down") if int(query[1:]) % 2 else {"answer": "0"}

    lm = ScriptedLanguageModel(reply_function=half_fail, cache_dir=tmp_path / "replies")
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=LMUsageMetric.all())
    x, y = make_data(10)
    logs = program.evaluate(list(x) * 2, list(y) * 2, batch_size=10, verbose=0)
    assert logs["lm_failures"] == 10, "the five odd queries fail in each of the two passes"
    assert logs["lm_cache_hits"] == 5 and logs["lm_calls"] == 15


def test_latency_histogram_percentiles_are_within_a_few_percent():
    rng = random.Random(0)
    latencies = [rng.lognormvariate(-1.0, 0.8) for _ in range(5000)]
    histogram = LatencyHistogram()
    for seconds in latencies:
        histogram.add(seconds)
    ordered = sorted(latencies)
    for q in (50, 95, 99):
        exact = ordered[int(q / 100 * len(ordered)) - 1]
        assert histogram.percentile(q) == pytest.approx(exact, rel=0.05)
    half = LatencyHistogram()
    for seconds in latencies[:2500]:
        half.add(seconds)
    assert histogram.minus(half).total == 2500 and half.plus(histogram.minus(half)).counts == histogram.counts
    assert LatencyHistogram().percentile(50) == 0.0


def test_a_bad_field_or_model_is_refused():
    with pytest.raises(ValueError, match="latency_p95"):
        LMUsageMetric("p95")
    with pytest.raises(TypeError, match="LanguageModel or its name"):
        LMUsageMetric("calls", language_model=3)
