"""`Min`: the smallest value it was given."""

from synalinks.metrics.metric import Metric
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Min(Metric):
    """The smallest value given to `update_state` since the last reset (0.0 before any).

    `compile` logs the reward with it for `reduction="min"` (the worst sample).

    Example:

    ```python
    worst = synalinks.metrics.Min(name="worst")
    worst.update_state([0.5, 0.25])
    worst.result()  # 0.25
    ```
    """

    pick = staticmethod(min)

    def __init__(self, name="min", direction=None):
        super().__init__(name=name, direction=direction)
        self.reset_state()

    def update_state(self, values):
        values = [values] if isinstance(values, (int, float)) else [float(value) for value in values]
        if values:
            self.value = self.pick([self.value, *values]) if self.count else self.pick(values)
            self.count += len(values)

    def result(self):
        return float(self.value) if self.count else 0.0

    def reset_state(self):
        self.value = None
        self.count = 0

    def get_state(self):
        return {"value": self.value, "count": self.count}

    def set_state(self, state):
        value, count = state.get("value"), state.get("count", 0)
        if not isinstance(count, int) or (value is not None and not isinstance(value, (int, float))):
            raise ValueError(f"The state of metric '{self.name}' is malformed: expected a number 'value' and 'count'.")
        self.value, self.count = value, count
