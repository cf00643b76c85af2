"""A training run for the crash tests, started as a subprocess and killed with SIGKILL.

Usage: python crash_target.py FOLDER checkpoint|resume RESULT_FILE
- checkpoint: trains forever with a ProgramCheckpoint writing large files after every batch.
- resume: trains with BackupAndRestore(save_freq=1) and writes the final variables and
  History to RESULT_FILE; the LM requests it makes are appended to FOLDER/requests.log.
"""

import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import synalinks  # noqa: E402
from synalinks.testing import ScriptedLanguageModel  # noqa: E402


class Query(synalinks.DataModel):
    query: str


class Answer(synalinks.DataModel):
    answer: str


def data(count, offset=0):
    x = [Query(query=f"q{i}") for i in range(offset, offset + count)]
    y = [Answer(answer=str(i % 3)) for i in range(offset, offset + count)]
    return x, y


class Ready(synalinks.callbacks.Callback):
    """Says "ready" after the first batch: on stdout, or on a file descriptor (a forked child)."""

    def __init__(self, fd=None):
        super().__init__()
        self.fd = fd

    def on_train_batch_end(self, batch, logs=None):
        if not getattr(self, "said", False):
            if self.fd is None:
                print("ready", flush=True)
            else:
                os.write(self.fd, b"ready\n")
            self.said = True


def checkpoint_run(folder, ready_fd=None):
    lm = ScriptedLanguageModel(replies=[{"answer": "1"}], name="crash_checkpoint")
    program = synalinks.Sequential(
        [synalinks.Input(data_model=Query), synalinks.Generator(data_model=Answer, language_model=lm)]
    )
    big = [{"inputs": {"query": f"{k}" * 2000}, "outputs": {"answer": "x" * 2000}} for k in range(100)]
    program.variables[0].update({"examples": big})
    program.compile(reward=synalinks.rewards.ExactMatch())
    x, y = data(4)
    callback = synalinks.callbacks.ProgramCheckpoint(
        os.path.join(folder, "c-{epoch}-{batch}.json"), save_freq=1, save_top_k=2, max_to_keep=2, save_last=True
    )
    variables = synalinks.callbacks.ProgramCheckpoint(
        os.path.join(folder, "v-{epoch}.variables.json"), save_variables_only=True, max_to_keep=3
    )
    program.fit(x, y, batch_size=1, epochs=10**6, verbose=0, callbacks=[Ready(ready_fd), callback, variables])


def resume_run(folder, result_file):
    os.makedirs(folder, exist_ok=True)
    log = open(os.path.join(folder, "requests.log"), "a")

    def reply(messages, schema, index):
        log.write(hashlib.sha256(json.dumps(messages).encode()).hexdigest() + "\n")
        log.flush()
        query = json.loads(messages[-1]["content"])["query"]
        shots = sum(1 for message in messages if message["role"] == "assistant")
        digest = int(hashlib.sha256(f"{query}/{shots}".encode()).hexdigest(), 16)
        right = digest % 4 < 1 + min(shots, 2)
        return {"answer": str(int(query[1:]) % 3) if right else "wrong"}

    lm = ScriptedLanguageModel(reply_function=reply, latency=(0.01, 0.03), name="crash_resume")
    program = synalinks.Sequential(
        [synalinks.Input(data_model=Query), synalinks.Generator(data_model=Answer, language_model=lm)]
    )
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(nb_min_examples=1, nb_max_examples=3, seed=0),
    )
    x, y = data(24)
    callbacks = [Ready(), synalinks.callbacks.BackupAndRestore(os.path.join(folder, "backup"), save_freq=1)]
    history = program.fit(
        x, y, validation_data=data(4, 100), batch_size=4, epochs=3, seed=3, verbose=0, callbacks=callbacks
    )
    with open(result_file, "w") as file:
        json.dump({"variables": [v.get_json() for v in program.variables], "history": history.history}, file)


if __name__ == "__main__":
    if sys.argv[2] == "checkpoint":
        checkpoint_run(sys.argv[1])
    else:
        resume_run(sys.argv[1], sys.argv[3])
