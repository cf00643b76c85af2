"""`JsonOperation`: a JSON operation (rename, factorize, mask) as a step of a program."""

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.json_operations import apply
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable

OPERATIONS = ("in_mask", "out_mask", "prefix", "suffix", "factorize")


@register_synalinks_serializable(package="synalinks")
class JsonOperation(Module):
    """Applies one JSON operation to its input; `synalinks.ops` makes these when tracing.

    Args:
        operation: `"in_mask"`, `"out_mask"`, `"prefix"`, `"suffix"` or `"factorize"`.
        argument: The mask (a list of field names), the prefix or the suffix.

    Example:

    ```python
    renamed = await synalinks.ops.prefix(Answer(answer="4"), prefix="draft")  # {"draft_answer": "4"}
    ```
    """

    def __init__(self, operation, argument=None, name=None, description=None, trainable=False):
        super().__init__(name=name, description=description, trainable=trainable)
        if operation not in OPERATIONS:
            raise ValueError(f"`operation` must be one of {OPERATIONS}, got {operation!r}.")
        apply(operation, argument, {"properties": {}})  # refuses a bad argument now
        self.operation, self.argument = operation, argument

    async def call(self, inputs, training=False):
        if inputs is None:
            return None
        schema, value = apply(self.operation, self.argument, inputs.get_schema(), inputs.get_json())
        return JsonDataModel(schema=schema, json=value, name=self.name)

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=apply(self.operation, self.argument, inputs.get_schema())[0], name=self.name)

    def get_config(self):
        return {**super().get_config(), "operation": self.operation, "argument": self.argument}
