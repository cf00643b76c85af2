"""`TerminateOnNaN`: stops training when a watched value becomes NaN or infinite."""

import math

from synalinks.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Stops `fit` as soon as `monitor` is NaN or infinite in a batch's or an epoch's logs.

    Args:
        monitor: The log key to watch (default `"reward"`).

    Example:

    ```python
    program.fit(x, y, callbacks=[synalinks.callbacks.TerminateOnNaN(monitor="reward")])
    ```
    """

    def __init__(self, monitor="reward"):
        super().__init__()
        self.monitor = monitor

    def _check(self, where, logs):
        value = (logs or {}).get(self.monitor)
        if value is not None and isinstance(value, (int, float)) and not math.isfinite(value):
            print(f"{where}: {self.monitor} is {value}, terminating training")
            self.program.stop_training = True

    def on_train_batch_end(self, batch, logs=None):
        self._check(f"Batch {batch}", logs)

    def on_epoch_end(self, epoch, logs=None):
        self._check(f"Epoch {epoch + 1}", logs)
