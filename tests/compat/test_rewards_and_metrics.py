"""Rewards and metrics with the arguments of Synalinks' reference."""

import asyncio
import math

import numpy as np
import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query, make_data, qa_program


def _value(schema_fields, **json):
    schema = {"type": "object", "properties": {name: {} for name in schema_fields}, "required": list(schema_fields)}
    return synalinks.JsonDataModel(schema=schema, json=json)


def _score(reward, y_true, y_pred):
    return asyncio.run(reward(y_true, y_pred))


def _half_right_program():
    """Answers "0" to everything: right for a third of make_data's samples."""
    return qa_program(ScriptedLanguageModel(reply_function=lambda m, s, i: {"answer": "0"}))


@pytest.mark.parametrize("reduction, expected", [("mean", 2 / 6), ("sum", 2.0), ("min", 0.0), ("max", 1.0)])
def test_reward_reduction_sets_the_logged_reward(reduction, expected):
    program = _half_right_program()
    program.compile(reward=synalinks.rewards.ExactMatch(reduction=reduction))
    x, y = make_data(6)
    assert program.evaluate(x, y, batch_size=3, verbose=0)["reward"] == pytest.approx(expected)
    with pytest.raises(ValueError, match="reduction"):
        synalinks.rewards.ExactMatch(reduction="median")


def test_masks_and_their_patterns_apply_to_every_reward():
    truth = _value(["thinking", "answer", "answer_1"], thinking="a", answer="4", answer_1="5")
    guess = _value(["thinking", "answer", "answer_1"], thinking="b", answer="4", answer_1="5")
    assert _score(synalinks.rewards.ExactMatch(), truth, guess) == 0.0
    assert _score(synalinks.rewards.ExactMatch(out_mask_pattern="^think"), truth, guess) == 1.0
    assert _score(synalinks.rewards.ExactMatch(in_mask=["answer"]), truth, guess) == 1.0, "answer_1 is an answer"
    wrong_second = _value(["thinking", "answer", "answer_1"], thinking="a", answer="4", answer_1="6")
    assert _score(synalinks.rewards.ExactMatch(in_mask=["answer"]), truth, wrong_second) == 0.0

    @synalinks.saving.register_synalinks_serializable(package="tests")
    def field_count(y_true, y_pred):
        return float(len(y_pred.get_json()))

    counted = synalinks.rewards.RewardFunctionWrapper(field_count, in_mask_pattern="^answer")
    assert _score(counted, truth, guess) == 2.0
    rebuilt = synalinks.rewards.deserialize(synalinks.rewards.serialize(counted))
    assert rebuilt.in_mask_pattern == "^answer" and _score(rebuilt, truth, guess) == 2.0
    with pytest.raises(ValueError, match="regular expression"):
        synalinks.rewards.ExactMatch(in_mask_pattern="(")


def test_batch_reward_sees_the_whole_batch_and_reduces_when_called():
    class RankByLength(synalinks.rewards.BatchReward):
        def call(self, y_true, y_pred):
            lengths = [len(p.get("answer")) for p in y_pred]
            return [length / max(lengths) for length in lengths]

    reward = RankByLength(reduction="max")
    predictions = [Answer(answer="ab"), Answer(answer="abcd")]
    assert asyncio.run(reward.batch([Answer(answer="x")] * 2, predictions)) == [0.5, 1.0]
    assert asyncio.run(reward([Answer(answer="x")] * 2, predictions)) == 1.0


def test_lm_as_judge_grades_on_its_scale_with_examples():
    judge = ScriptedLanguageModel(replies=[{"critique": "close", "reward": 4}])
    example = ({"ground_truth": {"answer": "1"}, "prediction": {"answer": "one"}}, {"critique": "same", "reward": 5})
    reward = synalinks.rewards.LMAsJudge(language_model=judge, score_type=synalinks.Rating, examples=[example])
    assert _score(reward, Answer(answer="4"), Answer(answer="four")) == 0.75
    messages = judge.requests[0]
    assert "an integer among [1, 2, 3, 4, 5]" in messages[0]["content"]
    assert any(m["role"] == "assistant" and '"reward": 5' in m["content"] for m in messages), "the example is shown"
    rebuilt = synalinks.rewards.deserialize(synalinks.rewards.serialize(reward))
    assert rebuilt.score_type is synalinks.Rating and rebuilt.critique.state.get("examples")


def _metric(metric, pairs):
    y_true = [synalinks.JsonDataModel(schema={"type": "object"}, json=t) for t, _ in pairs]
    y_pred = [None if p is None else synalinks.JsonDataModel(schema={"type": "object"}, json=p) for _, p in pairs]
    result = metric.update_state(y_true, y_pred)
    if asyncio.iscoroutine(result):
        asyncio.run(result)
    return metric.result()


