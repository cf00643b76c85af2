"""Streamed predict keeps a flat memory whatever the model's speed: with a zero-latency model and a
consumer that syncs each batch to disk, finished batches do not pile up."""

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import synalinks
    import litellm
    from tests.conftest import Answer, Query

    n, source, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    with open(source, "w") as handle:
        for i in range(n):
            handle.write(json.dumps({"query": f"q{i}"}) + "\\n")
    REPLY = {"choices": [{"message": {"role": "assistant", "content": '{"answer": "a"}'}}]}

    async def instant(**kwargs):  # a model with no latency at all
        return REPLY

    litellm.acompletion = instant
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    program = synalinks.Sequential(
        [synalinks.Input(data_model=Query), synalinks.Generator(data_model=Answer, language_model=lm)]
    )
    dataset = synalinks.datasets.JSONLDataset(source, input_data_model=Query, batch_size=32)

    def peak_mb():  # VmHWM: this process' own peak (ru_maxrss would count what the parent had at fork)
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) // 1024

    before = peak_mb()
    written = program.predict(dataset, verbose=0, predict_to=out)
    print(written, before, peak_mb())
    """
)


@pytest.mark.slow
def test_a_zero_latency_stream_of_200000_records_stays_under_300_mb(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, "200000", str(tmp_path / "in.jsonl"), str(tmp_path / "out.jsonl")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    written, before, peak = map(int, done.stdout.split()[-3:])
    assert written == 200_000, done.stderr[-2000:]
    assert peak < 300, f"peak RSS {peak} MB (started at {before} MB)"
    assert peak - before < 60, f"memory grew by {peak - before} MB while predicting"
