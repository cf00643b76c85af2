"""Checkpoint only the program's variables, then restore them (the seed's second example).

Run: python examples/checkpoint_best_variables.py
Offline: the language model is a scripted stand-in (see parity_task.py).
The checkpoint goes to /tmp/synalinks, or to $SYNALINKS_EXAMPLE_DIR if set.
"""

import os

from parity_task import parity_data, parity_program, stand_in_language_model

import synalinks

folder = os.environ.get("SYNALINKS_EXAMPLE_DIR", "/tmp/synalinks")
program = parity_program(stand_in_language_model())
x_train, y_train = parity_data(0, 16)
x_test, y_test = parity_data(100, 8)

program.compile(
    reward=synalinks.rewards.ExactMatch(),
    optimizer=synalinks.optimizers.RandomFewShot(nb_min_examples=2, nb_max_examples=4, sampling="best", seed=0),
    metrics=[
        synalinks.metrics.Accuracy(),
    ],
)

EPOCHS = 10

# Alternatively, one could checkpoint just the program variables as -
checkpoint_filepath = os.path.join(folder, "checkpoint.variables.json")
program_checkpoint_callback = synalinks.callbacks.ProgramCheckpoint(
    filepath=checkpoint_filepath,
    save_variables_only=True,
    monitor="val_accuracy",
    mode="max",
    save_best_only=True,
)

# Program variables are saved at the end of every epoch, if it's the best seen
# so far.
program.fit(
    x=x_train,
    y=y_train,
    validation_data=(x_test, y_test),
    epochs=EPOCHS,
    batch_size=4,
    callbacks=[program_checkpoint_callback],
    verbose=0,
)

# A fresh, untrained program of the same architecture...
fresh = parity_program(stand_in_language_model())
fresh.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.Accuracy()])
before = fresh.evaluate(x=x_test, y=y_test, verbose=0)

# The program variables (that are considered the best) can be loaded as -
fresh.load_variables(checkpoint_filepath)

after = fresh.evaluate(x=x_test, y=y_test, verbose=0)
print(f"val_accuracy untrained: {before['accuracy']:.2f}")
print(f"val_accuracy with the best checkpointed variables: {after['accuracy']:.2f}")
print(f"best variables saved at {checkpoint_filepath}")
