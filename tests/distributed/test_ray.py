"""synalinks.distributed on a local Ray cluster: predict and evaluate equal the single-process run on 2,000
samples, a worker killed mid-batch loses and doubles nothing, and no API key reaches the workers or the logs."""

import json
import os
import pathlib
import signal
import sys

import pytest

import synalinks
from tests.conftest import make_data, qa_program
from tests.distributed.ray_workers import AnswerByNumber
from tests.trainers.test_data_and_loop import two_input_program

ray = pytest.importorskip("ray")

ROOT = pathlib.Path(__file__).resolve().parents[2]
SECRET = "sk-test-DO-NOT-LEAK-4f9a2c"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ray-control")
    handlers = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={
            "env_vars": {
                "PYTHONPATH": str(ROOT),
                "SYNALINKS_TEST_RAY_DIR": str(folder),
                "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            },
            "worker_process_setup_hook": "tests.distributed.ray_workers.setup",
        },
    )
    yield folder
    ray.shutdown()
    for number, handler in handlers.items():  # ray.init installs its own; other tests check the defaults
        signal.signal(number, handler)


@pytest.fixture(autouse=True)
def provider(monkeypatch, cluster):
    import litellm

    monkeypatch.setattr(litellm, "acompletion", AnswerByNumber())
    monkeypatch.setenv("SYNALINKS_TEST_RAY_DIR", str(cluster))  # this process' calls are counted too
    for name in ("kill_at", "killed", "count_calls", "calls"):
        (cluster / name).unlink(missing_ok=True)


def compiled_program(**language_model_kwargs):
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", max_retries=0, **language_model_kwargs)
    program = qa_program(language_model)
    # The workers' calls and tokens come back: the usage metrics must equal the single-process run's too.
    usage = [synalinks.metrics.LMUsageMetric(field) for field in ("calls", "prompt_tokens", "completion_tokens")]
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.Accuracy(), *usage])
    return program


def as_json(outputs):
    return [output.get_json() if output is not None else None for output in outputs]


def test_predict_and_evaluate_equal_the_single_process_run_on_2000_samples():
    program = compiled_program(max_concurrency=64)
    x, y = make_data(2000)
    expected = as_json(program.predict(x, batch_size=64, verbose=0))
    expected_logs = program.evaluate(x, y, batch_size=64, verbose=0)
    assert 0.0 < expected_logs["accuracy"] < 1.0, "some answers right, some wrong: the comparison means something"

    outputs = synalinks.distributed.predict(program, x=x, batch_size=64, num_workers=2)
    assert as_json(outputs) == expected, "same outputs, same order"
    calls_before = program.language_models()[0].usage.calls
    logs = synalinks.distributed.evaluate(program, x=x, y=y, batch_size=64, num_workers=2)
    assert logs == expected_logs, "metrics aggregated exactly"
    assert logs["lm_calls"] == 2000 and program.language_models()[0].usage.calls == calls_before + 2000


def test_a_ray_dataset_from_a_json_lines_file_streams_to_a_predictions_file(tmp_path):
    program = compiled_program()
    source = tmp_path / "queries.jsonl"
    source.write_text("".join(json.dumps({"query": f"q{i}"}) + "\n" for i in range(500)))
    dataset = ray.data.read_json(str(source), lines=True)
    written = synalinks.distributed.predict(program, dataset, batch_size=50, predict_to=tmp_path / "out.jsonl")
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert written == 500 and lines == [{"answer": "wrong" if i % 7 == 0 else str(i % 3)} for i in range(500)]


def test_a_worker_killed_mid_batch_is_retried_and_nothing_is_lost_or_doubled(cluster):
    program = compiled_program()
    x, y = make_data(2000)
    expected = as_json(program.predict(x, batch_size=50, verbose=0))
    expected_logs = program.evaluate(x, y, batch_size=50, verbose=0)
    (cluster / "kill_at").write_text("q777")
    outputs = synalinks.distributed.predict(program, x=x, batch_size=50, num_workers=2)
    assert (cluster / "killed").exists(), "a worker really died mid-batch"
    assert as_json(outputs) == expected and len(outputs) == 2000
    (cluster / "killed").unlink()
    logs = synalinks.distributed.evaluate(program, x=x, y=y, batch_size=50, num_workers=2)
    assert (cluster / "killed").exists()
    assert logs == expected_logs, "no sample counted twice or lost"


def racing_program():
    program = qa_program(synalinks.LanguageModel(model="openai/gpt-4o-mini", max_retries=0, max_concurrency=16))
    optimizer = synalinks.optimizers.RandomFewShot(nb_min_examples=0, nb_max_examples=4, nb_candidates=4, eval_size=56)
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=optimizer)
    return program


