"""Nothing hangs and nothing fails silently: capped waits, timeouts, refused keys, SIGTERM, Ctrl-C, bad inputs."""

import asyncio
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import threading
import time

import litellm
import numpy as np
import pytest

import synalinks
from synalinks.callbacks import ProgramCheckpoint
from synalinks.cli.main import main as cli_main
from synalinks.language_models import LanguageModelAccessError, LanguageModelError
from synalinks.language_models import language_model_transport as language_model_module
from synalinks.saving import read_checkpoint_info
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query, answer_of, make_data, qa_program

MESSAGES = [{"role": "user", "content": "2+2?"}]
ROOT = pathlib.Path(__file__).resolve().parents[2]


class RateLimitedError(Exception):
    status_code = 429

    def __init__(self, retry_after):
        super().__init__("slow down")
        self.litellm_response_headers = {"retry-after": retry_after}


@pytest.mark.parametrize("asked", ["inf", "3600", "nan"])
def test_retry_after_waits_at_most_retry_max_wait(monkeypatch, asked):
    sleeps = []

    async def fake_sleep(seconds):
        sleeps.append(seconds)

    monkeypatch.setattr(language_model_module.asyncio, "sleep", fake_sleep)
    lm = ScriptedLanguageModel(replies=[RateLimitedError(asked), {"answer": "4"}], max_retries=1, retry_delay=0.01)
    assert lm.retry_max_wait == 60.0, "the default cap"
    lm.retry_max_wait = 2.5
    assert asyncio.run(lm(MESSAGES, schema=Answer.get_schema())) == {"answer": "4"}
    assert len(sleeps) == 1 and sleeps[0] <= 2.5


def test_a_server_that_never_answers_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    stop = threading.Event()

    def accept_and_say_nothing():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_say_nothing, daemon=True)
    thread.start()
    try:
        lm = synalinks.LanguageModel(
            model="openai/gpt-4o-mini",
            api_base=f"http://127.0.0.1:{listener.getsockname()[1]}/v1",
            api_key="sk-test-never-answers",
            timeout=1.0,
            max_retries=0,
        )
        start = time.monotonic()
        with pytest.raises(LanguageModelError, match="(?i)time"):
            asyncio.run(lm(MESSAGES, schema=Answer.get_schema()))
        assert time.monotonic() - start < 10
        assert accepted, "the request reached the server"
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()


def test_every_call_has_a_default_timeout(monkeypatch):
    seen = {}

    async def record(**kwargs):
        seen.update(kwargs)
        return {"choices": [{"message": {"content": '{"answer": "4"}'}}]}

    monkeypatch.setattr(litellm, "acompletion", record)
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini", api_key="sk-test")
    assert asyncio.run(lm(MESSAGES, schema=Answer.get_schema())) == {"answer": "4"}
    assert lm.timeout == 600.0 and seen["timeout"] == 600.0


def compiled(language_model):
    program = qa_program(language_model)
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot(seed=0))
    return program


def test_a_refused_key_stops_fit_evaluate_and_predict_at_once(monkeypatch):
    calls = []

    async def refuse(**kwargs):
        calls.append(kwargs)
        raise litellm.AuthenticationError(
            message="Incorrect API key provided", llm_provider="openai", model="gpt-4o-mini"
        )

    monkeypatch.setattr(litellm, "acompletion", refuse)
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini", api_key="sk-wrong-key-0123", max_retries=3)
    program = compiled(lm)
    x, y = make_data(16)
    with pytest.raises(LanguageModelAccessError, match="API key"):
        program.fit(x, y, batch_size=4, epochs=3, verbose=0)
    assert len(calls) <= 4, "no retries, no second batch"
    assert program.history.epoch == []
    calls.clear()
    with pytest.raises(LanguageModelAccessError):
        program.evaluate(x, y, verbose=0)
    with pytest.raises(LanguageModelAccessError):
        program.predict(x, verbose=0)
    assert calls == [], "once refused, the model fails at once without calling again"


