"""Runs the standard workloads W1-W14 and prints `name value unit` lines (medians).

Usage: python benchmarks/run.py [--workloads W1,W2,...] [--repeats N] [--json out.json]
"""

import argparse
import asyncio
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import knowledge  # noqa: E402
import streaming  # noqa: E402
from common import Answer, Query, SimulatedProvider, language_model, qa_program, samples  # noqa: E402

import synalinks  # noqa: E402


def w1_overhead():
    """predict on 1,000 samples, latency 0, batch_size 100: µs per sample, with no hook and with a
    global no-op hook (every module and LM call then runs in a traced span)."""
    SimulatedProvider(latency=0).install()
    program = qa_program()
    x, _ = samples(1000)
    program.predict(x[:100], batch_size=100, verbose=0)  # warm-up: imports, validators
    start = time.perf_counter()
    program.predict(x, batch_size=100, verbose=0)
    wall = time.perf_counter() - start
    hook = synalinks.hooks.add_global_hook(synalinks.hooks.Hook())
    try:
        start = time.perf_counter()
        program.predict(x, batch_size=100, verbose=0)
        hooked_wall = time.perf_counter() - start
    finally:
        synalinks.hooks.remove_global_hook(hook)
    return {
        "w1_us_per_sample": (wall / 1000 * 1e6, "us"),
        "w1_noop_hook_us_per_sample": (hooked_wall / 1000 * 1e6, "us"),
    }


def w2_evaluate():
    """evaluate on 256 samples, batch_size 32, latency 50 ms: wall and efficiency."""
    SimulatedProvider(latency=0.05).install()
    program = qa_program()
    program.compile(reward=synalinks.rewards.ExactMatch())
    x, y = samples(256)
    start = time.perf_counter()
    program.evaluate(x, y, batch_size=32, verbose=0)
    wall = time.perf_counter() - start
    return {"w2_wall": (wall, "s"), "w2_efficiency": (0.40 / wall, "ratio")}


def w3_fit():
    """fit: 64 train, 16 validation, batch 8, 2 epochs, RandomFewShot, ExactMatch, latency 50 ms."""
    provider = SimulatedProvider(latency=0.05).install()
    program = qa_program()
    # W3 measures the training loop: 160 LM calls by its definition, so no candidate race.
    optimizer = synalinks.optimizers.RandomFewShot(seed=0, nb_candidates=0)
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=optimizer)
    x, y = samples(64)
    x_val, y_val = samples(16, offset=64)
    start = time.perf_counter()
    program.fit(x, y, validation_data=(x_val, y_val), batch_size=8, epochs=2, verbose=0, seed=0)
    wall = time.perf_counter() - start
    return {"w3_wall": (wall, "s"), "w3_lm_calls": (provider.calls, "calls"), "w3_efficiency": (0.90 / wall, "ratio")}


def w4_checkpoint():
    """50 Generators on one Input merged with `&`, 16 examples of 500-char strings each."""
    SimulatedProvider(latency=0).install()
    lm = language_model()

    async def build():
        inputs = synalinks.Input(data_model=Query)
        outputs = [
            await synalinks.Generator(data_model=Answer, language_model=lm, name=f"generator_{i}")(inputs)
            for i in range(50)
        ]
        merged = outputs[0]
        for output in outputs[1:]:
            merged = merged & output
        return synalinks.Program(inputs=inputs, outputs=merged, name="wide")

    program = asyncio.run(build())
    for index, module in enumerate(program.modules):
        if isinstance(module, synalinks.Generator):
            examples = [
                {"inputs": {"query": f"{index}-{k}-" + "q" * 490}, "outputs": {"answer": f"{index}-{k}-" + "a" * 490}}
                for k in range(16)
            ]
            module.state.update({"examples": examples})
    folder = tempfile.mkdtemp()
    program_path = os.path.join(folder, "wide.json")
    variables_path = os.path.join(folder, "wide.variables.json")
    figures = {}
    start = time.perf_counter()
    program.save(program_path)
    figures["w4_save_ms"] = ((time.perf_counter() - start) * 1000, "ms")
    start = time.perf_counter()
    synalinks.programs.load_program(program_path)
    figures["w4_load_program_ms"] = ((time.perf_counter() - start) * 1000, "ms")
    start = time.perf_counter()
    program.save_variables(variables_path)
    figures["w4_save_variables_ms"] = ((time.perf_counter() - start) * 1000, "ms")
    start = time.perf_counter()
    program.load_variables(variables_path)
    figures["w4_load_variables_ms"] = ((time.perf_counter() - start) * 1000, "ms")
    figures["w4_program_file_kb"] = (os.path.getsize(program_path) / 1024, "KiB")
    figures["w4_variables_file_kb"] = (os.path.getsize(variables_path) / 1024, "KiB")
    return figures


