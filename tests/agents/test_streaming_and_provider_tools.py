"""Through litellm to a stub server on 127.0.0.1: a streamed chat reply, and an agent's native tool calls."""

import asyncio
import json
import os

import pytest

import synalinks
from tests.language_models.stub_openai_server import StubOpenAIServer

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


def test_a_chat_reply_streams_in_pieces_and_a_structured_one_comes_whole():
    with StubOpenAIServer(lambda body: "The quick brown fox jumps.", chunks=5) as server:
        lm = synalinks.LanguageModel(model="openai/gpt-4o-mini", api_base=server.url, api_key="sk-test")

        async def collect():
            return [piece async for piece in await lm([{"role": "user", "content": "Say it."}], streaming=True)]

        pieces = asyncio.run(collect())
        assert server.requests[-1]["stream"] is True
    assert "".join(pieces) == "The quick brown fox jumps." and len(pieces) == 6, "five characters a piece"
    with StubOpenAIServer(lambda body: {"answer": "Paris"}) as server:
        lm = synalinks.LanguageModel(model="openai/gpt-4o-mini", api_base=server.url, api_key="sk-test")
        schema = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}
        assert asyncio.run(lm([{"role": "user", "content": "Capital?"}], schema=schema, streaming=True)) == {
            "answer": "Paris"
        }, "with a schema the final validated value"


def test_an_agent_on_a_provider_model_calls_tools_natively(tmp_path):
    def add(a: int, b: int):
        """Adds two numbers.

        Args:
            a: A number.
            b: Another.
        """
        return a + b

    def reply(body):
        if body["messages"][-1]["role"] == "tool":
            return {"message": {"content": f"The sum is {body['messages'][-1]['content']}."}}
        calls = [
            {
                "id": f"call_{i}",
                "type": "function",
                "function": {"name": "add", "arguments": json.dumps({"a": i, "b": 10})},
            }
            for i in (1, 2)
        ]
        return {"message": {"content": None, "tool_calls": calls}}

    with StubOpenAIServer(reply) as server:
        lm = synalinks.LanguageModel(model="openai/gpt-4o-mini", api_base=server.url, api_key="sk-test")
        agent = synalinks.FunctionCallingAgent(tools=[add], language_model=lm)
        output = asyncio.run(agent(synalinks.ChatMessages(messages=[{"role": "user", "content": "1+10, 2+10?"}])))
        first, second = server.requests
    messages = output.get_json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "tool", "tool", "assistant"]
    assert [m["content"] for m in messages[2:4]] == ["11", "12"] and messages[-1]["content"] == "The sum is 12."
    assert first["tools"][0]["function"]["name"] == "add" and first["tools"][0]["function"]["parameters"][
        "required"
    ] == ["a", "b"]
    assert (
        second["messages"][-3]["tool_calls"][1]["id"] == "call_2" and second["messages"][-1]["tool_call_id"] == "call_2"
    )


def test_streams_are_counted_priced_and_kept_to_budgets():
    from synalinks.language_models.call_budget import CallBudget

    with StubOpenAIServer(lambda body: "The quick brown fox jumps.", chunks=5) as server:
        lm = synalinks.LanguageModel(
            model="openai/gpt-4o-mini", api_base=server.url, api_key="sk-test", max_calls=2, retry=0
        )
        fit_budget = CallBudget(max_cost=1.0)

        async def stream_once():
            with fit_budget.active():
                return "".join(
                    [piece async for piece in await lm([{"role": "user", "content": "Say it."}], streaming=True)]
                )

        assert asyncio.run(stream_once()) == "The quick brown fox jumps." == asyncio.run(stream_once())
        assert server.requests[-1]["stream_options"] == {"include_usage": True}
        assert lm.usage.calls == 2 and lm.usage.prompt_tokens == 22 and lm.usage.completion_tokens == 12
        assert lm.usage.cost > 0 and fit_budget.cost == lm.usage.cost and fit_budget.calls == 2
        # The model's own max_calls=2 is spent: the third stream is refused before anything is sent.
        with pytest.raises(synalinks.language_models.BudgetExceededError, match="max_calls=2"):
            asyncio.run(stream_once())
        assert len(server.requests) == 2
