"""`CallbackList`: calls each hook on every callback of a run."""

from synalinks.callbacks.callback import Callback
from synalinks.callbacks.history import History
from synalinks.callbacks.progbar_logger import ProgbarLogger


class CallbackList(Callback):
    """Holds the callbacks of one `fit` / `evaluate` / `predict` call.

    Args:
        callbacks: The user's callbacks.
        add_history: Add a `History` (for `fit`) unless one is given.
        add_progbar: Add a `ProgbarLogger` unless one is given.
        program: The program, set on every callback.
        **params: The run's parameters (`epochs`, `steps`, `verbose`).
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, program=None, **params):
        super().__init__()
        self.callbacks = list(callbacks or [])
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(f"Callbacks must be synalinks.callbacks.Callback instances, got {callback!r}.")
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.insert(0, ProgbarLogger())
        if add_history and not any(isinstance(c, History) for c in self.callbacks):
            self.callbacks.insert(0, History())
        # Callbacks that save the others' state (BackupAndRestore) run after them.
        self.callbacks.sort(key=lambda callback: getattr(callback, "runs_last", False))
        self.set_params(params)
        if program is not None:
            self.set_program(program)

    def set_params(self, params):
        super().set_params(params)
        for callback in self.callbacks:
            callback.set_params(params)

    def set_program(self, program):
        super().set_program(program)
        for callback in self.callbacks:
            callback.set_program(program)

    def _keyed_callbacks(self):
        """`(key, callback)` for each callback: its `state_key`, numbered when two share one."""
        seen = {}
        for callback in self.callbacks:
            key = callback.state_key
            count = seen.get(key, 0)
            seen[key] = count + 1
            yield (key if count == 0 else f"{key}#{count}"), callback

    def get_state(self):
        """`{state_key: state}` of every callback that has state to keep."""
        states = {}
        for key, callback in self._keyed_callbacks():
            state = callback.get_state()
            if state is not None:
                states[key] = state
        return states

    def set_state(self, states):
        """Gives each callback its state from a `get_state()` output (callbacks without one keep theirs)."""
        for key, callback in self._keyed_callbacks():
            if key in states:
                callback.set_state(states[key])

    def _call(self, hook, *args):
        for callback in self.callbacks:
            getattr(callback, hook)(*args)

    def on_train_begin(self, logs=None):
        if self.program is not None:
            self.program.training_callbacks = self  # whose states the program's training state holds
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_train_interrupted(self, reason, logs=None):
        errors = []
        for callback in self.callbacks:
            try:
                callback.on_train_interrupted(reason, logs)
            except Exception as error:  # every callback gets its chance to save
                errors.append(error)
        if errors:
            raise errors[0]

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs)
