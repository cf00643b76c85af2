"""`And`: concatenation that gives None when any input is None (the `&` operator)."""

from synalinks.modules.merging.concat import Concat
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class And(Concat):
    """Concatenates the fields of its inputs, or returns None if any input is None.

    `x1 & x2` on data models builds this module; use it to merge branches that
    may not have produced an output.

    Example:

    ```python
    merged = x1 & x2   # None if x1 or x2 is None
    ```
    """

    async def call(self, inputs, training=False):
        if any(value is None for value in inputs):
            return None
        return await super().call(inputs, training=training)
