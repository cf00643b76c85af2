"""`Lambda`: a plain Python function as a module."""

import inspect

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.module import Module
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.checks import schema_of


@register_synalinks_serializable(package="synalinks")
class Lambda(Module):
    """Runs `function(inputs)` (plain or `async`) on the input's JSON value.

    The function takes the input as a dict (None when missing) and returns a
    dict that follows `schema` (or None). To save programs that use it,
    register the function with `register_synalinks_serializable`.

    Args:
        function: The function.
        schema: The output JSON schema (or `data_model`).
        data_model: The output `DataModel` class.

    Example:

    ```python
    @synalinks.saving.register_synalinks_serializable()
    def shout(value):
        return {"answer": value["answer"].upper()}

    loud = await synalinks.Lambda(shout, data_model=Answer)(Answer(answer="yes"))  # {"answer": "YES"}
    ```
    """

    def __init__(self, function, schema=None, data_model=None, name=None, description=None, trainable=True):
        super().__init__(name=name, description=description, trainable=trainable)
        if not callable(function):
            raise TypeError(f"{self.name}: Lambda needs a function, got {function!r}.")
        schema = schema_of(data_model, schema, who=f"{self.name}: Lambda")
        self.function = function
        self.schema = schema

    async def call(self, inputs, training=False):
        value = self.function(None if inputs is None else inputs.get_json())
        if inspect.isawaitable(value):
            value = await value
        if value is None:
            return None
        if not isinstance(value, dict):
            raise TypeError(f"{self.name}: the function must return a dict or None, got {type(value).__name__}.")
        return JsonDataModel(schema=self.schema, json=value)

    def compute_output_spec(self, inputs):
        return SymbolicDataModel(schema=self.schema)

    def get_config(self):
        return {**super().get_config(), "function": self.function, "schema": self.schema}
