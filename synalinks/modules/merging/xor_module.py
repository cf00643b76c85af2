"""`Xor`: the one input that is present, or None (the `^` operator)."""

from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.merging.merge_schema import optional_merge_schema
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Xor(Module):
    """Returns the input that is present when exactly one is, else None.

    Example:

    ```python
    only = await synalinks.Xor()([x1, None])   # x1; with both present: None
    ```
    """

    async def call(self, inputs, training=False):
        present = [value for value in inputs if value is not None]
        return present[0] if len(present) == 1 else None

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=optional_merge_schema([value.get_schema() for value in inputs]))
