"""`Identity`: returns its input."""

from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.tree import map_structure


@register_synalinks_serializable(package="synalinks")
class Identity(Module):
    """Returns its input unchanged; a placeholder in a program.

    Example:

    ```python
    outputs = await synalinks.Identity()(inputs)
    ```
    """

    async def call(self, inputs, training=False):
        return inputs

    def compute_output_spec(self, inputs):
        return map_structure(lambda value: SymbolicDataModel(schema=value.get_schema()), inputs)
