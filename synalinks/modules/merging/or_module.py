"""`Or`: the inputs that are present, merged (the `|` operator)."""

from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.merging.merge_schema import optional_merge_schema
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Or(Module):
    """Merges the inputs that are not None: one present input is returned as it
    is, several are concatenated, none gives None.

    Its typical use is to join the outputs of a `Branch`, of which only one is
    present: `answer = outputs[0] | outputs[1]`.

    Example:

    ```python
    merged = await synalinks.Or()([x1, None])   # x1; same as x1 | None
    ```
    """

    async def call(self, inputs, training=False):
        present = [value for value in inputs if value is not None]
        if not present:
            return None
        result = present[0]
        for value in present[1:]:
            result = result + value
        return result

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=optional_merge_schema([value.get_schema() for value in inputs]))
