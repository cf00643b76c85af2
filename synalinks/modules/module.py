"""`Module`: the base class of every building block of a program."""

import inspect

from synalinks.data_models.builtin_data_models import Trainable
from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.hooks.hook_list import HookList
from synalinks.hooks.traced_call import active_hooks, run_with_hooks
from synalinks.modules.node import Node
from synalinks.saving.serialization import deserialize_nested
from synalinks.utils.argument_hints import with_argument_hints
from synalinks.utils.async_utils import run_without_waiting
from synalinks.utils.naming import snake_case, unique_name
from synalinks.utils.tree import flatten, map_structure
from synalinks.variables import Variable


def is_symbolic(inputs):
    """True when `inputs` holds a `SymbolicDataModel` (the module is being traced)."""
    return any(isinstance(value, SymbolicDataModel) for value in flatten(inputs))


class Module:
    """The base class of modules: a step of a program, with its own variables.

    A module is called with `await module(inputs)`. Called on a
    `SymbolicDataModel` (while building a functional program) it returns the
    symbolic value of its output and records the call; called on real data
    (`JsonDataModel` or `DataModel` instances) it runs `call`.

    Subclasses implement:
    - `async call(inputs, training=False)`: the computation on real data.
    - `compute_output_spec(inputs)`: the `SymbolicDataModel` output for
      symbolic inputs (a plain or an `async def` method; the async form may
      call other modules on the symbolic inputs, as Synalinks modules do).
    - `get_config()`: the constructor arguments, as JSON, for saving.

    Modules assigned as attributes of a module (or in a list attribute) are
    tracked, and their variables belong to it too.

    Args:
        name: A name, unique in the process by default (`generator_1`).
        description: A description of what the module does.
        trainable: Whether optimizers may change its variables.
        hooks: `Hook`s called around each of its calls (see `synalinks.hooks`).

    Example:

    ```python
    class Uppercase(synalinks.Module):
        async def call(self, inputs, training=False):
            value = {k: v.upper() for k, v in inputs.get_json().items()}
            return synalinks.JsonDataModel(schema=inputs.get_schema(), json=value)

        def compute_output_spec(self, inputs):
            return synalinks.SymbolicDataModel(schema=inputs.get_schema())
    ```
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:  # a misspelt argument gets "Did you mean ...?"
            cls.__init__ = with_argument_hints(cls.__dict__["__init__"])

    def __init__(self, name=None, description=None, trainable=True, hooks=None):
        object.__setattr__(self, "_tracked_modules", [])
        self.name = name or unique_name(snake_case(type(self).__name__))
        self.description = description
        self._trainable = trainable
        self._own_variables = []
        self._inbound_nodes = []
        self._hooks = HookList(hooks, module=self) if hooks else None

    def add_hook(self, hook):
        """Calls `hook` around each call of this module (see `synalinks.hooks.Hook`)."""
        if self._hooks is None:
            self._hooks = HookList(module=self)
        self._hooks.add_hook(hook)

    def __setattr__(self, name, value):
        if not name.startswith("_") and "_tracked_modules" in self.__dict__:
            for item in flatten(value) if isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, Module) and item is not self and item not in self._tracked_modules:
                    self._tracked_modules.append(item)
        object.__setattr__(self, name, value)

    # Variables

    def add_variable(
        self, initializer=None, data_model=None, schema=None, trainable=True, name="variable", description=None
    ):
        """Creates a variable owned by this module and returns it.

        Args:
            initializer: The initial value (a dict or a `DataModel` instance);
                by default the `data_model`'s default value.
            data_model: The `DataModel` class of the value. As in Synalinks,
                a variable of a data model is trainable only when it derives
                from `synalinks.Trainable`.
            schema: The JSON schema of the value, instead of `data_model`.
            trainable: Whether optimizers may change it.
            name: Its name inside the module.
            description: What it holds.

        Example:

        ```python
        class Persona(synalinks.Trainable):
            persona: str = "a helpful assistant"

        module = synalinks.Identity()
        persona = module.add_variable(data_model=Persona, name="persona")
        persona.get("persona")  # "a helpful assistant"
        ```
        """
        if isinstance(data_model, type) and hasattr(data_model, "model_fields"):
            trainable = trainable and issubclass(data_model, Trainable)
        variable = Variable(
            initializer=initializer,
            data_model=data_model,
            schema=schema,
            trainable=trainable,
            name=name,
            description=description,
        )
        variable.path = f"{self.name}/{name}"
        self._own_variables.append(variable)
        return variable

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for module in self._tracked_modules:
            module.trainable = value

    @property
    def modules(self):
        """The modules tracked by this one, depth first, without duplicates."""
        seen = []
        for module in self._tracked_modules:
            for found in [module, *module.modules]:
                if found not in seen:
                    seen.append(found)
        return seen

    @property
    def variables(self):
        """All variables: this module's own, then those of its modules."""
        found = list(self._own_variables)
        for module in self.modules:
            for variable in module._own_variables:
                if variable not in found:
                    found.append(variable)
        return found

    @property
    def trainable_variables(self):
        return [variable for variable, trainable in self._owned_variables_with_trainability() if trainable]

    @property
    def non_trainable_variables(self):
        return [variable for variable, trainable in self._owned_variables_with_trainability() if not trainable]

    def _owned_variables_with_trainability(self):
        pairs = [(variable, variable.trainable and self.trainable) for variable in self._own_variables]
        for module in self.modules:
            pairs.extend((variable, variable.trainable and module.trainable) for variable in module._own_variables)
        return pairs

    # Calling

    async def __call__(self, inputs, training=False):
        if is_symbolic(inputs):
            return self._symbolic_call(inputs)
        return await self.call_with_hooks(map_structure(to_json_data_model, inputs), training=training)

    def call_with_hooks(self, inputs, training=False):
        """`call` on real inputs, as an awaitable; when hooks are attached (its own or global ones), the
        call runs inside its span. Without hooks it is `call` itself: no extra step on the hot path."""
        hooks = active_hooks(self._hooks)
        if hooks is None:
            return self.call(inputs, training=training)
        return run_with_hooks(
            hooks, self, "module", inputs, {"training": training}, self.call(inputs, training=training)
        )

    def _symbolic_call(self, inputs):
        outputs = self.output_spec(inputs)
        Node(self, inputs, outputs)
        return outputs

    def output_spec(self, inputs):
        """`compute_output_spec(inputs)`, run to its end when it is `async def` (as Synalinks modules write it)."""
        outputs = self.compute_output_spec(inputs)
        if inspect.isawaitable(outputs):
            outputs = run_without_waiting(outputs, who=f"{type(self).__name__}.compute_output_spec")
        return outputs

    async def call(self, inputs, training=False):
        raise NotImplementedError(
            f"{type(self).__name__} must implement `async def call(self, inputs, training=False)`."
        )

    def compute_output_spec(self, inputs):
        raise NotImplementedError(
            f"{type(self).__name__} cannot be used in a functional program: "
            "implement `compute_output_spec(self, inputs)` returning a SymbolicDataModel."
        )

    # Saving

    def get_config(self):
        """Returns the constructor arguments as a JSON-compatible dict."""
        return {"name": self.name, "description": self.description, "trainable": self.trainable}

    @classmethod
    def from_config(cls, config):
        """Builds the module from `get_config()`'s output."""
        return cls(**deserialize_nested(config))

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"
