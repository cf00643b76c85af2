"""`Sum`: the running sum of the values it is given."""

from synalinks.metrics.mean import Mean
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Sum(Mean):
    """The sum of all values given to `update_state` since the last reset.

    Example:

    ```python
    total = synalinks.metrics.Sum(name="total")
    total.update_state([1.0, 2.0])
    total.result()  # 3.0
    ```
    """

    def __init__(self, name="sum", direction=None):
        super().__init__(name=name, direction=direction)

    def result(self):
        return self.total
