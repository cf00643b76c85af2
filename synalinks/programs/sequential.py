"""`Sequential`: a program that is a chain of modules."""

from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.core.input_module import Input, InputModule
from synalinks.modules.module import Module
from synalinks.programs.functional import Functional
from synalinks.programs.program import Program
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class Sequential(Functional):
    """A program where each module takes the previous module's output.

    The first item is the input: `synalinks.Input(data_model=...)`. It may
    also start empty and grow with `add` (and shrink with `pop`).

    Args:
        modules: `[synalinks.Input(...), module, module, ...]`, or None.
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

    def __init__(self, modules=None, name=None, description=None, trainable=True):
        Program.__init__(self, name=name, description=description, trainable=trainable)
        self._values = []  # the Input's symbolic value, then each module's output
        self._inputs = self._outputs = None
        self._nodes, self._levels, self._input_leaves = [], [], []
        for item in modules or []:
            self._append(item)
        self._rebuild()

    def add(self, module):
        """Appends a module (the first item added must be `synalinks.Input(...)`).

        Example:

        ```python
        program = synalinks.Sequential(name="qa")
        program.add(synalinks.Input(data_model=Query))
        program.add(synalinks.Generator(data_model=Answer, language_model=lm))
        ```
        """
        self._append(module)
        self._rebuild()

    def pop(self):
        """Removes the last module and returns it."""
        if len(self._values) < 2:
            raise IndexError("There is no module to pop: the Sequential holds no module after its input.")
        self._values.pop()
        module = self._modules_in_order.pop()
        self._rebuild()
        return module

    def _append(self, item):
        if not self._values:
            first = item.output if isinstance(item, InputModule) else item
            if not isinstance(first, SymbolicDataModel) or not isinstance(
                getattr(first, "_history", (None,))[0], InputModule
            ):
                raise ValueError(
                    f"The first item of Sequential must be synalinks.Input(data_model=...), got {item!r:.100}."
                )
            self._values.append(first)
            self._modules_in_order = []
            return
        if not isinstance(item, Module):
            raise TypeError(f"Sequential takes modules, got {item!r:.100}.")
        self._values.append(item._symbolic_call(self._values[-1]))
        self._modules_in_order.append(item)

    def _rebuild(self):
        if len(self._values) >= 2:
            self._set_graph(self._values[0], self._values[-1])
        elif self._values:
            self._inputs, self._input_leaves = self._values[0], [self._values[0]]

    async def call(self, inputs, training=False):
        if len(self._values) < 2:
            raise ValueError(
                f"The Sequential '{self.name}' has no module yet: add(synalinks.Input(...)) then add(module)."
            )
        return await super().call(inputs, training=training)

    def get_config(self):
        return {
            "name": self.name,
            "description": self.description,
            "trainable": self.trainable,
            "input_schema": self._inputs.get_schema() if self._inputs is not None else None,
            "modules": list(getattr(self, "_modules_in_order", [])),
        }

    @classmethod
    def from_config(cls, config):
        first = [Input(schema=config["input_schema"])] if config.get("input_schema") is not None else []
        return cls(
            [*first, *config["modules"]],  # modules built by deserialize
            name=config.get("name"),
            description=config.get("description"),
            trainable=config.get("trainable", True),
        )
