"""`synalinks.LanguageModel` as Synalinks' reference describes it: model, api_base, timeout, retry,
retry_max_wait, fallback, caching, cache_dir, name, description, hooks, generation defaults."""

import asyncio

import litellm
import pytest

import synalinks

MESSAGES = [{"role": "user", "content": "2+2?"}]
SCHEMA = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}


class Provider:
    """Stands in for litellm.acompletion, recording each request."""

    def __init__(self, fail_first=0):
        self.requests = []
        self.fail_first = fail_first

    async def __call__(self, **request):
        self.requests.append(request)
        if len(self.requests) <= self.fail_first:
            raise litellm.exceptions.APIConnectionError(message="down", llm_provider="openai", model="x")
        return {"choices": [{"message": {"content": '{"answer": "4"}'}}]}


@pytest.fixture
def provider(monkeypatch):
    provider = Provider()
    monkeypatch.setattr(litellm, "acompletion", provider)
    return provider


def test_an_unknown_keyword_argument_is_refused_naming_the_accepted_ones():
    with pytest.raises(TypeError) as caught:
        synalinks.LanguageModel(model="openai/gpt-4o-mini", tempreature=0.2)
    message = str(caught.value)
    assert "tempreature" in message and "retry" in message and "temperature" in message


def test_generation_defaults_are_sent_and_retry_is_not(provider):
    language_model = synalinks.LanguageModel(
        model="openai/gpt-4o-mini", retry=0, temperature=0.2, top_p=0.9, reasoning_effort="low"
    )
    asyncio.run(language_model(MESSAGES, schema=SCHEMA))
    request = provider.requests[0]
    assert (request["temperature"], request["top_p"], request["reasoning_effort"]) == (0.2, 0.9, "low")
    assert "retry" not in request and "caching" not in request and "hooks" not in request


def test_retry_is_the_number_of_retries(monkeypatch):
    provider = Provider(fail_first=2)
    monkeypatch.setattr(litellm, "acompletion", provider)
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", retry=2, retry_max_wait=0.01)
    language_model.retry_delay = 0.0
    assert asyncio.run(language_model(MESSAGES, schema=SCHEMA)) == {"answer": "4"}
    assert len(provider.requests) == 3, "two retries after the first try"
    refused = synalinks.LanguageModel(model="openai/gpt-4o-mini", retry=0)
    provider.requests.clear()
    provider.fail_first = 1
    with pytest.raises(synalinks.language_models.LanguageModelError):
        asyncio.run(refused(MESSAGES, schema=SCHEMA))
    assert len(provider.requests) == 1


def test_caching_answers_the_same_request_once(provider):
    cached = synalinks.LanguageModel(model="openai/gpt-4o-mini", caching=True)
    for _ in range(3):
        assert asyncio.run(cached(MESSAGES, schema=SCHEMA)) == {"answer": "4"}
    assert len(provider.requests) == 1 and cached.usage.cache_hits == 2
    uncached = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    asyncio.run(uncached(MESSAGES, schema=SCHEMA))
    asyncio.run(uncached(MESSAGES, schema=SCHEMA))
    assert len(provider.requests) == 3


def test_hooks_see_each_call_and_a_failing_hook_breaks_nothing(provider, caplog):
    seen = []

    class Recorder(synalinks.hooks.Hook):
        def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
            seen.append(("begin", self.module.name, inputs[-1]["content"], kwargs["schema"] == SCHEMA))

        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            span = synalinks.hooks.current_span()
            seen.append(("end", outputs, exception, span.latency >= 0.0, span.call_id == call_id))

    class Broken(synalinks.hooks.Hook):
        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            raise RuntimeError("hook bug")

    language_model = synalinks.LanguageModel(
        model="openai/gpt-4o-mini", name="main", description="the answering model", hooks=[Recorder(), Broken()]
    )
    for _ in range(2):
        assert asyncio.run(language_model(MESSAGES, schema=SCHEMA)) == {"answer": "4"}
    assert seen == [("begin", "main", "2+2?", True), ("end", {"answer": "4"}, None, True, True)] * 2
    assert sum("hook bug" in record.getMessage() for record in caplog.records) == 1, "logged once"
    assert language_model.description == "the answering model"


def test_name_description_and_caching_are_saved(provider):
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", name="judge", caching=True, top_k=5)
    rebuilt = synalinks.saving.deserialize(synalinks.saving.serialize(language_model))
    assert (rebuilt.name, rebuilt.caching, rebuilt.generation_kwargs) == ("judge", True, {"top_k": 5})
