"""W13: `predict` over records streamed from a JSON Lines file, written with `predict_to`, simulated LM
(50 ms), 256 at once, in one process: wall, efficiency (ideal / wall), peak RSS and RSS along the way."""

import json
import math
import os
import resource
import tempfile
import threading
import time

from common import Query, SimulatedProvider, language_model, qa_program

RECORDS = 1_000_000
LATENCY = 0.05
CONCURRENCY = 256
# Rows per Ray task: 32 tasks of 244 rounds of calls each, so the two workers end together (no task left alone).
BATCH_ON_RAY = 31250
# The workers mostly wait on the LM: half a CPU each leaves room on 2 cores for Ray Data's read task.
WORKER_CPUS = 0.5


def rss_mb(pid="self"):
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def ray_workers_rss_mb():
    """The largest RSS among the Ray workers running a batch now (processes named `ray::MapBatches...`)."""
    largest = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if cmdline.read(15).startswith(b"ray::MapBatches"):
                    largest = max(largest, rss_mb(pid))
        except OSError:
            continue  # gone since listed
    return largest


class RSSProbe:
    """Samples the resident memory (and the records done so far) every half second in a thread."""

    def __init__(self, ray_workers=False):
        self.samples = []
        self.worker_samples = []  # with ray_workers: the largest worker's RSS at each sample
        self.records = 0
        self._ray_workers = ray_workers
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.5):
            self.samples.append((self.records, rss_mb()))
            if self._ray_workers:
                self.worker_samples.append(ray_workers_rss_mb())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()

    def at(self, records):
        """The RSS sampled when about `records` were done."""
        return next((rss for done, rss in self.samples if done >= records), self.samples[-1][1])


def query_file(records):
    """A new JSON Lines file of `records` queries, and the path beside it for the predictions."""
    folder = tempfile.mkdtemp(prefix="w13-")
    source, target = os.path.join(folder, "in.jsonl"), os.path.join(folder, "out.jsonl")
    with open(source, "w") as handle:
        for index in range(records):
            handle.write(json.dumps({"query": f"q{index}"}) + "\n")
    return source, target


def w13_streamed_predict(records=RECORDS):
    import synalinks

    source, target = query_file(records)
    SimulatedProvider(latency=LATENCY).install()
    program = qa_program(language_model(max_concurrency=CONCURRENCY))
    dataset = synalinks.datasets.JSONLDataset(source, input_data_model=Query, batch_size=CONCURRENCY)

    class Count(synalinks.callbacks.Callback):
        def on_predict_batch_end(self, batch, logs=None):
            probe.records += len(logs["outputs"])

    with RSSProbe() as probe:
        start = time.perf_counter()
        written = program.predict(dataset, batch_size=CONCURRENCY, verbose=0, predict_to=target, callbacks=[Count()])
        wall = time.perf_counter() - start
    assert written == records
    ideal = math.ceil(records / CONCURRENCY) * LATENCY
    return {
        "w13_wall": (wall, "s"),
        "w13_efficiency": (ideal / wall, "ratio"),
        "w13_peak_rss": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MB"),
        "w13_rss_at_100k": (probe.at(min(100_000, records)), "MB"),
        "w13_rss_at_end": (probe.samples[-1][1] if probe.samples else rss_mb(), "MB"),
    }


def w13_ray(records=RECORDS, num_workers=2):
    """W13 on a local Ray cluster: the same file read as a Ray Dataset, `synalinks.distributed.predict` with
    two workers sharing the 256 concurrent calls (128 each), written with `predict_to`."""
    import ray

    import synalinks

    source, target = query_file(records)
    here = os.path.dirname(os.path.abspath(__file__))
    ray.init(
        num_cpus=num_workers,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={
            "env_vars": {"PYTHONPATH": here, "LITELLM_LOCAL_MODEL_COST_MAP": "True"},
            "worker_process_setup_hook": "ray_workers.setup",
        },
    )
    try:
        program = qa_program(language_model(max_concurrency=CONCURRENCY))
        # Start the workers (processes, imports, the program built once each) before the clock, as the
        # single-process run imports and builds before its clock; the start-up is reported apart.
        start = time.perf_counter()
        # Two tasks of 20 rounds of calls each at once, so that every worker process is started.
        warm_up_batch = 20 * CONCURRENCY // num_workers
        warm_up = [Query(query=f"q{index}") for index in range(num_workers * warm_up_batch)]
        synalinks.distributed.predict(
            program, x=warm_up, batch_size=warm_up_batch, num_workers=num_workers, num_cpus=WORKER_CPUS
        )
        startup = time.perf_counter() - start
        dataset = ray.data.read_json(source, lines=True)

        with RSSProbe(ray_workers=True) as probe:
            start = time.perf_counter()
            written = synalinks.distributed.predict(
                program,
                dataset,
                batch_size=BATCH_ON_RAY,
                num_workers=num_workers,
                num_cpus=WORKER_CPUS,
                predict_to=target,
            )
            wall = time.perf_counter() - start
    finally:
        ray.shutdown()
    assert written == records
    ideal = math.ceil(records / CONCURRENCY) * LATENCY
    workers = [rss for rss in probe.worker_samples if rss] or [0.0]
    return {
        "w13_ray_wall": (wall, "s"),
        "w13_ray_efficiency": (ideal / wall, "ratio"),
        "w13_ray_startup": (startup, "s"),
        "w13_ray_driver_peak_rss": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MB"),
        "w13_ray_driver_rss_first_quarter": (max(rss for _, rss in probe.samples[: len(probe.samples) // 4]), "MB"),
        "w13_ray_driver_rss_at_end": (probe.samples[-1][1] if probe.samples else rss_mb(), "MB"),
        "w13_ray_worker_peak_rss": (max(workers), "MB"),
        "w13_ray_worker_rss_first_quarter": (max(workers[: len(workers) // 4]), "MB"),
        "w13_ray_worker_rss_last_quarter": (max(workers[-(len(workers) // 4) :]), "MB"),
    }


if __name__ == "__main__":
    import sys

    workload = w13_ray if "--ray" in sys.argv else w13_streamed_predict
    numbers = [int(argument) for argument in sys.argv[1:] if argument.isdigit()]
    for key, (value, unit) in workload(numbers[0] if numbers else RECORDS).items():
        print(f"{key} {value:.4g} {unit}")
