"""`Concat`: the fields of several data models side by side (the `+` operator)."""

from synalinks.data_models.concatenation import concatenate_schemas
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Concat(Module):
    """Concatenates the fields of its inputs; fails if one of them is None.

    Fields of the same name are renamed `name_1`, `name_2`, ... on the right.
    `x1 + x2` on data models builds this module.

    Example:

    ```python
    merged = await synalinks.Concat()([x1, x2])   # same as x1 + x2
    ```
    """

    async def call(self, inputs, training=False):
        if any(value is None for value in inputs):
            raise ValueError(f"{self.name}: cannot concatenate None inputs (use And, `&`, to get None instead).")
        result = inputs[0]
        for value in inputs[1:]:
            result = result + value
        return result

    def compute_output_spec(self, inputs):
        schema = inputs[0].get_schema()
        for value in inputs[1:]:
            schema = concatenate_schemas(schema, value.get_schema())
        return SymbolicDataModel(schema=schema)


Concatenate = Concat  # Synalinks' other name for it
