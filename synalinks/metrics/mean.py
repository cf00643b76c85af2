"""`Mean`: the running mean of the values it is given."""

from synalinks.metrics.metric import Metric
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Mean(Metric):
    """The mean of all values given to `update_state` since the last reset.

    Args:
        name: The name in the logs.
        direction: "up", "down" or None.

    Example:

    ```python
    mean = synalinks.metrics.Mean(name="score")
    mean.update_state([1.0, 0.0])
    mean.result()  # 0.5
    ```
    """

    def __init__(self, name="mean", direction=None):
        super().__init__(name=name, direction=direction)
        self.reset_state()

    def update_state(self, values):
        values = [values] if isinstance(values, (int, float)) else list(values)
        self.total += float(sum(values))
        self.count += len(values)

    def result(self):
        return self.total / self.count if self.count else 0.0

    def reset_state(self):
        self.total = 0.0
        self.count = 0

    def get_state(self):
        return {"total": self.total, "count": self.count}

    def set_state(self, state):
        total, count = state.get("total", 0.0), state.get("count", 0)
        if isinstance(total, bool) or not isinstance(total, (int, float)) or not isinstance(count, int):
            raise ValueError(f"The state of metric '{self.name}' is malformed: expected numbers 'total' and 'count'.")
        self.total = float(total)
        self.count = count
