"""`TrainingProgress`: where `fit` is, kept in one place."""

import random


class TrainingProgress:
    """Where `fit` is: the epoch, the batches done in it, the global step and the shuffling state.

    The trainer advances it (`program.progress`); callbacks read it rather
    than counting batches themselves. Its state is the resume position that
    `BackupAndRestore` keeps: `set_state` puts a `fit` back where a backup was
    taken, and the next epoch loop starts from there.

    Attributes:
        epoch: The epoch in progress (from 0).
        step: Training batches done in that epoch.
        global_step: Training batches done in the run (a resumed run included).
        rng_state: The shuffling generator's state at the epoch's start (its data order).
        resumed: True once `set_state` gave a position to start from.

    Example:

    ```python
    class EveryHundredSteps(synalinks.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if self.program.progress.global_step % 100 == 0:
                print("step", self.program.progress.global_step)
    ```
    """

    def __init__(self):
        self.reset()

    def reset(self):
        self.epoch = 0
        self.step = 0
        self.global_step = 0
        self.rng_state = None
        self.resumed = False

    def begin_epoch(self, epoch, rng_state):
        if epoch != self.epoch:
            self.step = 0
        self.epoch = epoch
        self.rng_state = rng_state

    def end_batch(self):
        self.step += 1
        self.global_step += 1

    def end_epoch(self, rng_state):
        self.epoch += 1
        self.step = 0
        self.rng_state = rng_state

    def get_state(self):
        return {"epoch": self.epoch, "step": self.step, "global_step": self.global_step, "rng_state": self.rng_state}

    def set_state(self, state):
        """Resumes at `state` (a `get_state()` output); raises ValueError naming what is malformed."""
        check_position(state)
        self.epoch, self.step = state["epoch"], state["step"]
        self.global_step = state.get("global_step", 0)
        self.rng_state = state["rng_state"]
        self.resumed = True


def check_position(state):
    """Raises ValueError naming what is malformed in a `TrainingProgress` state."""
    if not isinstance(state, dict) or not {"epoch", "step", "rng_state"} <= set(state):
        raise ValueError("the position is malformed: it needs epoch, step and rng_state.")
    for key in ("epoch", "step", "global_step"):
        value = state.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"position.{key} must be an integer, 0 or more.")
    try:
        version, internal, gauss = state["rng_state"]
        random.Random().setstate((version, tuple(internal), gauss))
    except (TypeError, ValueError, OverflowError):
        raise ValueError("position.rng_state is malformed.") from None