def test_binary_scores_count_each_field_as_a_class():
    pairs = [
        ({"sports": True, "politics": False}, {"sports": True, "politics": True}),
        ({"sports": 0.9, "politics": 0.8}, {"sports": 0.2, "politics": 0.6}),
    ]
    # sports: tp 1, fn 1; politics: tp 1, fp 1
    assert _metric(synalinks.metrics.BinaryPrecision(), pairs) == pytest.approx(2 / 3)
    assert _metric(synalinks.metrics.BinaryRecall(), pairs) == pytest.approx(2 / 3)
    assert _metric(synalinks.metrics.BinaryF1Score(average="macro"), pairs) == pytest.approx(2 / 3)
    # at 0.7 the 0.6 is negative: tp 1, fp 1, fn 2
    assert _metric(synalinks.metrics.BinaryFBetaScore(threshold=0.7), pairs) == pytest.approx(
        2 * 0.5 * (1 / 3) / (0.5 + 1 / 3)
    )
    assert _metric(synalinks.metrics.BinaryAccuracy(), pairs) == pytest.approx((0.5 + 0.5) / 2)
    assert _metric(synalinks.metrics.BinaryAccuracy(in_mask=["politics"]), pairs) == pytest.approx(0.5)


def test_categorical_and_list_scores_compare_label_sets():
    pairs = [
        ({"labels": ["a", "b"]}, {"labels": ["a", "c"]}),
        ({"labels": ["c"]}, {"labels": ["c"]}),
        ({"labels": ["b"]}, None),
    ]
    # pooled: tp 2 (a, c), fp 1 (c), fn 2 (b, b)
    assert synalinks.metrics.ListF1Score is synalinks.metrics.CategoricalF1Score
    assert _metric(synalinks.metrics.CategoricalPrecision(), pairs) == pytest.approx(2 / 3)
    assert _metric(synalinks.metrics.CategoricalRecall(), pairs) == pytest.approx(2 / 4)
    per_label = _metric(synalinks.metrics.ListF1Score(labels=["a", "b", "c"], average="macro"), pairs)
    assert per_label == pytest.approx((1.0 + 0.0 + 2 * 0.5 * 1.0 / 1.5) / 3)
    assert _metric(synalinks.metrics.CategoricalAccuracy(), pairs) == pytest.approx(1 / 3)
    metric = synalinks.metrics.ListFBetaScore(beta=2.0)
    _metric(metric, pairs)
    restored = synalinks.metrics.ListFBetaScore(beta=2.0)
    restored.set_state(metric.get_state())
    assert restored.result() == metric.result()


def test_word_level_scores_take_patterns_and_synalinks_argument_order():
    f = synalinks.metrics.FBetaScore("macro", 2.0, in_mask_pattern="^ans")
    assert f.average == "macro" and f.beta == 2.0
    pairs = [({"answer": "a b", "note": "x"}, {"answer": "a", "note": "y"})]
    assert _metric(f, pairs) == pytest.approx(5 * 1.0 * 0.5 / (4 * 1.0 + 0.5))
    assert synalinks.metrics.FBetaScore().average == "micro", "our default (Synalinks' None gives per-field scores)"


@pytest.mark.parametrize(
    "metric_class, expected",
    [
        # problem 1: 1 of 3 right; problem 2: 3 of 3 right
        (synalinks.metrics.PassAtK, ((1 - math.comb(2, 2) / math.comb(3, 2)) + 1.0) / 2),
        (synalinks.metrics.PassHatK, (0.0 + 1.0) / 2),
        (synalinks.metrics.GapK, ((1 - 1 / 3) - 0.0 + 0.0) / 2),
    ],
)
def test_sampled_metrics_estimate_per_problem_batches(metric_class, expected):
    replies = iter(["0", "9", "9", "1", "1", "1"])
    program = qa_program(ScriptedLanguageModel(reply_function=lambda m, s, i: {"answer": next(replies)}))
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[metric_class(k=2)])
    x = np.array([Query(query="q0")] * 3 + [Query(query="q1")] * 3, dtype=object)
    y = np.array([Answer(answer="0")] * 3 + [Answer(answer="1")] * 3, dtype=object)
    program.run_eagerly = True
    logs = program.evaluate(x, y, batch_size=3, verbose=0)
    assert logs[metric_class(k=2).name] == pytest.approx(expected)


def test_metrics_get_serialize_deserialize():
    assert isinstance(synalinks.metrics.get("f1_score"), synalinks.metrics.F1Score)
    assert isinstance(synalinks.metrics.get("BinaryRecall"), synalinks.metrics.BinaryRecall)
    with pytest.raises(ValueError, match="No metric is named 'f2'.*binary_f1_score"):
        synalinks.metrics.get("f2")
    config = synalinks.metrics.serialize(synalinks.metrics.CategoricalF1Score(labels=["x"]))
    assert synalinks.metrics.deserialize(config).labels == ["x"]
    assert isinstance(synalinks.metrics.get(lambda t, p: 1.0), synalinks.metrics.MeanMetricWrapper)
