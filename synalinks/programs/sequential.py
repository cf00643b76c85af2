"""`Sequential`: a program that is a chain of modules."""

from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.input_module import Input, InputModule
from synalinks.programs.functional import Functional
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Sequential(Functional):
    """A program where each module takes the previous module's output.

    The first item is the input: `synalinks.Input(data_model=...)`.

    Args:
        modules: `[synalinks.Input(...), module, module, ...]`.
        name: The program's name.
        description: What the program does.
        trainable: Whether its variables may be trained.

    Example:

    ```python
    program = synalinks.Sequential(
        [
            synalinks.Input(data_model=Query),
            synalinks.Generator(data_model=Answer, language_model=lm),
        ],
        name="qa",
    )
    ```
    """

    def __init__(self, modules, name=None, description=None, trainable=True):
        modules = list(modules)
        if not modules:
            raise ValueError("Sequential needs at least an input: [synalinks.Input(data_model=...), ...].")
        first = modules[0]
        if isinstance(first, InputModule):
            first = first.output
        if not isinstance(first, SymbolicDataModel) or not isinstance(
            getattr(first, "_history", (None,))[0], InputModule
        ):
            raise ValueError(
                f"The first item of Sequential must be synalinks.Input(data_model=...), got {first!r:.100}."
            )
        value = first
        for module in modules[1:]:
            value = module._symbolic_call(value)
        super().__init__(inputs=first, outputs=value, name=name, description=description, trainable=trainable)

    def get_config(self):
        return {
            "name": self.name,
            "description": self.description,
            "trainable": self.trainable,
            "input_schema": self._inputs.get_schema(),
            "modules": [node.module for node in self._nodes if not isinstance(node.module, InputModule)],
        }

    @classmethod
    def from_config(cls, config):
        return cls(
            [Input(schema=config["input_schema"]), *config["modules"]],  # modules built by deserialize
            name=config.get("name"),
            description=config.get("description"),
            trainable=config.get("trainable", True),
        )
