"""The tool loop: a model's turns, each turn's tool calls run and answered, until a turn calls no tool.
`Generator(tools=...)` and `FunctionCallingAgent` both run it."""

import asyncio

from synalinks.data_models.chat_messages import tool_result_message


async def run_tool_calls(tools, tool_calls):
    """Runs a turn's tool calls concurrently; returns the tool messages answering them, in order. An
    unknown tool, bad arguments, an exception or a timeout is an error result the model reads."""
    by_name = {tool.name: tool for tool in tools}

    async def answer(call):
        function = call.get("function") or {}
        tool = by_name.get(function.get("name"))
        if tool is None:
            result = {"error": f"there is no tool {function.get('name')!r}; the tools are {sorted(by_name)}"}
        else:
            result = await tool.run(function.get("arguments") or "{}")
        return tool_result_message(call.get("id"), function.get("name"), result)

    return list(await asyncio.gather(*(answer(call) for call in tool_calls)))


async def run_tool_loop(next_turn, tools, messages, max_turns):
    """Asks `next_turn(messages)` for the model's turns, appending each turn that calls tools and the
    tools' answers to `messages`, until a turn calls no tool.

    Args:
        next_turn: `async (messages) -> turn`: the model's next chat message
            (a dict, with `tool_calls` when it calls tools), or None when
            there is none (the model failed).
        tools: The `Tool`s the model may call.
        messages: The conversation so far; extended in place.
        max_turns: The most turns that call tools.

    Returns:
        `(answer, out_of_turns)`: the turn that called no tool (None when
        the model failed or the turns ran out), and whether they ran out.

    Example:

    ```python
    def add(a: int, b: int) -> int:
        "Adds two integers."
        return a + b

    tools = [synalinks.Tool(add)]
    conversation = [{"role": "user", "content": "What is 2 + 3?"}]

    async def next_turn(conversation):
        return await lm(conversation, tools=tools)

    answer, out_of_turns = await run_tool_loop(next_turn, tools, conversation, max_turns=5)
    ```
    """
    for _ in range(max_turns):
        turn = await next_turn(messages)
        if turn is None:
            return None, False
        if not turn.get("tool_calls"):
            return turn, False
        messages.append(turn)
        messages.extend(await run_tool_calls(tools, turn["tool_calls"]))
    return None, True
