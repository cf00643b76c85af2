"""`InMask`: keeps only the given fields."""

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.json_operations import apply
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class InMask(Module):
    """Keeps only the fields named in `mask`.

    Args:
        mask: The field names to keep.

    Example:

    ```python
    answer_only = await synalinks.InMask(mask=["answer"])(outputs)
    ```
    """

    def __init__(self, mask, name=None, description=None, trainable=True):
        super().__init__(name=name, description=description, trainable=trainable)
        if isinstance(mask, str) or not all(isinstance(field, str) for field in mask):
            raise ValueError(f"{type(self).__name__}: `mask` must be a list of field names, got {mask!r}.")
        self.mask = list(mask)

    operation = "in_mask"  # the field operation of data_models/json_operations.py this module applies

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        schema, value = apply(self.operation, self.mask, inputs.get_schema(), inputs.get_json())
        return JsonDataModel(schema=schema, json=value)

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=apply(self.operation, self.mask, inputs.get_schema())[0])

    def get_config(self):
        return {**super().get_config(), "mask": self.mask}
