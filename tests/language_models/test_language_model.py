import asyncio
import json
import subprocess
import sys

import litellm
import pytest

import synalinks
from synalinks.language_models import LanguageModelError
from synalinks.saving import deserialize, serialize
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer

MESSAGES = [{"role": "user", "content": "2+2?"}]


def dict_reply(content):
    return {"choices": [{"message": {"content": content}}]}


def test_calls_litellm_at_call_time_with_schema_and_accepts_dict_replies(monkeypatch):
    seen = {}

    async def fake_acompletion(**kwargs):
        seen.update(kwargs)
        return dict_reply('{"answer": "4"}')

    monkeypatch.setattr(litellm, "acompletion", fake_acompletion)
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini", temperature=0.0)
    value = asyncio.run(lm(MESSAGES, schema=Answer.get_schema()))
    assert value == {"answer": "4"}
    assert seen["model"] == "openai/gpt-4o-mini"
    assert seen["messages"] == MESSAGES
    assert seen["temperature"] == 0.0
    assert seen["response_format"]["json_schema"]["schema"] == Answer.get_schema()


def test_accepts_litellm_model_response(monkeypatch):
    async def fake_acompletion(**kwargs):
        return litellm.ModelResponse(choices=[{"message": {"role": "assistant", "content": '{"answer": "4"}'}}])

    monkeypatch.setattr(litellm, "acompletion", fake_acompletion)
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    assert asyncio.run(lm(MESSAGES, schema=Answer.get_schema())) == {"answer": "4"}


def test_retries_invalid_replies_then_succeeds(monkeypatch):
    replies = iter(["not json", '{"answer": 4}', '```json\n{"answer": "4"}\n```'])
    calls = []

    async def fake_acompletion(**kwargs):
        calls.append(kwargs)
        return dict_reply(next(replies))

    monkeypatch.setattr(litellm, "acompletion", fake_acompletion)
    lm = synalinks.LanguageModel(model="openai/x", max_retries=2, retry_delay=0.0)
    assert asyncio.run(lm(MESSAGES, schema=Answer.get_schema())) == {"answer": "4"}
    assert len(calls) == 3


def test_fails_with_a_clear_error_after_the_last_retry():
    lm = ScriptedLanguageModel(replies=[{"answer": 4}], max_retries=2)
    with pytest.raises(LanguageModelError, match="after 3 tries.*does not match the schema"):
        asyncio.run(lm(MESSAGES, schema=Answer.get_schema()))
    assert lm.call_count == 3


def test_errors_that_will_not_change_are_not_retried(monkeypatch):
    class AuthError(Exception):
        status_code = 401

    calls = []

    async def fake_acompletion(**kwargs):
        calls.append(1)
        raise AuthError("bad key")

    monkeypatch.setattr(litellm, "acompletion", fake_acompletion)
    lm = synalinks.LanguageModel(model="openai/x", max_retries=3, retry_delay=0.0)
    with pytest.raises(LanguageModelError, match="bad key"):
        asyncio.run(lm(MESSAGES, schema=Answer.get_schema()))
    assert len(calls) == 1


def test_provider_routing(monkeypatch):
    seen = []

    async def fake_acompletion(**kwargs):
        seen.append(kwargs)
        return dict_reply('{"answer": "x"}')

    monkeypatch.setattr(litellm, "acompletion", fake_acompletion)
    asyncio.run(synalinks.LanguageModel(model="ollama/llama3.2", api_base="http://localhost:11434")(MESSAGES))
    assert seen[0]["model"] == "ollama_chat/llama3.2"
    assert seen[0]["api_base"] == "http://localhost:11434"


def test_config_round_trip_never_saves_the_api_key():
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini", api_key="sk-secret", temperature=0.2)
    config = serialize(lm)
    assert "sk-secret" not in json.dumps(config)
    rebuilt = deserialize(config)
    assert rebuilt.model == "openai/gpt-4o-mini" and rebuilt.generation_kwargs == {"temperature": 0.2}


def test_bad_model_string():
    with pytest.raises(ValueError, match="model string"):
        synalinks.LanguageModel(model="")


def test_import_synalinks_does_not_import_litellm():
    code = "import sys, synalinks; print('litellm' in sys.modules, 'jsonschema' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.split() == ["False", "False"]


def test_scripted_model_latency_failures_and_in_flight_count():
    lm = ScriptedLanguageModel(replies=[RuntimeError("boom"), {"answer": "ok"}], latency=(0.0, 0.01), max_retries=1)
    assert asyncio.run(lm(MESSAGES, schema=Answer.get_schema())) == {"answer": "ok"}
    assert len(lm.requests) == 2

    async def many():
        slow = ScriptedLanguageModel(replies=[{"answer": "ok"}], latency=0.02)
        await asyncio.gather(*(slow(MESSAGES) for _ in range(5)))
        return slow.max_in_flight

    assert asyncio.run(many()) == 5
