import os

# litellm fetches a price list from the network at import unless told not to;
# tests never use the network. Set before anything imports litellm.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import asyncio
import json

import numpy as np
import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The answer")


def answer_of(messages):
    """The right answer to the query in the last message: `q<i>` -> str(i % 3)."""
    query = json.loads(messages[-1]["content"])["query"]
    return str(int(query[1:]) % 3)


def correct_reply(messages, schema, call_index):
    return {"answer": answer_of(messages)}


def learning_reply(messages, schema, call_index):
    """Right only when the prompt holds few-shot examples, like a small real model."""
    if any(message["role"] == "assistant" for message in messages):
        return {"answer": answer_of(messages)}
    return {"answer": "wrong"}


def make_data(count, offset=0):
    x = np.array([Query(query=f"q{i}") for i in range(offset, offset + count)], dtype=object)
    y = np.array([Answer(answer=str(i % 3)) for i in range(offset, offset + count)], dtype=object)
    return x, y


def qa_program(language_model, name="qa"):
    return synalinks.Sequential(
        [synalinks.Input(data_model=Query), synalinks.Generator(data_model=Answer, language_model=language_model)],
        name=name,
    )


def functional_qa(language_model):
    async def build():
        inputs = synalinks.Input(data_model=Query)
        outputs = await synalinks.Generator(data_model=Answer, language_model=language_model)(inputs)
        return synalinks.Program(inputs=inputs, outputs=outputs, name="qa")

    return asyncio.run(build())


@pytest.fixture
def lm():
    return ScriptedLanguageModel(reply_function=correct_reply)


@pytest.fixture
def learning_lm():
    return ScriptedLanguageModel(reply_function=learning_reply)
