"""A tool-using agent on a hosted model: native tool calls, several at once, then an answer.

Run: OPENAI_API_KEY=sk-... python examples/provider_agent.py
Needs a key for the provider (here OpenAI) and the network; set SYNALINKS_API_BASE to use an
OpenAI-compatible server instead (the tests use a stub one on 127.0.0.1), SYNALINKS_MODEL for
another model with tool calling ("anthropic/claude-3-5-haiku-latest", "ollama/qwen2.5", ...).
"""

import asyncio
import os

import synalinks

PRICES = {"apple": 0.5, "bread": 2.25, "milk": 1.2}


async def price_of(item: str):
    """The unit price of an item in the shop, in euros.

    Args:
        item: The item's name, e.g. "apple".
    """
    if item not in PRICES:
        raise KeyError(f"the shop has no {item!r}; it has {sorted(PRICES)}")
    return {"item": item, "price": PRICES[item]}


def multiply(a: float, b: float):
    """Multiplies two numbers.

    Args:
        a: A number.
        b: Another number.
    """
    return a * b


class Bill(synalinks.DataModel):
    total: float = synalinks.Field(description="The total to pay, in euros")


async def main():
    language_model = synalinks.LanguageModel(
        model=os.environ.get("SYNALINKS_MODEL", "openai/gpt-4o-mini"),
        api_base=os.environ.get("SYNALINKS_API_BASE"),
        temperature=0.0,
    )
    agent = synalinks.FunctionCallingAgent(
        data_model=Bill,
        tools=[price_of, multiply],
        language_model=language_model,
        instructions="Look the prices up, compute the total with the tools, then give it.",
        max_iterations=4,
    )
    question = synalinks.ChatMessages(messages=[{"role": "user", "content": "What do 3 apples and 2 breads cost?"}])
    output = (await agent(question)).get_json()
    for message in output["messages"]:
        for call in message.get("tool_calls") or []:
            print(f"call {call['function']['name']}({call['function']['arguments']})")
        if message["role"] == "tool":
            print(f"  -> {message['content']}")
    print(f"total: {output['total']}")
    print(language_model.usage.as_dict())


if __name__ == "__main__":
    asyncio.run(main())
