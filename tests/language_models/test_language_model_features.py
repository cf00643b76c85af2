"""Retries, Retry-After, repair, fallback, limits, cache and usage of LanguageModel."""

import asyncio
import json
import time

import litellm
import pytest

import synalinks
from synalinks.language_models import ConcurrencyLimiter, LanguageModelError
from synalinks.language_models import concurrency_limiter as limiter_module
from synalinks.language_models import language_model_transport as language_model_module
from synalinks.language_models.retries import backoff_delay, is_retriable, retry_after_seconds
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, correct_reply, make_data, qa_program
from tests.language_models.stub_openai_server import StubOpenAIServer

MESSAGES = [{"role": "user", "content": "2+2?"}]
SCHEMA = Answer.get_schema()


@pytest.fixture
def recorded_sleeps(monkeypatch):
    """Records the waits between retries instead of sleeping."""
    sleeps = []

    async def fake_sleep(seconds):
        sleeps.append(seconds)

    monkeypatch.setattr(language_model_module.asyncio, "sleep", fake_sleep)
    return sleeps


class RateLimitedError(Exception):
    status_code = 429

    def __init__(self, retry_after):
        super().__init__("slow down")
        self.litellm_response_headers = {"retry-after": retry_after}


def test_retry_after_is_honoured(monkeypatch, recorded_sleeps):
    replies = [RateLimitedError("7"), {"answer": "4"}]
    lm = ScriptedLanguageModel(replies=replies, max_retries=2, retry_delay=0.01)
    assert asyncio.run(lm(MESSAGES, schema=SCHEMA)) == {"answer": "4"}
    assert recorded_sleeps == [7.0]
    assert lm.usage.calls == 2 and lm.usage.failures == 1


def test_retry_after_forms_and_backoff():
    assert retry_after_seconds(RateLimitedError("2.5")) == 2.5
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 <= retry_after_seconds(RateLimitedError(future)) <= 31
    assert retry_after_seconds(RuntimeError("x")) is None
    assert 0.5 <= backoff_delay(1, 1.0) <= 1.0
    assert 2.0 <= backoff_delay(3, 1.0) <= 4.0
    assert backoff_delay(1, 1.0, RateLimitedError("9")) == 9.0


def test_exponential_backoff_between_failed_calls(recorded_sleeps):
    lm = ScriptedLanguageModel(
        replies=[RuntimeError("a"), RuntimeError("b"), RuntimeError("c"), {"answer": "4"}],
        max_retries=3,
        retry_delay=1.0,
    )
    assert asyncio.run(lm(MESSAGES, schema=SCHEMA)) == {"answer": "4"}
    assert len(recorded_sleeps) == 3
    assert 0.5 <= recorded_sleeps[0] <= 1.0 and 1.0 <= recorded_sleeps[1] <= 2.0 and 2.0 <= recorded_sleeps[2] <= 4.0


def test_no_retry_on_a_bad_request(recorded_sleeps):
    error = litellm.BadRequestError(message="bad schema", model="openai/x", llm_provider="openai")
    assert not is_retriable(error)
    lm = ScriptedLanguageModel(replies=[error, {"answer": "4"}], max_retries=3)
    with pytest.raises(LanguageModelError, match="bad schema"):
        asyncio.run(lm(MESSAGES, schema=SCHEMA))
    assert lm.usage.calls == 1 and recorded_sleeps == []


def test_unparsable_reply_is_retried_with_a_repair_message_then_reported(recorded_sleeps):
    lm = ScriptedLanguageModel(replies=["I think it is four", '{"answer": 4}'], max_retries=1)
    with pytest.raises(LanguageModelError, match="does not match the schema"):
        asyncio.run(lm(MESSAGES, schema=SCHEMA))
    assert len(lm.requests) == 2
    repaired = lm.requests[1]
    assert repaired[: len(MESSAGES)] == MESSAGES
    assert repaired[-2] == {"role": "assistant", "content": "I think it is four"}
    assert repaired[-1]["role"] == "user" and "not JSON" in repaired[-1]["content"]
    assert recorded_sleeps == [], "a repair needs no backoff"
    assert lm.usage.failures == 2


def test_repair_can_succeed():
    lm = ScriptedLanguageModel(replies=["nope", '{"answer": "4"}'], max_retries=1)
    assert asyncio.run(lm(MESSAGES, schema=SCHEMA)) == {"answer": "4"}


def test_invalid_reply_in_a_program_gives_none_never_a_wrong_value():
    lm = ScriptedLanguageModel(replies=['{"answer": ["4"]}'], max_retries=1)
    program = qa_program(lm)
    assert program.predict(make_data(2)[0], verbose=0).tolist() == [None, None]


