"""`Input`: the entry point of a functional program."""

from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.module import Module
from synalinks.modules.node import Node
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.checks import schema_of


@register_synalinks_serializable(package="synalinks")
class InputModule(Module):
    """The module behind `synalinks.Input`: it holds the input schema.

    Args:
        schema: The JSON schema of the program's input.
        optional: The program may be called with None for this input.
        name: The module's name.
    """

    def __init__(self, schema, optional=False, name=None, description=None, trainable=False):
        super().__init__(name=name, description=description, trainable=False)
        self.schema = schema
        self.optional = bool(optional)
        self.output = SymbolicDataModel(schema=schema, name=self.name)
        Node(self, None, self.output)

    async def call(self, inputs, training=False):
        return inputs

    def get_config(self):
        return {"schema": self.schema, "optional": self.optional, "name": self.name, "description": self.description}


def Input(data_model=None, schema=None, optional=False, name=None):  # noqa: N802 (public API name)
    """Declares an input of a functional program and returns its symbolic value.

    Args:
        data_model: The `DataModel` class of the input.
        schema: The JSON schema of the input, instead of `data_model`.
        optional: The program may be given None for this input (modules
            that get None give None, as for a failed call).
        name: An optional name.

    Example:

    ```python
    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
    program = synalinks.Program(inputs=inputs, outputs=outputs)
    ```
    """
    schema = schema_of(data_model, schema, who="synalinks.Input")
    return InputModule(schema=schema, optional=optional, name=name).output
