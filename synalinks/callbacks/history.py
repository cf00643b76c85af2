"""`History`: the logs of every epoch of `fit`, returned by `fit`."""

from synalinks.callbacks.callback import Callback


class History(Callback):
    """Records each epoch's logs; `fit` adds it and returns it.

    Attributes:
        epoch: The epoch indices seen.
        history: `{log_key: [value per epoch]}`.

    Example:

    ```python
    history = program.fit(x, y, validation_data=(x_val, y_val), epochs=3)
    history.history["val_reward"]  # [0.4, 0.55, 0.6]
    ```
    """

    def __init__(self):
        super().__init__()
        self.epoch = []
        self.history = {}

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}
        if self.program is not None:
            self.program.history = self

    def get_state(self):
        return {"epoch": list(self.epoch), "history": {key: list(values) for key, values in self.history.items()}}

    def set_state(self, state):
        if (
            not isinstance(state, dict)
            or not isinstance(state.get("epoch"), list)
            or not isinstance(state.get("history"), dict)
            or not all(isinstance(values, list) for values in state["history"].values())
        ):
            raise ValueError("A History state must be {'epoch': [...], 'history': {key: [...]}}.")
        self.epoch = list(state["epoch"])
        self.history = {key: list(values) for key, values in state["history"].items()}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