def test_fallback_model_answers_when_the_main_one_fails():
    backup = ScriptedLanguageModel(replies=[{"answer": "from fallback"}])
    main = ScriptedLanguageModel(replies=[RuntimeError("down")], max_retries=0)
    main.fallback = backup
    assert asyncio.run(main(MESSAGES, schema=SCHEMA)) == {"answer": "from fallback"}
    config = synalinks.saving.serialize(synalinks.LanguageModel(model="openai/a", fallback="openai/b"))["config"]
    assert config["fallback"]["config"]["model"] == "openai/b"
    assert synalinks.LanguageModel.from_config(config).fallback.model == "openai/b"


def test_concurrency_never_above_max_concurrency_under_a_batch_of_64():
    lm = ScriptedLanguageModel(reply_function=correct_reply, latency=(0.001, 0.01), max_concurrency=4)
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch())
    x, y = make_data(64)
    assert program.evaluate(x, y, batch_size=64, verbose=0)["reward"] == 1.0
    assert lm.max_in_flight == 4


def test_the_limit_is_shared_by_copies_of_a_model_and_across_event_loops():
    first = synalinks.LanguageModel(model="openai/shared-test", max_concurrency=2)
    copy = synalinks.LanguageModel.from_config(first.get_config())
    assert copy._limiter is first._limiter
    in_flight, peak = 0, 0

    async def use(limiter):
        nonlocal in_flight, peak
        async with limiter:
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1

    async def many():
        await asyncio.gather(*(use(first._limiter) for _ in range(5)), *(use(copy._limiter) for _ in range(5)))

    asyncio.run(many())
    asyncio.run(many())  # a second loop, as a second program.fit(...) would use
    assert peak == 2


def test_requests_per_minute(monkeypatch):
    clock = [1000.0]
    waits = []

    async def fake_sleep(seconds):
        waits.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(limiter_module.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(limiter_module.asyncio, "sleep", fake_sleep)
    limiter = ConcurrencyLimiter(requests_per_minute=2)

    async def three_calls():
        for _ in range(3):
            async with limiter:
                clock[0] += 1.0

    asyncio.run(three_calls())
    assert waits == [58.0]


def test_cache_hits_make_no_call(tmp_path):
    lm = ScriptedLanguageModel(reply_function=correct_reply, cache_dir=tmp_path / "cache", name="cached")
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch())
    x, y = make_data(10)
    first = program.evaluate(x, y, verbose=0)
    assert lm.usage.calls == 10
    second = program.evaluate(x, y, verbose=0)
    assert second == first
    assert lm.usage.calls == 10 and lm.usage.cache_hits == 10
    # Another process (a new object for the same model, on the same folder) gets the hits too.
    other = ScriptedLanguageModel(
        replies=[RuntimeError("must not be called")], cache_dir=tmp_path / "cache", name="cached"
    )
    assert asyncio.run(qa_program(other)(x[0])).get_json() == {"answer": "0"}
    assert other.usage.calls == 0


def test_cache_ignores_damaged_entries(tmp_path):
    lm = ScriptedLanguageModel(replies=[{"answer": "4"}], cache_dir=tmp_path)
    asyncio.run(lm(MESSAGES, schema=SCHEMA))
    for path in tmp_path.rglob("*.json"):
        path.write_text('{"key": "trunc')
    assert asyncio.run(lm(MESSAGES, schema=SCHEMA)) == {"answer": "4"}
    assert lm.usage.calls == 2


def test_usage_counters_add_up():
    lm = ScriptedLanguageModel(replies=[RuntimeError("x"), {"answer": "4"}, {"answer": "5"}], max_retries=1)
    asyncio.run(lm(MESSAGES, schema=SCHEMA))
    asyncio.run(lm(MESSAGES, schema=SCHEMA))
    usage = lm.usage.as_dict()
    assert usage["calls"] == 3 and usage["failures"] == 1 and usage["cache_hits"] == 0
    completion = len(json.dumps({"answer": "4"})) // 4
    assert usage["completion_tokens"] == 2 * completion
    assert usage["prompt_tokens"] == 2 * (len("2+2?") // 4)


def test_program_lm_usage_sums_every_model_of_the_program():
    lm = ScriptedLanguageModel(reply_function=correct_reply, latency=0.02)
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch())
    x, y = make_data(5)
    program.evaluate(x, y, verbose=0)
    usage = program.lm_usage()
    assert usage[lm.model]["calls"] == 5
    assert 0.02 <= usage[lm.model]["mean_latency"] < 1.0, "each call slept 20 ms"


