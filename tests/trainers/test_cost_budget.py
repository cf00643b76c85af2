"""Budgets of money and calls: `fit(max_cost=...)`, `LanguageModel(max_calls=..., max_cost=...)`: no call
past a budget is sent, under concurrency; training stops cleanly and says which budget and how much was spent."""

import asyncio
import json
import logging
import random

import litellm
import pytest

import synalinks
from tests.conftest import Answer, Query, make_data

RATE = 1e-5  # USD per prompt character: the provider's price list


class PricedProvider:
    """Stands in for `litellm.acompletion`: answers after a random short wait, priced by prompt length."""

    def __init__(self, seed=0):
        self.costs = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._random = random.Random(seed)

    async def __call__(self, messages, **request):
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(self._random.uniform(0.0, 0.004))
        self.in_flight -= 1
        cost = RATE * sum(len(str(message.get("content") or "")) for message in messages)
        self.costs.append(cost)
        query = json.loads(messages[-1]["content"])["query"]
        return {
            "choices": [{"message": {"role": "assistant", "content": json.dumps({"answer": str(int(query[1:]) % 3)})}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 3},
            "cost": cost,
        }


@pytest.fixture
def provider(monkeypatch):
    provider = PricedProvider()
    monkeypatch.setattr(litellm, "acompletion", provider)
    return provider


def few_shot_program(language_model):
    program = synalinks.Sequential(
        [synalinks.Input(data_model=Query), synalinks.Generator(data_model=Answer, language_model=language_model)],
        name="qa",
    )
    # Few-shot examples make later prompts longer, so later calls cost more than the first ones.
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0))
    return program


