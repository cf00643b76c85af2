"""`InMask`: keeps only the given fields."""

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.json_operations import mask_json, mask_schema
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

    def keeps(self, field):
        return field in self.mask

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        return JsonDataModel(
            schema=mask_schema(inputs.get_schema(), self.keeps), json=mask_json(inputs.get_json(), self.keeps)
        )

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=mask_schema(inputs.get_schema(), self.keeps))

    def get_config(self):
        return {**super().get_config(), "mask": self.mask}
