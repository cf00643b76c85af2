"""Keep the best program while training, then load it back (the seed's first example).

Run: python examples/checkpoint_best_program.py
Offline: the language model is a scripted stand-in (see parity_task.py).
The checkpoint goes to /tmp/synalinks, or to $SYNALINKS_EXAMPLE_DIR if set.
"""

import os

from parity_task import Number, parity_data, parity_program, stand_in_language_model

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
checkpoint_filepath = os.path.join(folder, "checkpoint.program.json")
program_checkpoint_callback = synalinks.callbacks.ProgramCheckpoint(
    filepath=checkpoint_filepath,
    monitor="val_reward",
    mode="max",
    save_best_only=True,
)

before = program.evaluate(x=x_test, y=y_test, verbose=0)

# Program is saved at the end of every epoch, if it's the best seen so far.
program.fit(
    x=x_train,
    y=y_train,
    validation_data=(x_test, y_test),
    epochs=EPOCHS,
    batch_size=4,
    callbacks=[program_checkpoint_callback],
    verbose=0,
)

# The program (that are considered the best) can be loaded as -
best_program = synalinks.programs.load_program(checkpoint_filepath)

after = best_program.evaluate(x=x_test, y=y_test, verbose=0)
print(f"val_reward before training: {before['reward']:.2f}")
print(f"val_reward of the best checkpoint: {after['reward']:.2f} (epoch {best_program.checkpoint_info['epoch']})")
print(f"best program saved at {checkpoint_filepath}")
prediction = best_program.predict([Number(number=7)], verbose=0)[0]
print(f"7 is {prediction.get('parity')}")