def test_optimizer_trials_as_ray_tasks_race_as_in_one_process(cluster):
    x, y = make_data(160)
    local = racing_program()
    local_history = local.fit(x, y, batch_size=40, epochs=2, seed=3, verbose=0)
    on_ray = racing_program()
    trials = synalinks.distributed.RayTrials(num_workers=2)
    (cluster / "count_calls").touch()
    ray_history = on_ray.fit(x, y, batch_size=40, epochs=2, seed=3, verbose=0, trial_runner=trials)
    callers = (cluster / "calls").read_text().split()
    assert set(callers) - {str(os.getpid())}, "the trials ran in Ray workers"

    races = on_ray.optimizer.trials
    assert races and races == local.optimizer.trials, "the same candidates, rewards and winners"
    scores = {candidate["score"] for race in races for candidate in race["candidates"]}
    assert len(scores) > 1, "the candidates scored differently: the race decided something"
    assert [v.get_json() for v in on_ray.trainable_variables] == [v.get_json() for v in local.trainable_variables]
    assert ray_history.history == local_history.history, "optimizer_calls counts the workers' calls too"


def test_a_fit_budget_holds_with_trials_on_ray(cluster):
    x, y = make_data(160)
    program = racing_program()
    (cluster / "count_calls").touch()
    interrupted = []
    stop = synalinks.callbacks.LambdaCallback(on_train_interrupted=lambda reason, logs=None: interrupted.append(reason))
    program.fit(
        x,
        y,
        batch_size=40,
        epochs=2,
        seed=3,
        verbose=0,
        max_calls=300,
        callbacks=[stop],
        trial_runner=synalinks.distributed.RayTrials(num_workers=2),
    )
    sent = len((cluster / "calls").read_text().split())
    assert interrupted == ["max_calls"] and 250 < sent <= 300, sent


def test_no_api_key_goes_to_the_workers_or_their_logs():
    from synalinks.distributed.program_payload import program_payload

    program = compiled_program(api_key=SECRET)
    text, _ = program_payload(program)
    assert SECRET not in text and "api_key" not in text
    x, _ = make_data(100)
    outputs = synalinks.distributed.predict(program, x=x, batch_size=25)
    assert as_json(outputs)[:3] == [{"answer": "wrong"}, {"answer": "1"}, {"answer": "2"}]
    session = pathlib.Path(ray._private.worker._global_node.get_session_dir_path())
    leaked = [
        path
        for path in session.rglob("*")
        if path.is_file() and path.stat().st_size < 50_000_000 and SECRET.encode() in path.read_bytes()
    ]
    assert leaked == [], f"the key is in {leaked}"


def test_bad_arguments_and_a_missing_extra_say_what_to_do(monkeypatch):
    program = compiled_program()
    x, y = make_data(4)
    with pytest.raises(ValueError, match="not both"):
        synalinks.distributed.predict(program, ray.data.from_items([{"query": "q1"}]), x=x)
    with pytest.raises(TypeError, match="ray.data.Dataset"):
        synalinks.distributed.predict(program, [{"query": "q1"}])
    with pytest.raises(ValueError, match="'split' or 'per_worker'"):
        synalinks.distributed.predict(program, x=x, lm_limits="shared")
    with pytest.raises(ValueError, match="`num_cpus` must be a positive number"):
        synalinks.distributed.predict(program, x=x, num_cpus=0)
    with pytest.raises(ValueError, match="`num_workers` must be a positive integer"):
        synalinks.distributed.RayTrials(num_workers=0)
    with pytest.raises(TypeError, match="trial runner such as synalinks.distributed.RayTrials"):
        program.fit(x, y, trial_runner=lambda samples: [])
    two_inputs = two_input_program(synalinks.LanguageModel(model="openai/gpt-4o-mini"))
    two_inputs.compile(reward=synalinks.rewards.ExactMatch(), optimizer=synalinks.optimizers.RandomFewShot())
    with pytest.raises(ValueError, match="runs programs with one input; .* has 2"):
        two_inputs.fit([(q, q) for q in x], y, verbose=0, trial_runner=synalinks.distributed.RayTrials())
    uncompiled = qa_program(synalinks.LanguageModel(model="openai/gpt-4o-mini"))
    with pytest.raises(RuntimeError, match="compile"):
        synalinks.distributed.evaluate(uncompiled, x=x, y=y)
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ImportError, match=r'pip install "synalinks\[ray\]"'):
        synalinks.distributed.predict(program, x=x)
