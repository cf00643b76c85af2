import asyncio

import pytest

import synalinks
from synalinks.saving import deserialize, serialize
from tests.conftest import Answer


class Pair(synalinks.DataModel):
    answer: str
    thinking: str


def score(reward, y_true, y_pred):
    return asyncio.run(reward(y_true, y_pred))


def test_exact_match_and_masks():
    assert score(synalinks.rewards.ExactMatch(), Answer(answer="a"), Answer(answer="a")) == 1.0
    assert score(synalinks.rewards.ExactMatch(), Answer(answer="a"), Answer(answer="b")) == 0.0
    truth, prediction = Pair(answer="a", thinking="x"), Pair(answer="a", thinking="y")
    assert score(synalinks.rewards.ExactMatch(), truth, prediction) == 0.0
    assert score(synalinks.rewards.ExactMatch(in_mask=["answer"]), truth, prediction) == 1.0
    assert score(synalinks.rewards.ExactMatch(out_mask=["thinking"]), truth, prediction) == 1.0


def test_missing_prediction_scores_zero():
    assert score(synalinks.rewards.ExactMatch(), Answer(answer="a"), None) == 0.0


def test_function_wrapper_sync_and_async_and_round_trip():
    @synalinks.saving.register_synalinks_serializable(package="tests")
    def half(y_true, y_pred, factor=0.5):
        return factor

    async def async_one(y_true, y_pred):
        return 1

    assert (
        score(synalinks.rewards.RewardFunctionWrapper(half, factor=0.25), Answer(answer="a"), Answer(answer="a"))
        == 0.25
    )
    assert score(synalinks.rewards.RewardFunctionWrapper(async_one), Answer(answer="a"), Answer(answer="a")) == 1.0
    rebuilt = deserialize(serialize(synalinks.rewards.RewardFunctionWrapper(half, factor=0.25)))
    assert rebuilt.fn is half and rebuilt.fn_kwargs == {"factor": 0.25}


def test_reward_returning_a_non_number_is_an_error():
    reward = synalinks.rewards.RewardFunctionWrapper(lambda t, p: "high")
    with pytest.raises(TypeError, match="must return a number"):
        score(reward, Answer(answer="a"), Answer(answer="a"))