def w5_import():
    """`python -c "import synalinks"` in a fresh process: wall and peak RSS."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    # VmHWM, not ru_maxrss: after fork+exec, ru_maxrss can still hold the parent's peak.
    script = "import synalinks; print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])"
    start = time.perf_counter()
    output = subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    return {"w5_import_wall": (wall, "s"), "w5_peak_rss": (int(output.stdout.strip()) / 1024, "MiB")}


def w6_embedded_training():
    """The bundled sentiment task on the embedded model: fit with RandomFewShot and ProgramCheckpoint."""
    from synalinks.cli.train_command import build_program

    (x_train, y_train), (x_test, y_test) = synalinks.datasets.sentiment.load_data()
    program = build_program("sentiment", synalinks.LanguageModel(model="local/smollm2"))
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        # The configuration of examples/train_sentiment_offline.py: the same run, measured.
        optimizer=synalinks.optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=4, sampling="best", seed=0),
        metrics=[synalinks.metrics.Accuracy()],
    )
    before = program.evaluate(x_test, y_test, verbose=0)["accuracy"]
    path = os.path.join(tempfile.mkdtemp(), "best.json")
    start = time.perf_counter()
    program.fit(
        x_train,
        y_train,
        validation_data=(x_test, y_test),
        epochs=3,
        batch_size=8,
        seed=0,
        verbose=0,
        callbacks=[synalinks.callbacks.ProgramCheckpoint(path, monitor="val_accuracy", save_best_only=True)],
    )
    wall = time.perf_counter() - start
    best = synalinks.programs.load_program(path).evaluate(x_test, y_test, verbose=0)["accuracy"]
    return {
        "w6_val_accuracy_before": (before, "ratio"),
        "w6_val_accuracy_best": (best, "ratio"),
        "w6_fit_wall": (wall, "s"),
    }


def w7_resume():
    """W3 killed (SIGKILL) after a random batch, resumed with BackupAndRestore."""
    import random
    import signal

    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "w7_target.py")
    folder = tempfile.mkdtemp()

    def run(name):
        result = os.path.join(folder, name + ".json")
        process = subprocess.Popen(
            [sys.executable, target, os.path.join(folder, name), result], stdout=subprocess.PIPE, text=True
        )
        return process, result

    process, reference_file = run("reference")
    process.communicate()
    # Killed after a random batch: while it still runs (a kill after its end would resume nothing).
    for _ in range(20):
        shutil.rmtree(os.path.join(folder, "killed"), ignore_errors=True)
        process, _ = run("killed")
        assert process.stdout.readline().strip() == "ready"
        time.sleep(random.uniform(0.0, 0.8))
        still_running = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
        if still_running:
            break
    process, resumed_file = run("killed")
    process.communicate()
    with open(reference_file) as file:
        reference = json.load(file)
    with open(resumed_file) as file:
        resumed = json.load(file)
    with open(os.path.join(folder, "killed", "calls.log")) as file:
        calls = len(file.read().split())
    return {
        "w7_same_final_variables": (float(reference["variables"] == resumed["variables"]), "yes=1"),
        "w7_same_history": (float(reference["history"] == resumed["history"]), "yes=1"),
        "w7_lm_calls_made_again": (calls - 160, "calls"),
    }


_W8_SEEDS = itertools.count()


def _w8_run(optimizer, seed, language_model, epochs=4, data=None, build=None):
    """Trains the arbitrary-code program (or `build`'s on `data`) with `optimizer`; returns untrained and best
    accuracy, calls, wall."""
    import arbitrary_codes

    (x_train, y_train), (x_val, y_val) = data or arbitrary_codes.load_data()
    program = (build or arbitrary_codes.program)(language_model)
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=optimizer, metrics=[synalinks.metrics.Accuracy()])
    start = time.perf_counter()
    untrained = program.evaluate(x_val, y_val, verbose=0)["accuracy"]
    calls_before = language_model.usage.calls
    path = os.path.join(tempfile.mkdtemp(), "best.json")
    history = program.fit(
        x_train,
        y_train,
        validation_data=(x_val, y_val),
        epochs=epochs,
        seed=seed,
        verbose=0,
        callbacks=[synalinks.callbacks.ProgramCheckpoint(path, monitor="val_accuracy", save_best_only=True)],
    )
    calls = language_model.usage.calls - calls_before
    best = synalinks.programs.load_program(path).evaluate(x_val, y_val, verbose=0)["accuracy"]
    return {
        "untrained": untrained,
        "best": best,
        "calls": calls,  # fit's: training, races and the validation at each epoch end
        "wall": time.perf_counter() - start,
        "val_accuracy": history.history.get("val_accuracy"),
        "optimizer_calls": history.history.get("optimizer_calls"),
    }


def w8_learning_from_examples():
    """The arbitrary-code task on the embedded model, 4 epochs, best checkpoint: RandomFewShot() (its defaults: 4 to 8 examples, "best" sampling) and OMEGA() (the embedded model as its own proposer).

    Each run uses the next seed (0, 1, 2, ...), so the median is over seeds.
    """
    seed = next(_W8_SEEDS)
    language_model = synalinks.LanguageModel(model="local/smollm2")
    report = {}
    optimizers = {
        "random_few_shot": synalinks.optimizers.RandomFewShot(seed=seed),
        "omega": synalinks.optimizers.OMEGA(language_model=language_model, seed=seed),
    }
    for name, optimizer in optimizers.items():
        run = _w8_run(optimizer, seed, language_model)
        print(f"  W8 seed {seed} {name}: {run}", file=sys.stderr, flush=True)
        report[f"w8_{name}_val_accuracy_untrained"] = (run["untrained"], "ratio")
        report[f"w8_{name}_val_accuracy_best"] = (run["best"], "ratio")
        report[f"w8_{name}_lm_calls"] = (run["calls"], "calls")
        report[f"w8_{name}_wall"] = (run["wall"], "s")
    return report


def w8s_str_field_topics():
    """W8's recipe on the `str`-field topic classifier (18 train / 18 validation), RandomFewShot with its defaults."""
    import topics

    seed = next(_W8S_SEEDS)
    language_model = synalinks.LanguageModel(model="local/smollm2")
    run = _w8_run(
        synalinks.optimizers.RandomFewShot(seed=seed),
        seed,
        language_model,
        data=topics.load_data(),
        build=topics.program,
    )
    print(f"  W8S seed {seed}: {run}", file=sys.stderr, flush=True)
    return {
        "w8s_val_accuracy_untrained": (run["untrained"], "ratio"),
        "w8s_val_accuracy_best": (run["best"], "ratio"),
        "w8s_lm_calls": (run["calls"], "calls"),
        "w8s_wall": (run["wall"], "s"),
    }


_W8S_SEEDS = itertools.count()


def w9_against_dspy():
    """The W8 task, model and data with DSPy (its own virtualenv, the GGUF served on 127.0.0.1) and with ours.

    Prints both sides' accuracy and LM calls from one run. The virtualenv is made once in
    ~/.cache/synalinks-benchmarks (PyPI needed the first time).
    """
    import arbitrary_codes
    from openai_server import OpenAICompatibleServer

    python = _dspy_python()
    (x_train, y_train), (x_val, y_val) = arbitrary_codes.load_data()
    rows = lambda x, y: [[a.get_json()["review"], b.get_json()["code"]] for a, b in zip(x, y)]  # noqa: E731
    data_path = os.path.join(tempfile.mkdtemp(), "data.json")
    with open(data_path, "w") as file:
        json.dump({"train": rows(x_train, y_train), "validation": rows(x_val, y_val)}, file)
    server = OpenAICompatibleServer("smollm2").start()
    try:
        side = os.path.join(os.path.dirname(os.path.abspath(__file__)), "w9_dspy_side.py")
        done = subprocess.run([python, side, data_path, server.api_base], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"the DSPy side failed: {done.stderr[-2000:]}")
        dspy_report = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        server.stop()
    report = {}
    print(f"  W9 DSPy {dspy_report.pop('dspy_version')}:", file=sys.stderr)
    for name, run in dspy_report.items():
        print(f"    {name}: {run}", file=sys.stderr, flush=True)
        key = "w9_dspy_" + name.split("(")[0].lower()
        report[key + "_val_accuracy"] = (run.get("val_accuracy", float("nan")), "ratio")
        report[key + "_lm_calls"] = (run["calls"], "calls")
    language_model = synalinks.LanguageModel(model="local/smollm2")
    for name, optimizer, epochs in (
        # No race, one epoch: 20 training and 20 validation calls, as few as DSPy's cheapest.
        (
            "random_few_shot_no_race_1_epoch",
            synalinks.optimizers.RandomFewShot(seed=0, nb_candidates=0),
            1,
        ),
        (
            "random_few_shot_no_race_12_16_shots_1_epoch",
            synalinks.optimizers.RandomFewShot(
                seed=0, nb_candidates=0, nb_min_examples=12, nb_max_examples=16, sampling="best"
            ),
            1,
        ),
        (
            "random_few_shot_1_epoch",
            synalinks.optimizers.RandomFewShot(seed=0),
            1,
        ),
        (
            "random_few_shot",
            synalinks.optimizers.RandomFewShot(seed=0),
            4,
        ),
    ):
        run = _w8_run(optimizer, 0, language_model, epochs=epochs)
        print(f"    synalinks {name}: {run}", file=sys.stderr, flush=True)
        report[f"w9_synalinks_{name}_val_accuracy"] = (run["best"], "ratio")
        report[f"w9_synalinks_{name}_lm_calls"] = (run["calls"], "calls")
    return report


def w14_long_tail():
    """evaluate on 1,024 samples, batch 32, concurrency 32, lognormal latencies: ours and DSPy's, in one run.

    Efficiency is the work-conserving limit (each sample, in order, starting
    in the first of 32 slots to free up) over the wall time.
    """
    import long_tail

    limit = long_tail.work_conserving_makespan([long_tail.latency(i) for i in range(long_tail.SAMPLES)])
    SimulatedProvider(latency=long_tail.prompt_latency).install()
    program = qa_program(language_model(max_concurrency=long_tail.SLOTS))
    program.compile(reward=synalinks.rewards.ExactMatch())
    x, y = samples(long_tail.SAMPLES)
    program.evaluate(x[:32], y[:32], batch_size=32, verbose=0)  # warm-up: imports, validators
    start = time.perf_counter()
    program.evaluate(x, y, batch_size=long_tail.SLOTS, verbose=0)
    wall = time.perf_counter() - start
    report = {"w14_limit": (limit, "s"), "w14_wall": (wall, "s"), "w14_efficiency": (limit / wall, "ratio")}
    python = _dspy_python()
    side = os.path.join(os.path.dirname(os.path.abspath(__file__)), "w14_dspy_side.py")
    done = subprocess.run([python, side], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the DSPy side failed: {done.stderr[-2000:]}")
    dspy_report = json.loads(done.stdout.strip().splitlines()[-1])
    report["w14_dspy_wall"] = (dspy_report["wall"], "s")
    report["w14_dspy_efficiency"] = (limit / dspy_report["wall"], "ratio")
    return report


def _dspy_python():
    """DSPy's virtualenv in ~/.cache/synalinks-benchmarks, made the first time (PyPI needed then)."""
    venv = os.path.expanduser("~/.cache/synalinks-benchmarks/dspy-venv")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "dspy"], check=True)
    return python


