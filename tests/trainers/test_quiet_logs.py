"""Quiet logs: many failing samples give one summary line per evaluation, prediction or epoch, with the
counts right and the first error in full; outside a run, a failure is logged as it happens."""

import asyncio
import json
import logging

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query


class ProviderDownError(RuntimeError):
    pass


def third_fails(messages, schema, index):
    number = int(json.loads(messages[-1]["content"])["query"][1:])
    if number % 3 == 0:
        return ProviderDownError(f"provider down for q{number}")
    return {"answer": "x"}


def program():
    lm = ScriptedLanguageModel(reply_function=third_fails)
    program = synalinks.Sequential(
        [synalinks.Input(data_model=Query), synalinks.Generator(data_model=Answer, language_model=lm)]
    )
    program.compile(
        reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(nb_candidates=0)
    )
    return program


def warnings_of(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("synalinks")]


def test_a_thousand_samples_with_a_third_failing_give_one_line_per_run(caplog):
    x = [Query(query=f"q{i}") for i in range(1000)]
    y = [Answer(answer="x") for _ in range(1000)]
    prog = program()
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        outputs = prog.predict(x, batch_size=50, verbose=0)
    lines = warnings_of(caplog)
    assert len(lines) == 1, lines
    assert sum(output is None for output in outputs) == 334
    assert lines[0].startswith("prediction: 334 sample failures (LanguageModelError 334); the first, in generator")
    assert "ProviderDownError: provider down for q0" in lines[0], "the first error in full"
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        logs = prog.evaluate(x, y, batch_size=50, verbose=0)
        prog.fit(x[:300], y[:300], epochs=2, batch_size=50, verbose=0)
    lines = warnings_of(caplog)
    assert logs["failures"] == 334, "the progress bar and History count the failures"
    assert [line.split(":")[0] for line in lines] == ["evaluation", "epoch 1", "epoch 2"], lines
    assert "100 sample failures" in lines[1] and "100 sample failures" in lines[2]


def test_outside_a_run_a_failure_is_logged_when_it_happens(caplog):
    with caplog.at_level(logging.WARNING, logger="synalinks"):
        asyncio.run(program()(Query(query="q3")))
    assert len(warnings_of(caplog)) == 1 and "no output, the language model failed" in warnings_of(caplog)[0]
