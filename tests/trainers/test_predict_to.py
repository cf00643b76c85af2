"""predict(..., predict_to=path): one JSON line per input record, in order, as it goes; a run started again
after a crash (even a SIGKILL) continues the file without redoing or doubling a record."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import synalinks
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import Answer, Query


def program_with(lm):
    return synalinks.Sequential(
        [synalinks.Input(data_model=Query), synalinks.Generator(data_model=Answer, language_model=lm)]
    )


def echo(messages, schema, index):
    return {"answer": json.loads(messages[-1]["content"])["query"].upper()}


def test_outputs_are_written_in_input_order_and_a_cut_file_is_continued(tmp_path):
    path = tmp_path / "out.jsonl"
    x = [Query(query=f"q{i}") for i in range(10)]
    lm = ScriptedLanguageModel(reply_function=echo, latency=(0.0, 0.02))
    assert program_with(lm).predict(x, batch_size=3, verbose=0, predict_to=path) == 10
    lines = path.read_text().splitlines()
    assert [json.loads(line) for line in lines] == [{"answer": f"Q{i}"} for i in range(10)]
    path.write_text("\n".join(lines[:4]) + "\n" + lines[4][:5])  # a crash cut the fifth line
    again = ScriptedLanguageModel(reply_function=echo)
    assert program_with(again).predict(x, batch_size=3, verbose=0, predict_to=path) == 10
    assert len(again.requests) == 6, "the four finished records are not run again"
    assert [json.loads(line) for line in path.read_text().splitlines()] == [{"answer": f"Q{i}"} for i in range(10)]
    assert program_with(again).predict(x, batch_size=3, verbose=0, predict_to=path) == 10 and len(again.requests) == 6


SCRIPT = textwrap.dedent(
    """
    import json, sys
    import synalinks
    from synalinks.testing import ScriptedLanguageModel
    from tests.conftest import Answer, Query

    def echo(messages, schema, index):
        return {"answer": json.loads(messages[-1]["content"])["query"].upper()}

    lm = ScriptedLanguageModel(reply_function=echo, latency=float(sys.argv[3]))
    program = synalinks.Sequential([synalinks.Input(data_model=Query), synalinks.Generator(data_model=Answer, language_model=lm)])
    dataset = synalinks.datasets.JSONLDataset(sys.argv[1], input_data_model=Query, batch_size=8)
    print(program.predict(dataset, verbose=0, predict_to=sys.argv[2]), len(lm.requests))
    """
)


def test_a_run_killed_mid_way_is_continued_with_nothing_lost_or_doubled(tmp_path):
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps({"query": f"q{i}"}) + "\n" for i in range(200)))
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(source), str(out), "0.1"], env=env, stdout=subprocess.PIPE, text=True
    )
    while not out.exists() or out.read_text().count("\n") < 40:
        assert process.poll() is None, "the run ended before it could be killed"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = out.read_text().count("\n")
    assert 40 <= written < 200
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(source), str(out), "0"], env=env, capture_output=True, text=True, check=True
    )
    total, calls = (int(value) for value in done.stdout.split())
    assert total == 200 and calls == 200 - written, "only the records not written are run"
    assert [json.loads(line) for line in out.read_text().splitlines()] == [{"answer": f"Q{i}"} for i in range(200)]


def test_a_file_of_other_inputs_or_another_program_is_refused_and_left_as_it_is(tmp_path):
    from synalinks.trainers.prediction_file import PredictionFileError

    path = tmp_path / "out.jsonl"
    x = [Query(query=f"q{i}") for i in range(20)]
    assert program_with(ScriptedLanguageModel(reply_function=echo)).predict(x, verbose=0, predict_to=path) == 20
    before = path.read_bytes()
    other_inputs = [Query(query=f"other{i}") for i in range(30)]
    lm = ScriptedLanguageModel(reply_function=echo)
    with pytest.raises(PredictionFileError, match="other inputs"):
        program_with(lm).predict(other_inputs, verbose=0, predict_to=path)
    assert lm.requests == [] and path.read_bytes() == before, "no call, not a byte changed"
    trained = program_with(lm)
    trained.trainable_variables[0].update({"instructions": "Answer in French."})
    with pytest.raises(PredictionFileError, match="another program"):
        trained.predict(x, verbose=0, predict_to=path)
    assert path.read_bytes() == before
    # The same program and inputs, with more records after them, continue the file.
    more = x + [Query(query=f"q{i}") for i in range(20, 25)]
    assert program_with(lm).predict(more, verbose=0, predict_to=path) == 25 and len(lm.requests) == 5


@pytest.mark.parametrize("content", ["my notes\nwithout a newline at the end", '{"query": "q0"}\n{"query": "q1"}'])
def test_a_file_predict_did_not_write_is_refused_without_losing_its_last_line(tmp_path, content):
    from synalinks.trainers.prediction_file import PredictionFileError

    path = tmp_path / "notes.jsonl"
    path.write_text(content)
    lm = ScriptedLanguageModel(reply_function=echo)
    with pytest.raises(PredictionFileError, match="not written by predict"):
        program_with(lm).predict([Query(query="q0")], verbose=0, predict_to=path)
    assert path.read_text() == content and lm.requests == []


def test_a_second_writer_gets_a_clear_error(tmp_path):
    from synalinks.trainers.prediction_file import PredictionFile, PredictionFileLockedError

    path = tmp_path / "out.jsonl"
    program = program_with(ScriptedLanguageModel(reply_function=echo))
    first = PredictionFile(path, program)
    first.open()
    try:
        with pytest.raises(PredictionFileLockedError, match="being written by another predict"):
            program.predict([Query(query="q0")], verbose=0, predict_to=path)
        script = (
            "import fcntl, sys\n"
            "handle = open(sys.argv[1], 'a')\n"
            "try:\n    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)\n    print('got it')\n"
            "except OSError:\n    print('locked')\n"
        )
        other = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=30)
        assert other.stdout.strip() == "locked", "another process is kept out too"
    finally:
        first.close()
    assert program.predict([Query(query="q0")], verbose=0, predict_to=path) == 1
