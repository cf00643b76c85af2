"""`Callback`: hooks called at each stage of `fit`, `evaluate` and `predict`."""


class Callback:
    """The base class of callbacks.

    Override the hooks you need. `self.program` is the program being trained
    and `self.params` holds the run's parameters (`epochs`, `steps`, `verbose`).
    Hooks get the epoch or batch index (from 0) and a `logs` dict of the
    current metric values (`reward`, each metric's name, `val_` keys at the end
    of an epoch with validation). Where `fit` is (global step, batches done in
    the epoch) is in `self.program.progress`.

    A callback whose decisions depend on what it saw (a best value, a
    counter) returns that state as JSON from `get_state()` and takes it back in
    `set_state()`: the trainer collects the states of all callbacks under
    their `state_key`, and `BackupAndRestore` saves and restores them, so a
    resumed run decides as an uninterrupted one would.

    Example:

    ```python
    class PrintReward(synalinks.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            print(epoch, logs["reward"])

    program.fit(x, y, callbacks=[PrintReward()])
    ```
    """

    def __init__(self):
        self.params = {}
        self._program = None

    def set_params(self, params):
        self.params = params

    def set_program(self, program):
        self._program = program

    @property
    def program(self):
        return self._program

    @property
    def state_key(self):
        """The name this callback's state is kept under (two callbacks of one run never share one)."""
        return type(self).__name__

    def get_state(self):
        """The callback's state as JSON, or None when it has nothing to keep (the default)."""
        return None

    def set_state(self, state):
        """Takes back a `get_state()` output."""

    def on_train_begin(self, logs=None):
        """Called at the start of `fit`."""

    def on_train_end(self, logs=None):
        """Called at the end of `fit`, with the last epoch's logs."""

    def on_train_interrupted(self, reason, logs=None):
        """Called when `fit` stops on an exception, a keyboard interrupt or SIGTERM.

        `reason` is the exception (or the signal's name). For an exception, `fit`
        re-raises it after this hook; after SIGTERM it stops cleanly.
        """

    def interruption_note(self):
        """After `on_train_interrupted`: what this callback kept, and how to go on, in a few words (or None).

        `fit` prints the notes of all callbacks in one line when it is interrupted.
        """
        return None

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of each epoch."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of each epoch, after validation."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before each training batch."""

    def on_train_batch_end(self, batch, logs=None):
        """Called after each training batch, with the epoch's running logs."""

    def on_test_begin(self, logs=None):
        """Called at the start of `evaluate` and of each validation."""

    def on_test_end(self, logs=None):
        """Called at the end of `evaluate` and of each validation."""

    def on_test_batch_begin(self, batch, logs=None):
        """Called before each evaluation batch."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after each evaluation batch."""

    def on_predict_begin(self, logs=None):
        """Called at the start of `predict`."""

    def on_predict_end(self, logs=None):
        """Called at the end of `predict`."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before each prediction batch."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after each prediction batch; `logs["outputs"]` holds its outputs."""
