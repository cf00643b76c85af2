"""Resuming an interrupted training run with BackupAndRestore.

Run: python examples/resume_with_backup.py
Offline: the language model is a scripted stand-in (see parity_task.py). The
first fit is interrupted on purpose (as a crash or Ctrl-C would); calling fit
again with the same callback goes on from the last backup and ends as an
uninterrupted run would.
The backup goes to /tmp/synalinks/backup, or under $SYNALINKS_EXAMPLE_DIR if set.
"""

import os

from parity_task import parity_data, parity_program, stand_in_language_model

import synalinks

folder = os.path.join(os.environ.get("SYNALINKS_EXAMPLE_DIR", "/tmp/synalinks"), "backup")


class SimulatedCrash(synalinks.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if self.program.history.epoch == [0] and batch == 1:
            raise KeyboardInterrupt("simulated crash in epoch 2")


def new_program():
    program = parity_program(stand_in_language_model())
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(nb_min_examples=2, nb_max_examples=4, sampling="best", seed=0),
    )
    return program


x_train, y_train = parity_data(0, 16)
x_test, y_test = parity_data(100, 8)

program = new_program()
try:
    program.fit(
        x_train,
        y_train,
        validation_data=(x_test, y_test),
        epochs=3,
        batch_size=4,
        seed=0,
        verbose=0,
        callbacks=[SimulatedCrash(), synalinks.callbacks.BackupAndRestore(folder, save_freq=1)],
    )
except KeyboardInterrupt as error:
    print(f"interrupted: {error}")

program = new_program()  # as a new process would
backup = synalinks.callbacks.BackupAndRestore(folder, save_freq=1)
history = program.fit(
    x_train, y_train, validation_data=(x_test, y_test), epochs=3, batch_size=4, seed=0, verbose=0, callbacks=[backup]
)
print(f"resumed from the backup: {backup.resumed}")
print(f"epochs in the history: {[epoch + 1 for epoch in history.epoch]}")
print(f"val_reward per epoch: {history.history['val_reward']}")
