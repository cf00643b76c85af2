"""`Not`: None when its input is present, an empty value when it is missing (the `~` operator)."""

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable

EMPTY_SCHEMA = {"title": "Empty", "type": "object", "properties": {}, "required": []}


@register_synalinks_serializable(package="synalinks")
class Not(Module):
    """Turns a present value into None and a missing one into an empty value.

    With `&`, it gates a value on the absence of another:
    `x & ~y` is `x` when `y` is None, and None otherwise.

    Example:

    ```python
    inputs = synalinks.Input(data_model=Query)
    refusal = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
    gated = inputs & ~refusal  # None whenever the refusal is given
    ```
    """

    async def call(self, inputs, training=False):
        return None if inputs is not None else JsonDataModel(schema=EMPTY_SCHEMA, json={})

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=EMPTY_SCHEMA)
