"""`MonitorCallback`: the base of callbacks that watch one log value."""

import math
import numbers
import warnings

from synalinks.callbacks.callback import Callback


class MonitorCallback(Callback):
    """The base of callbacks that watch one value of the logs and act when it improves.

    It holds what "better" means, in one place: the log key (`monitor`),
    whether higher or lower is better (`mode`, read from the monitored
    metric's `direction` in `"auto"`), the best value so far and the
    smallest change that counts (`min_delta`). `ProgramCheckpoint` and
    `EarlyStopping` build on it. As in Keras, with `mode="max"` or `"min"`
    the comparison (`monitor_op`: `numpy.greater` or `numpy.less`) and `best`
    (`-inf`, `inf`, or `initial_value`) are set at construction; with
    `"auto"` they are settled when the program (and its metrics) is known.

    Args:
        monitor: The log key to watch: `reward`, a metric's name, or either
            with `val_` for validation.
        mode: `"auto"`, `"min"` or `"max"`. `"auto"` maximises unless the
            monitored metric's `direction` is `"down"`; an unknown mode falls
            back to `"auto"` with a warning.
        min_delta: An improvement smaller than this does not count (0 or more).
        initial_value: The best value to beat at the start (default: none yet).

    Example:

    ```python
    class PrintImprovements(synalinks.callbacks.MonitorCallback):
        def on_epoch_end(self, epoch, logs=None):
            self._set_monitor_op()
            value = self.get_monitor_value(logs)
            if value is not None and self._is_improvement(value, self.best):
                self.best = value
                print(f"epoch {epoch + 1}: {self.monitor} improved to {value}")
    ```
    """

    def __init__(self, monitor="val_reward", mode="auto", min_delta=0.0, initial_value=None):
        super().__init__()
        if isinstance(min_delta, bool) or not isinstance(min_delta, numbers.Real) or not min_delta >= 0:
            raise ValueError(f"`min_delta` must be a number, 0 or more, got {min_delta!r}.")
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, falling back to 'auto'.", stacklevel=3)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.min_delta = float(min_delta)
        self.initial_value = initial_value
        self.maximize = None  # settled once the program (and its metrics) is known
        self.monitor_op = None
        self.best = None
        if mode != "auto":
            self._set_monitor_op()

    def _set_monitor_op(self):
        """Settles whether higher is better, and the best value to beat, on first use."""
        if self.maximize is not None:
            return
        import numpy  # Keras' comparison functions; numpy is a dependency, loaded only here

        self.maximize = self._higher_is_better()
        self.monitor_op = numpy.greater if self.maximize else numpy.less
        if self.best is None:
            if self.initial_value is not None:
                self.best = float(self.initial_value)
            else:
                self.best = -math.inf if self.maximize else math.inf

    def _higher_is_better(self):
        if self.mode != "auto":
            return self.mode == "max"
        name = self.monitor[len("val_") :] if self.monitor.startswith("val_") else self.monitor
        for metric in getattr(self.program, "metrics", None) or []:
            if metric.name == name:
                return metric.direction != "down"
        return True  # `reward` and unknown values go up

    def _is_improvement(self, current, reference):
        """True when `current` beats `reference` by more than `min_delta`."""
        if self.maximize:
            return current - self.min_delta > reference
        return current + self.min_delta < reference

    def get_monitor_value(self, logs):
        """The monitored value in `logs`, or None when it is not there."""
        return (logs or {}).get(self.monitor)
