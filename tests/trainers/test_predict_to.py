"""predict(..., predict_to=path): one JSON line per input record, in order, as it goes; a run started again
after a crash (even a SIGKILL) continues the file without redoing or doubling a record."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

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