def test_tool_call_structured_output(monkeypatch):
    seen = {}

    async def fake_acompletion(**kwargs):
        seen.update(kwargs)
        call = {"function": {"name": "give_answer", "arguments": '{"answer": "4"}'}}
        return {"choices": [{"message": {"content": None, "tool_calls": [call]}}]}

    monkeypatch.setattr(litellm, "acompletion", fake_acompletion)
    lm = synalinks.LanguageModel(model="anthropic/claude-x", structured_output="tool")
    assert asyncio.run(lm(MESSAGES, schema=SCHEMA)) == {"answer": "4"}
    assert seen["tools"][0]["function"]["parameters"] == SCHEMA
    assert seen["tool_choice"]["function"]["name"] == "give_answer"
    assert "response_format" not in seen


def test_local_servers_get_default_bases():
    assert synalinks.LanguageModel(model="ollama/llama3.2").api_base == "http://localhost:11434"
    assert synalinks.LanguageModel(model="vllm/qwen").api_base == "http://localhost:8000/v1"
    assert synalinks.LanguageModel(model="vllm/qwen")._litellm_model() == "hosted_vllm/qwen"


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="max_concurrency"):
        synalinks.LanguageModel(model="openai/x", max_concurrency=0)
    with pytest.raises(ValueError, match="structured_output"):
        synalinks.LanguageModel(model="openai/x", structured_output="xml")


def test_end_to_end_through_litellm_against_a_local_server():
    def reply(body):
        question = json.loads(body["messages"][-1]["content"])["query"]
        return {"answer": question.upper()}

    with StubOpenAIServer(reply, statuses=[429], retry_after="0.2") as server:
        lm = synalinks.LanguageModel(
            model="openai/stub-model", api_base=server.url, api_key="sk-test", max_retries=2, retry_delay=0.01
        )
        program = qa_program(lm)
        start = time.monotonic()
        output = asyncio.run(
            program(synalinks.JsonDataModel(schema=make_data(1)[0][0].get_schema(), json={"query": "q7"}))
        )
        elapsed = time.monotonic() - start
    assert output.get_json() == {"answer": "Q7"}
    assert len(server.requests) == 2, "one 429, then the answer"
    assert elapsed >= 0.2, "the Retry-After of the 429 was honoured"
    request = server.requests[-1]
    assert request["model"] == "stub-model"
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["schema"] == SCHEMA
    assert lm.usage.prompt_tokens == 11 and lm.usage.completion_tokens == 5 and lm.usage.calls == 2


def test_cost_reported_by_litellm_is_added_up():
    class Reply(dict):
        _hidden_params = {"response_cost": 0.0025}

    usage = synalinks.language_models.Usage()
    reply = Reply(choices=[], usage={"prompt_tokens": 3, "completion_tokens": 2})
    usage.record_reply(reply, latency=0.5)
    usage.record_reply(reply, latency=0.5)
    assert usage.cost == pytest.approx(0.005)
    assert (usage.prompt_tokens, usage.completion_tokens, usage.latency) == (6, 4, 1.0)


def test_structured_output_mode_by_provider():
    from synalinks.language_models.structured_output import choose_mode

    assert choose_mode("openai/gpt-4o-mini") == "json_schema"
    assert choose_mode("ollama_chat/llama3.2") == "json_schema"
    assert choose_mode("hosted_vllm/some-model") == "json_schema"
    assert choose_mode("groq/not-a-known-model") == "tool"


def test_embedding_model_through_litellm(monkeypatch):
    seen = {}

    async def fake_aembedding(**kwargs):
        seen.update(kwargs)
        return {"data": [{"embedding": [1.0, 0.0]}, {"embedding": [0.0, 1.0]}]}

    monkeypatch.setattr(litellm, "aembedding", fake_aembedding)
    model = synalinks.EmbeddingModel(model="openai/text-embedding-3-small", api_key="sk-x")
    assert asyncio.run(model(["a", "b"])) == [[1.0, 0.0], [0.0, 1.0]]
    assert seen["model"] == "openai/text-embedding-3-small" and seen["input"] == ["a", "b"]
    assert "sk-x" not in json.dumps(model.get_config())
    synalinks.set_default_embedding_model("openai/text-embedding-3-small")
    try:
        assert synalinks.get_default_embedding_model().model == "openai/text-embedding-3-small"
    finally:
        synalinks.set_default_embedding_model(None)
    assert synalinks.get_default_embedding_model().model == "local/minilm"
