"""`EarlyStopping`: stops training when the monitored value stops improving."""

import math
import warnings

from synalinks.callbacks.monitor_callback import MonitorCallback


class EarlyStopping(MonitorCallback):
    """Stops `fit` when `monitor` has not improved for `patience` epochs.

    Args:
        monitor: The log key to watch (default `"val_reward"`).
        min_delta: The smallest change that counts as an improvement (0 or more).
        stop_at: Stop as soon as a maximized monitor reaches this value
            (default 1.0, a perfect reward, as in Synalinks); None never
            stops early for it. For a minimized monitor, stop at or below it
            when it is given explicitly.
        patience: Epochs without improvement before stopping.
        verbose: 1 prints a message when it stops.
        mode: "auto" (the metric's direction; `reward` goes up), "min" or "max".
        baseline: Stop if the value does not get better than this.
        restore_best_variables: At the end of training, put back the
            variables of the best epoch.
        start_from_epoch: Epochs to wait before watching (warm-up).

    Example:

    ```python
    early_stopping = synalinks.callbacks.EarlyStopping(patience=2, restore_best_variables=True)
    program.fit(x, y, validation_data=(x_val, y_val), epochs=20, callbacks=[early_stopping])
    ```
    """

    def __init__(
        self,
        monitor="val_reward",
        min_delta=0.0,
        stop_at=1.0,
        patience=0,
        verbose=0,
        mode="auto",
        baseline=None,
        restore_best_variables=False,
        start_from_epoch=0,
    ):
        super().__init__(monitor=monitor, mode=mode, min_delta=min_delta)
        if patience < 0 or start_from_epoch < 0:
            raise ValueError("`patience` and `start_from_epoch` must be 0 or more.")
        if stop_at is not None and (isinstance(stop_at, bool) or not isinstance(stop_at, (int, float))):
            raise TypeError(f"`stop_at` must be a number or None, got {stop_at!r}.")
        self.stop_at = stop_at
        self._stop_at_given = stop_at != 1.0  # the default is a perfect reward: it means nothing for a loss
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_variables = restore_best_variables
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best_epoch = None
        self.best_variables = None

    @property
    def state_key(self):
        return f"EarlyStopping[{self.monitor}]"

    def on_train_begin(self, logs=None):
        self.maximize = self.monitor_op = self.best = None  # a new run: the direction and best are settled again
        self._set_monitor_op()
        self.wait = 0
        self.stopped_epoch = 0
        self.best_epoch = None
        self.best_variables = None

    def get_state(self):
        """Its progress (wait, best, best epoch and variables), as JSON."""
        finite = self.best if self.best is not None and math.isfinite(self.best) else None
        return {
            "wait": self.wait,
            "best": finite,
            "best_epoch": self.best_epoch,
            "best_variables": self.best_variables,
            "stopped_epoch": self.stopped_epoch,
        }

    def set_state(self, state):
        self.wait = state["wait"]
        if state.get("best") is not None:
            self.best = state["best"]
        self.best_epoch = state.get("best_epoch")
        self.best_variables = state.get("best_variables")
        self.stopped_epoch = state.get("stopped_epoch", 0)

    def _reached_stop_at(self, value):
        if self.stop_at is None:
            return False
        if self.maximize:
            return value >= self.stop_at
        return self._stop_at_given and value <= self.stop_at

    def on_epoch_end(self, epoch, logs=None):
        value = self.get_monitor_value(logs)
        if value is None:
            if epoch >= self.start_from_epoch:
                warnings.warn(
                    f"EarlyStopping watches {self.monitor}, which is not in the logs "
                    f"(available: {sorted(logs or {})}); it cannot stop training.",
                    stacklevel=2,
                )
            return
        if epoch < self.start_from_epoch or not math.isfinite(float(value)):
            return
        value = float(value)
        if self._reached_stop_at(value):
            self.stopped_epoch = epoch
            self.program.stop_training = True
            return
        if self._is_improvement(value, self.best):
            self.best = value
            self.best_epoch = epoch
            if self.restore_best_variables:
                self.best_variables = [variable.snapshot() for variable in self.program.variables]
            if self.baseline is None or self._is_improvement(value, self.baseline):
                self.wait = 0
                return
        self.wait += 1
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.program.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_variables and self.best_variables is not None:
            for variable, value in zip(self.program.variables, self.best_variables):
                variable.assign(value)
            if self.verbose > 0:
                print(f"Restoring the variables of the best epoch ({self.best_epoch + 1}).")
