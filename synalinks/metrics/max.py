"""`Max`: the largest value it was given."""

from synalinks.metrics.min import Min
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Max(Min):
    """The largest value given to `update_state` since the last reset (0.0 before any).

    `compile` logs the reward with it for `reduction="max"` (the best sample).

    Example:

    ```python
    best = synalinks.metrics.Max(name="best")
    best.update_state([0.5, 0.25])
    best.result()  # 0.5
    ```
    """

    pick = staticmethod(max)

    def __init__(self, name="max", direction=None):
        super().__init__(name=name, direction=direction)
