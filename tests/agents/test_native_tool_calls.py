"""LanguageModel tool calls: litellm's function calling (patched acompletion), and the constrained-decoding
fallback of the embedded model."""

import asyncio
import json
from unittest import mock

import pytest

import synalinks


def get_weather(city: str):
    """The weather in a city.

    Args:
        city: The city's name.
    """
    return {"city": city, "sky": "clear"}


def test_tools_go_to_litellm_and_its_tool_calls_come_back_as_a_chat_message():
    seen = {}

    async def acompletion(model, messages, **kwargs):
        seen.update(kwargs, messages=messages)
        call = {"id": "tc_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}}
        return {"choices": [{"message": {"role": "assistant", "content": None, "tool_calls": [call]}}]}

    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini", api_key="sk-test")
    with mock.patch("litellm.acompletion", acompletion):
        turn = asyncio.run(
            lm([{"role": "user", "content": "Weather in Oslo?"}], tools=[get_weather], tool_choice="auto")
        )
    assert turn == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "tc_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}}
        ],
    }
    assert seen["tools"][0]["function"]["name"] == "get_weather" and seen["tool_choice"] == "auto"
    assert "response_format" not in seen, "a tool turn asks for no structured output"
    with pytest.raises(ValueError, match="not both"):
        asyncio.run(lm([{"role": "user", "content": "x"}], schema={"type": "object"}, tools=[get_weather]))


def test_a_tool_conversation_is_sent_back_in_the_provider_format():
    sent = []

    async def acompletion(model, messages, **kwargs):
        sent.append(messages)
        return {"choices": [{"message": {"role": "assistant", "content": "It is clear in Oslo."}}]}

    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini", api_key="sk-test")
    conversation = [
        synalinks.ChatMessage(role="user", content="Weather in Oslo?"),
        synalinks.ChatMessage(
            role="assistant",
            tool_calls=[
                synalinks.ToolCall(id="tc_1", function=synalinks.ToolCallFunction(name="get_weather", arguments="{}"))
            ],
        ),
        {"role": "tool", "tool_call_id": "tc_1", "content": {"sky": "clear"}},
    ]
    with mock.patch("litellm.acompletion", acompletion):
        turn = asyncio.run(lm(conversation, tools=[get_weather]))
    assert turn == {"role": "assistant", "content": "It is clear in Oslo."}
    assert sent[0][1] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "tc_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}],
    }
    assert sent[0][2] == {"role": "tool", "tool_call_id": "tc_1", "content": json.dumps({"sky": "clear"})}


@pytest.mark.embedded
def test_the_embedded_model_calls_a_tool_through_constrained_decoding():
    lm = synalinks.LanguageModel(model="local/smollm2")
    turn = asyncio.run(
        lm(
            [{"role": "user", "content": "What is the weather in Paris? Use the tool."}],
            tools=[get_weather],
            tool_choice="required",
        )
    )
    call = turn["tool_calls"][0]
    assert call["function"]["name"] == "get_weather" and "city" in json.loads(call["function"]["arguments"])
    answer = asyncio.run(lm([{"role": "user", "content": "Say hello."}], tools=[get_weather], tool_choice="none"))
    assert not answer.get("tool_calls") and isinstance(answer["content"], str)
