"""`Metric`: a value accumulated over the samples of an epoch."""

from synalinks.saving.serialization import deserialize_nested

DIRECTIONS = ("up", "down", None)


class Metric:
    """The base class of metrics.

    A metric accumulates over the batches of an epoch (`update_state`), reports
    its value (`result`) in the logs under its `name`, and starts over with
    `reset_state`. Its `direction` says whether higher is better (`"up"`),
    lower is better (`"down"`), or neither is known (`None`);
    `ProgramCheckpoint(mode="auto")` reads it.

    Args:
        name: The name in the logs.
        direction: "up", "down" or None.

    Example:

    ```python
    class AnswerLength(synalinks.metrics.Metric):
        def __init__(self, name="answer_length"):
            super().__init__(name=name, direction=None)
            self.reset_state()

        def update_state(self, y_true, y_pred):
            for prediction in y_pred:
                if prediction is not None:
                    self.total += len(prediction.get("answer", ""))
                    self.count += 1

        def result(self):
            return self.total / self.count if self.count else 0.0

        def reset_state(self):
            self.total, self.count = 0, 0
    ```
    """

    def __init__(self, name=None, direction=None):
        if direction not in DIRECTIONS:
            raise ValueError(f"`direction` must be 'up', 'down' or None, got {direction!r}.")
        self.name = name or type(self).__name__.lower()
        self.direction = direction

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def reset_state(self):
        raise NotImplementedError

    def get_state(self):
        """The accumulated state, as JSON (saved by BackupAndRestore mid-epoch)."""
        return {}

    def set_state(self, state):
        """Restores `get_state()`'s output."""

    def get_config(self):
        return {"name": self.name, "direction": self.direction}

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_nested(config))

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"
