"""Shared pieces of the standard workloads of benchmarks/run.py."""

import asyncio
import itertools
import json

import synalinks


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The answer")


class SimulatedProvider:
    """Stands in for `litellm.acompletion`: the k-th call answers `{"answer": "<k mod 3>"}`.

    It sleeps `latency` seconds with `asyncio.sleep` and replies in litellm's
    reply shape, so the language model's real parsing and validation run.
    `latency` may also be a function of the request's messages (W14).
    """

    def __init__(self, latency):
        self.latency = latency
        self.calls = 0
        self._counter = itertools.count()

    async def __call__(self, **kwargs):
        k = next(self._counter)
        self.calls += 1
        seconds = self.latency(kwargs["messages"]) if callable(self.latency) else self.latency
        if seconds:
            await asyncio.sleep(seconds)
        return {"choices": [{"message": {"content": json.dumps({"answer": str(k % 3)})}}]}

    def install(self):
        import litellm

        litellm.acompletion = self
        return self


def language_model(**kwargs):
    return synalinks.LanguageModel(model="openai/simulated", max_retries=0, **kwargs)


def qa_program(lm=None):
    return synalinks.Sequential(
        [
            synalinks.Input(data_model=Query),
            synalinks.Generator(data_model=Answer, language_model=lm or language_model()),
        ],
        name="qa",
    )


def samples(count, offset=0):
    import numpy as np

    x = np.empty(count, dtype=object)
    y = np.empty(count, dtype=object)
    for index in range(count):
        i = index + offset
        x[index] = Query(query=f"q{i}")
        y[index] = Answer(answer=str(i % 3))
    return x, y
