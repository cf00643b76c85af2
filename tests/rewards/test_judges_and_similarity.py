import asyncio

import pytest

import synalinks
from synalinks.saving import deserialize, serialize
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query, make_data, qa_program


class FakeEmbeddings(synalinks.EmbeddingModel):
    """Vectors by keyword: texts mentioning cats point one way, others another."""

    async def __call__(self, texts):
        return [[1.0, 0.0] if "cat" in text else [0.0, 1.0] for text in texts]


def score(reward, y_true, y_pred):
    return asyncio.run(reward(y_true, y_pred))


def test_cosine_similarity_with_an_embedding_model():
    reward = synalinks.rewards.CosineSimilarity(embedding_model=FakeEmbeddings(model="fake/keywords"))
    assert score(reward, Answer(answer="a cat"), Answer(answer="the cat")) == pytest.approx(1.0)
    assert score(reward, Answer(answer="a cat"), Answer(answer="a dog")) == 0.0
    assert score(reward, Answer(answer="a cat"), None) == 0.0


@pytest.mark.embedded
def test_cosine_similarity_defaults_to_the_embedded_model():
    reward = synalinks.rewards.CosineSimilarity()
    close = score(reward, Answer(answer="The cat sleeps on the sofa."), Answer(answer="A kitten naps on the couch."))
    far = score(reward, Answer(answer="The cat sleeps on the sofa."), Answer(answer="Quarterly interest rates rose."))
    assert close > far
    rebuilt = deserialize(serialize(synalinks.rewards.CosineSimilarity(in_mask=["answer"])))
    assert rebuilt.in_mask == ["answer"] and rebuilt.embedding_model is None


def test_lm_as_judge_scores_and_fails_to_zero():
    judge = ScriptedLanguageModel(replies=[{"critique": "close", "reward": 0.75}])
    reward = synalinks.rewards.LMAsJudge(language_model=judge)
    assert score(reward, Answer(answer="4"), Answer(answer="four")) == 0.75
    content = judge.requests[0][-1]["content"]
    assert '"ground_truth": {"answer": "4"}' in content and '"prediction": {"answer": "four"}' in content
    broken = synalinks.rewards.LMAsJudge(language_model=ScriptedLanguageModel(replies=["no idea"]))
    assert score(broken, Answer(answer="4"), Answer(answer="4")) == 0.0
    rebuilt = deserialize(serialize(reward))
    assert rebuilt.language_model is judge


def test_program_as_judge():
    judge_lm = ScriptedLanguageModel(replies=[{"critique": "good", "reward": 0.9}], name="judge_program_lm")
    inputs = synalinks.Input(schema={"type": "object", "properties": {}, "title": "JudgeInput"})
    critique = asyncio.run(synalinks.SelfCritique(language_model=judge_lm, return_inputs=False)(inputs))
    judge = synalinks.Program(inputs=inputs, outputs=critique)
    reward = synalinks.rewards.ProgramAsJudge(judge)
    assert score(reward, Answer(answer="4"), Answer(answer="4")) == pytest.approx(0.9)
    rebuilt = deserialize(serialize(reward))
    assert score(rebuilt, Answer(answer="4"), Answer(answer="4")) == pytest.approx(0.9)


def test_batch_reward_function_wrapper_in_fit():
    @synalinks.saving.register_synalinks_serializable(package="tests")
    def rank(y_true, y_pred):
        return [index / len(y_pred) for index in range(len(y_pred))]

    lm = ScriptedLanguageModel(reply_function=lambda m, s, i: {"answer": "x"})
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.BatchRewardFunctionWrapper(rank))
    x, y = make_data(4)
    assert program.evaluate(x, y, batch_size=4, verbose=0)["reward"] == pytest.approx((0 + 0.25 + 0.5 + 0.75) / 4)
    bad = synalinks.rewards.BatchRewardFunctionWrapper(lambda t, p: [1.0])
    with pytest.raises(ValueError, match="returned 1 values for a batch of 2"):
        asyncio.run(bad.batch([Answer(answer="a")] * 2, [Answer(answer="a")] * 2))
    assert isinstance(deserialize(serialize(synalinks.rewards.BatchRewardFunctionWrapper(rank))).fn, type(rank))
    _ = Query