class Interruptions(synalinks.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.reasons = []

    def on_train_interrupted(self, reason, logs=None):
        self.reasons.append(reason)


@pytest.mark.parametrize("max_cost", [0.0, 0.002, 0.01, 0.037, 0.08])
def test_fit_max_cost_is_never_exceeded_under_concurrency_and_stops_cleanly(provider, tmp_path, caplog, max_cost):
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", max_concurrency=16, retry=0)
    program = few_shot_program(language_model)
    x, y = make_data(96)
    interruptions = Interruptions()
    checkpoint = synalinks.callbacks.ProgramCheckpoint(tmp_path / "epoch-{epoch}.json", save_on_exception=True)
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        history = program.fit(
            x, y, batch_size=16, epochs=2, verbose=0, seed=0, max_cost=max_cost, callbacks=[interruptions, checkpoint]
        )
    spent = sum(provider.costs)
    assert spent <= max_cost + 1e-12, "not one call over"
    assert language_model.usage.cost == pytest.approx(spent)
    assert interruptions.reasons == ["max_cost"]
    assert f"max_cost=${max_cost:.6g}" in caplog.text and f"costing ${spent:.6g}" in caplog.text
    assert (tmp_path / "interrupted.json").exists() and isinstance(history, synalinks.callbacks.History)
    if max_cost > 0:
        assert provider.most_in_flight > 1, "calls still ran concurrently"
        # Stopped near the limit: what is left is less than the calls that were on their way could cost.
        assert max_cost - spent < 17 * max(provider.costs)


def test_a_large_enough_cost_budget_changes_nothing(provider):
    calls, variables = [], []
    for max_cost in (None, 100.0):
        provider.costs.clear()
        language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", max_concurrency=16, retry=0)
        program = few_shot_program(language_model)
        interruptions = Interruptions()
        program.fit(
            *make_data(32), batch_size=16, epochs=1, verbose=0, seed=0, max_cost=max_cost, callbacks=[interruptions]
        )
        assert interruptions.reasons == []
        calls.append(len(provider.costs))
        variables.append([variable.get_json() for variable in program.trainable_variables])
    assert calls[0] == calls[1] > 32 and variables[0] == variables[1]


def test_a_language_models_own_max_calls_holds_under_concurrency(provider):
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", name="priced", max_calls=5, retry=0)
    messages = [[{"role": "user", "content": json.dumps({"query": f"q{i}"})}] for i in range(20)]

    async def ask_all():
        return await asyncio.gather(
            *(language_model(m, schema=Answer.get_schema()) for m in messages), return_exceptions=True
        )

    results = asyncio.run(ask_all())
    refused = [r for r in results if isinstance(r, synalinks.language_models.BudgetExceededError)]
    assert len(provider.costs) == 5 and len(refused) == 15
    assert "max_calls=5" in str(refused[0]) and "language model priced" in str(refused[0])
    with pytest.raises(synalinks.language_models.BudgetExceededError):  # spent for good
        asyncio.run(language_model(messages[0], schema=Answer.get_schema()))


def test_a_language_models_own_max_cost_stops_fit_and_names_the_model(provider, caplog):
    language_model = synalinks.LanguageModel(
        model="openai/gpt-4o-mini", name="priced", max_cost=0.01, max_concurrency=8, retry=0
    )
    program = few_shot_program(language_model)
    interruptions = Interruptions()
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        program.fit(*make_data(64), batch_size=16, epochs=2, verbose=0, seed=0, callbacks=[interruptions])
    assert sum(provider.costs) <= 0.01 + 1e-12
    assert interruptions.reasons == ["max_cost"]
    assert "max_cost=$0.01 of language model priced is spent" in caplog.text
    rebuilt = synalinks.saving.deserialize(synalinks.saving.serialize(language_model))
    assert (rebuilt.max_cost, rebuilt.max_calls) == (0.01, None), "the budget is part of the model's config"


@pytest.mark.parametrize("bad", [{"max_cost": -1.0}, {"max_cost": "5"}, {"max_calls": 1.5}, {"max_calls": True}])
def test_bad_budgets_are_refused(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        synalinks.LanguageModel(model="openai/gpt-4o-mini", **bad)
    program = few_shot_program(synalinks.LanguageModel(model="openai/gpt-4o-mini"))
    with pytest.raises(ValueError, match=next(iter(bad))):
        program.fit(*make_data(4), verbose=0, **bad)


def test_synalinks_train_max_cost_stops_within_the_budget(monkeypatch, tmp_path):
    from synalinks.cli.main import main
    from synalinks.testing import FakeProvider

    fake = FakeProvider()
    costs = []

    async def priced(**request):
        reply = await fake(**request)
        costs.append(RATE * sum(len(str(message.get("content") or "")) for message in request["messages"]))
        return {**reply, "cost": costs[-1]}

    monkeypatch.setattr(litellm, "acompletion", priced)
    lines = []
    status = main(
        ["train", "--example", "sentiment", "--model", "openai/gpt-4o-mini", "--epochs", "2", "--verbose", "0"]
        + ["--output", str(tmp_path), "--max-cost", "0.02"],
        out=lines.append,
    )
    text = "\n".join(lines)
    assert "Training stopped: the --max-cost budget is spent (training spent $" in text, text
    spent = float(text.split("training spent $")[1].split(")")[0])
    assert 0.01 < spent <= 0.02, "training spent up to the budget, not past it"
    assert sum(costs) > spent, "the evaluations before and after training are outside the budget"
    assert status in (0, 1)
    assert main(["train", "--max-cost", "-0.5"]) == 2


EMBEDDING_PRICE = 0.0005  # USD per embedding request


@pytest.mark.parametrize("answers_cost", [True, False])
def test_embedding_requests_count_toward_fit_max_cost(provider, monkeypatch, caplog, answers_cost):
    """Each sample is embedded (one request) then answered: by the priced provider, or free (then only the
    embeddings cost, and it is an embedding request that is refused)."""
    from synalinks.testing import ScriptedLanguageModel

    requests = []

    async def aembedding(model, input, **kwargs):
        requests.append(list(input))
        await asyncio.sleep(0.002)
        data = [{"index": i, "embedding": [float(len(text)), 1.0]} for i, text in enumerate(input)]
        return {"data": data, "usage": {"prompt_tokens": 4}, "cost": EMBEDDING_PRICE}

    monkeypatch.setattr(litellm, "aembedding", aembedding)
    if answers_cost:
        language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", max_concurrency=8, retry=0)
    else:
        language_model = ScriptedLanguageModel(replies=[{"answer": "1"}])
    embedding_model = synalinks.EmbeddingModel(model="openai/text-embedding-3-small")
    inputs = synalinks.Input(data_model=Query)
    embedded = asyncio.run(synalinks.EmbedKnowledge(embedding_model=embedding_model)(inputs))
    outputs = asyncio.run(synalinks.Generator(data_model=Answer, language_model=language_model)(embedded))
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="embed_then_answer")
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0))
    interruptions = Interruptions()
    max_cost = 0.02 if answers_cost else 0.01
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        program.fit(
            *make_data(64), batch_size=8, epochs=1, verbose=0, seed=0, max_cost=max_cost, callbacks=[interruptions]
        )
    embedding_cost = len(requests) * EMBEDDING_PRICE
    spent = (sum(provider.costs) if answers_cost else 0.0) + embedding_cost
    assert interruptions.reasons == ["max_cost"]
    assert embedding_cost > 0 and embedding_model.usage.cost == pytest.approx(embedding_cost)
    # Embedding requests are priced once made (not reserved): those already on their way (a batch at most,
    # 8) may pass the limit by their own price, and none is sent once it is spent.
    assert spent <= max_cost + 8 * EMBEDDING_PRICE + 1e-12, spent
    assert len(requests) < 64
    assert f"max_cost=${max_cost:.6g}" in caplog.text
    if not answers_cost:
        assert max_cost <= spent, "the free answers did not stop it: the embeddings spent the budget"


