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


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class RSSProbe:
    """Samples the resident memory (and the records done so far) every half second in a thread."""

    def __init__(self):
        self.samples = []
        self.records = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.5):
            self.samples.append((self.records, rss_mb()))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()

    def at(self, records):
        """The RSS sampled when about `records` were done."""
        return next((rss for done, rss in self.samples if done >= records), self.samples[-1][1])


def w13_streamed_predict(records=RECORDS):
    import synalinks

    folder = tempfile.mkdtemp(prefix="w13-")
    source, target = os.path.join(folder, "in.jsonl"), os.path.join(folder, "out.jsonl")
    with open(source, "w") as handle:
        for index in range(records):
            handle.write(json.dumps({"query": f"q{index}"}) + "\n")
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


if __name__ == "__main__":
    import sys

    for key, (value, unit) in w13_streamed_predict(int(sys.argv[1]) if len(sys.argv) > 1 else RECORDS).items():
        print(f"{key} {value:.4g} {unit}")
