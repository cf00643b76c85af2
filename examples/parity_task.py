"""A small task shared by the examples: say whether a number is even or odd.

The language model here is `synalinks.testing.ScriptedLanguageModel`, a
stand-in that runs offline: like a small real model, it guesses ("odd") when
its prompt has no examples, and answers right once training has put a few
solved examples in its prompt. To use a real model instead, pass
`synalinks.LanguageModel(model="openai/gpt-4o-mini")` (with OPENAI_API_KEY set)
or `synalinks.LanguageModel(model="ollama/llama3.2")`.
"""

import json

import numpy as np

import synalinks
from synalinks.testing import ScriptedLanguageModel


class Number(synalinks.DataModel):
    number: int = synalinks.Field(description="A whole number")


class Parity(synalinks.DataModel):
    parity: str = synalinks.Field(description="'even' or 'odd'")


def _stand_in_reply(messages, schema, call_index):
    number = json.loads(messages[-1]["content"])["number"]
    solved_examples = sum(1 for message in messages if message["role"] == "assistant")
    if solved_examples == 0:
        return {"parity": "odd"}
    return {"parity": "even" if number % 2 == 0 else "odd"}


def stand_in_language_model():
    """The offline stand-in for a real language model."""
    return ScriptedLanguageModel(reply_function=_stand_in_reply, name="parity_stand_in")


def parity_program(language_model):
    """`Input(Number) -> Generator(Parity)` as a Sequential program."""
    return synalinks.Sequential(
        [
            synalinks.Input(data_model=Number),
            synalinks.Generator(
                data_model=Parity,
                language_model=language_model,
                instructions="Say whether the number is even or odd.",
            ),
        ],
        name="parity",
        description="Tells whether a number is even or odd",
    )


def parity_data(start, count):
    """Numbers `start .. start+count-1` and their parities, as numpy object arrays."""
    x = np.array([Number(number=n) for n in range(start, start + count)], dtype=object)
    y = np.array([Parity(parity="even" if n % 2 == 0 else "odd") for n in range(start, start + count)], dtype=object)
    return x, y