def test_no_embedding_request_is_made_once_the_budget_is_spent(monkeypatch):
    from synalinks.language_models.call_budget import CallBudget

    requests = []

    async def aembedding(model, input, **kwargs):
        requests.append(list(input))
        return {"data": [{"index": 0, "embedding": [1.0, 0.0]}], "cost": EMBEDDING_PRICE}

    monkeypatch.setattr(litellm, "aembedding", aembedding)
    embedding_model = synalinks.EmbeddingModel(model="openai/text-embedding-3-small")
    budget = CallBudget(max_cost=2 * EMBEDDING_PRICE)

    async def embed(text):
        with budget.active():
            return await embedding_model([text])

    assert asyncio.run(embed("a")) == [[1.0, 0.0]] and asyncio.run(embed("b")) == [[1.0, 0.0]]
    assert budget.cost == pytest.approx(2 * EMBEDDING_PRICE) and budget.calls == 0, "priced, not counted as LM calls"
    with pytest.raises(synalinks.language_models.BudgetExceededError, match="embedding request to openai/text-"):
        asyncio.run(embed("c"))
    assert requests == [["a"], ["b"]] and budget.exhausted_by == "max_cost"
    assert asyncio.run(embedding_model(["c"])) == [[1.0, 0.0]], "outside the fit, no budget applies"


class FreeFirstProvider(PricedProvider):
    """The first reply reports cost 0 (a provider that does not price it); later ones are priced."""

    async def __call__(self, messages, **request):
        reply = await super().__call__(messages, **request)
        if len(self.costs) == 1:
            self.costs[0] = 0.0
            reply["cost"] = 0.0
        return reply


@pytest.mark.parametrize("model", ["openai/not-in-any-price-list", "openai/gpt-4o-mini"])
def test_max_cost_holds_within_one_call_when_the_first_reply_is_free(monkeypatch, model):
    provider = FreeFirstProvider(seed=3)
    monkeypatch.setattr(litellm, "acompletion", provider)
    language_model = synalinks.LanguageModel(model=model, max_concurrency=256, retry=0)
    budget = synalinks.language_models.CallBudget(max_cost=0.05)

    async def one(index):
        try:
            await language_model(
                [{"role": "user", "content": json.dumps({"query": f"q{index}", "pad": "." * 400})}],
                schema=Answer.get_schema(),
            )
        except synalinks.language_models.BudgetExceededError:
            pass

    async def all_at_once():
        with budget.active():
            await asyncio.gather(*(one(index) for index in range(256)))

    asyncio.run(all_at_once())
    spent = sum(provider.costs)
    assert budget.cost == pytest.approx(spent)
    assert spent <= 0.05 + max(provider.costs), f"{len(provider.costs)} calls sent, ${spent:.4f} spent"
    assert len(provider.costs) > 5, "the budget was used, not refused at once"