WORKLOADS = {
    "W1": w1_overhead,
    "W2": w2_evaluate,
    "W3": w3_fit,
    "W4": w4_checkpoint,
    "W5": w5_import,
    "W6": w6_embedded_training,
    "W7": w7_resume,
    "W8": w8_learning_from_examples,
    "W8S": w8s_str_field_topics,
    "W9": w9_against_dspy,
    "W10": knowledge.w10_ingest,
    "W11": knowledge.w11_search,
    "W12": knowledge.w12_quality,
    "W13": streaming.w13_streamed_predict,
    "W13R": streaming.w13_ray,
    "W14": w14_long_tail,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", help="Also write the medians and every run to this JSON file.")
    args = parser.parse_args()
    report = {}
    for name in args.workloads.split(","):
        workload = WORKLOADS[name.strip().upper()]
        runs = [workload() for _ in range(args.repeats)]
        for key in runs[0]:
            values = [run[key][0] for run in runs]
            unit = runs[0][key][1]
            median = statistics.median(values)
            report[key] = {"median": median, "unit": unit, "runs": values}
            print(f"{key} {median:.4g} {unit}", flush=True)
    if args.json:
        with open(args.json, "w") as file:
            json.dump(report, file, indent=2)


if __name__ == "__main__":
    main()
