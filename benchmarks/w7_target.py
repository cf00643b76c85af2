"""W7's training run: W3 with BackupAndRestore, as a process that the benchmark kills and restarts.

Usage: python w7_target.py FOLDER RESULT_FILE

The simulated provider keeps its call counter in FOLDER (a real provider does
not forget its state when our process dies): the k-th reply it delivers is
`{"answer": "<k mod 3>"}`. It appends one line to FOLDER/calls.log per call it
receives, to count the calls made again after a resume.
"""

import asyncio
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import qa_program, samples  # noqa: E402

import synalinks  # noqa: E402


class PersistentProvider:
    def __init__(self, folder, latency):
        self.counter_path = os.path.join(folder, "provider_counter")
        self.log = open(os.path.join(folder, "calls.log"), "a")
        self.latency = latency
        self.delivered = int(open(self.counter_path).read()) if os.path.exists(self.counter_path) else 0

    async def __call__(self, **kwargs):
        self.log.write("call\n")
        self.log.flush()
        await asyncio.sleep(self.latency)
        k = self.delivered
        self.delivered += 1
        temporary = self.counter_path + ".tmp"
        with open(temporary, "w") as file:
            file.write(str(self.delivered))
        os.replace(temporary, self.counter_path)
        return {"choices": [{"message": {"content": json.dumps({"answer": str(k % 3)})}}]}


class Ready(synalinks.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if not getattr(self, "said", False):
            print("ready", flush=True)
            self.said = True


def main(folder, result_file):
    import litellm

    os.makedirs(folder, exist_ok=True)
    litellm.acompletion = PersistentProvider(folder, latency=0.05)
    program = qa_program()
    # W3's setup (160 LM calls by its definition, so no candidate race).
    optimizer = synalinks.optimizers.RandomFewShot(seed=0, nb_candidates=0)
    program.compile(reward=synalinks.rewards.ExactMatch(), optimizer=optimizer)
    x, y = samples(64)
    x_val, y_val = samples(16, offset=64)
    backup = synalinks.callbacks.BackupAndRestore(os.path.join(folder, "backup"), save_freq=1)
    history = program.fit(
        x, y, validation_data=(x_val, y_val), batch_size=8, epochs=2, seed=0, verbose=0, callbacks=[Ready(), backup]
    )
    with open(result_file, "w") as file:
        json.dump({"variables": [v.get_json() for v in program.variables], "history": history.history}, file)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