def test_a_missing_key_stops_fit_at_once(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    program = compiled(synalinks.LanguageModel(model="openai/gpt-4o-mini"))
    x, y = make_data(8)
    callback = ProgramCheckpoint(tmp_path / "best.json", save_best_only=True)
    with pytest.raises(LanguageModelAccessError, match="OPENAI_API_KEY"):
        program.fit(x, y, validation_data=make_data(2, 50), batch_size=4, epochs=3, verbose=0, callbacks=[callback])
    assert program.modules[-1].language_model.usage.calls <= 4, "the first batch's calls, no retries, no more"
    assert not (tmp_path / "best.json").exists(), "nothing is saved as the best"
    assert not (tmp_path / ".synalinks.lock").exists()


def test_the_cli_exits_non_zero_with_one_clear_line_when_the_key_is_missing(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    lines = []
    status = cli_main(
        ["train", "--model", "openai/gpt-4o-mini", "--output", str(tmp_path), "--verbose", "0"], lines.append
    )
    errors = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert len(errors) == 1 and "OPENAI_API_KEY" in errors[0]
    assert len(lines) <= 2


def fake_provider(interrupt_after=None):
    """litellm.acompletion answering the sentiment task right; presses Ctrl-C (SIGINT) at call N."""
    calls = []

    async def complete(**kwargs):
        calls.append(kwargs)
        if interrupt_after is not None and len(calls) == interrupt_after:
            os.kill(os.getpid(), signal.SIGINT)
            await asyncio.sleep(0.1)
        review = json.loads(kwargs["messages"][-1]["content"])["review"]
        positive = any(word in review.lower() for word in ("warm", "loved", "great", "wonderful", "brilliant", "fun"))
        content = json.dumps({"sentiment": "positive" if positive else "negative"})
        return {"choices": [{"message": {"content": content}}]}

    return complete, calls


def test_synalinks_train_resumes_an_interrupted_run(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    complete, calls = fake_provider(interrupt_after=40)
    monkeypatch.setattr(litellm, "acompletion", complete)
    arguments = ["train", "--example", "sentiment", "--model", "openai/gpt-4o-mini"]
    arguments += ["--output", str(tmp_path), "--verbose", "0", "--epochs", "2"]
    assert cli_main(arguments, lambda text="": None) == 130
    captured = capsys.readouterr()
    assert "Training interrupted at epoch" in captured.err and "a backup is in" in captured.err
    assert (tmp_path / "sentiment" / "backup" / "backup.json").is_file()
    complete, calls = fake_provider()
    monkeypatch.setattr(litellm, "acompletion", complete)
    lines = []
    assert cli_main(arguments, lines.append) == 0
    output = "\n".join(lines) + capsys.readouterr().out
    assert "going on from where it stopped" in output and "BackupAndRestore: resuming" in output
    assert "validation accuracy before training" not in output
    assert (tmp_path / "sentiment" / "best.program.json").is_file()
    assert not (tmp_path / "sentiment" / "backup" / "backup.json").exists()


def test_sigterm_during_a_hanging_call_stops_fit_within_seconds(tmp_path):
    async def hang_on_the_second_batch(messages, schema, index):
        if index >= 2:
            await asyncio.sleep(3600)
        return {"answer": answer_of(messages)}

    lm = ScriptedLanguageModel(reply_function=hang_on_the_second_batch)
    program = compiled(lm)
    x, y = make_data(8)

    class TerminateSoon(synalinks.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if batch == 1:
                threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM)).start()

    start = time.monotonic()
    program.fit(
        x,
        y,
        batch_size=2,
        epochs=2,
        verbose=0,
        callbacks=[TerminateSoon(), ProgramCheckpoint(tmp_path / "c.json", save_on_exception=True)],
    )
    assert time.monotonic() - start < 15
    assert read_checkpoint_info(tmp_path / "interrupted.json")["interrupted"] == "'SIGTERM'"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


CTRL_C_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import correct_reply, make_data, qa_program
lm = ScriptedLanguageModel(reply_function=correct_reply, latency=0.3)
program = qa_program(lm)
program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot())
x, y = make_data(40)
print("ready", flush=True)
program.fit(x, y, batch_size=2, epochs=3, verbose=0, callbacks=[
    synalinks.callbacks.BackupAndRestore({folder!r}, save_freq=1)])
"""


def test_ctrl_c_prints_one_line_saying_what_was_kept_and_one_short_traceback(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(CTRL_C_SCRIPT.format(root=str(ROOT), folder=str(tmp_path / "backup")))
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode != 0
    lines = [line for line in errors.splitlines() if line.startswith("Training interrupted")]
    assert len(lines) == 1 and "a backup is in" in lines[0], errors
    assert errors.count("Traceback") == 1, errors
    assert "no running event loop" not in errors and "CancelledError" not in errors


def test_inputs_of_another_data_model_are_refused(lm):
    program = compiled(lm)
    wrong = np.array([Answer(answer="1"), Answer(answer="2")], dtype=object)
    _, y = make_data(2)
    with pytest.raises(ValueError, match=r"Answer with the fields \['answer'\].*\['query'\]"):
        program.fit(wrong, y, verbose=0)
    with pytest.raises(ValueError, match="program's input data model"):
        program.evaluate(wrong, y, verbose=0)
    with pytest.raises(ValueError, match="program's input data model"):
        program.predict(wrong, verbose=0)
    with pytest.raises(ValueError, match="validation_data"):
        program.fit(*make_data(2), validation_data=(wrong, y), verbose=0)
    assert lm.requests == []
    program.predict(np.array([Query(query="q1")], dtype=object), verbose=0)
    assert len(lm.requests) == 1
